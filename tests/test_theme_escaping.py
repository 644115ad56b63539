"""The theme prints every value escaped (Jinja autoescape), trusted HTML is marked in a few
known places, and the JSON-LD cannot close its <script> (issue 21)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

from jinja2 import DictLoader, Environment
from markupsafe import Markup

from newsroom_theme import _add_filters
from newsroom_theme.fragments import FragmentCache
from newsroom_theme.jsonld import script_json
from newsroom_theme.settings import apply_defaults
from tests.test_hostile_site import html_problems

TEMPLATES = Path(__file__).resolve().parent.parent / "theme" / "templates"
# Every value a template marks as trusted HTML, by template: what the reader made (a story's
# body), a setting documented as HTML, and the description blocks, which base.html only
# ever prints through striptags and escaping.
TRUSTED = {
    "article.html": ["(article.summary or article.title)", "article.content"],
    "page.html": ["(page.summary or page.title)", "page.content"],
    "base.html": ["NEWSROOM_FOOTER_TEXT"],
}
HOSTILE = 'Qx" onfocus="alert(1)" autofocus x="<script>alert(2)</script>'


def test_autoescape_is_on_and_the_default_jinja_settings_are_not_changed():
    from pelican.settings import DEFAULT_CONFIG

    settings = {"JINJA_ENVIRONMENT": DEFAULT_CONFIG["JINJA_ENVIRONMENT"]}
    apply_defaults(settings)
    assert settings["JINJA_ENVIRONMENT"]["autoescape"] is True
    assert settings["JINJA_ENVIRONMENT"]["trim_blocks"] is True
    assert "autoescape" not in DEFAULT_CONFIG["JINJA_ENVIRONMENT"]


def test_only_known_values_are_marked_safe():
    found = {}
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        assert "autoescape false" not in text.replace(" ", " ").lower(), template
        for match in re.finditer(r"\{\{-?\s*(.*?)\s*\|\s*safe\b", text):
            found.setdefault(template.name, []).append(match.group(1))
    assert found == TRUSTED


def test_the_section_name_cannot_leave_its_attributes():
    """Renders the real base.html and category.html with a hostile section name."""
    import jinja2

    settings = {"JINJA_ENVIRONMENT": {"trim_blocks": True, "lstrip_blocks": True}}
    apply_defaults(settings)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), **settings["JINJA_ENVIRONMENT"])
    _add_filters(SimpleNamespace(settings=settings, env=env))  # the theme's filters and fragment cache

    class Section:
        name = slug = HOSTILE
        url = "section/qx/"

        def __str__(self):
            return self.name

    page = env.get_template("category.html").render(
        category=Section(), SITEURL="", SITENAME="Site", SITESUBTITLE="Sub", THEME_STATIC_DIR="theme",
        articles=[], NEWSROOM_LATEST_STORIES=12, menu_sections=[(Section(), [])], MENUITEMS=[], pages=[], NEWSROOM_SOCIAL=[],
        NEWSROOM_FOOTER_TEXT="<b>footer</b>", CATEGORY_FEED_ATOM="feeds/{slug}.atom.xml", DEFAULT_LANG="en",
        SEARCH_URL="search/", CATEGORIES_URL="sections/", TAGS_URL="tags/", AUTHORS_URL="authors/",
        ARCHIVES_URL="archives/")
    assert html_problems(page, "category.html") == []
    assert "Qx&#34; onfocus=&#34;alert(1)&#34;" in page
    assert "<b>footer</b>" in page  # trusted HTML setting


def test_a_reused_fragment_is_not_escaped_again():
    """A teaser kept from an earlier build comes back as a plain str: printed as it was rendered,
    by a call block or an expression (a guard: no build printed one twice-escaped before)."""
    env = Environment(autoescape=True, loader=DictLoader({
        "call": "{% call fragment('k') %}<b>{{ name }}</b>{% endcall %}",
        "expression": "{{ fragment('k', caller=none) }}"}))
    for template in ("call", "expression"):
        cache = FragmentCache()
        cache.reads_hooks = (lambda key, render: ("<b>&lt;i&gt;</b>", None), lambda reads: None)  # from storage
        env.globals["fragment"] = cache
        assert env.get_template(template).render(name="<i>") == "<b>&lt;i&gt;</b>"


def test_json_ld_cannot_close_its_script():
    text = script_json({"headline": "a </script><script>alert(1)</script> <!-- b & c"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["headline"] == "a </script><script>alert(1)</script> <!-- b & c"
    assert isinstance(Markup(text), Markup)
