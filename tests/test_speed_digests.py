"""Digests of what pages read, taken in one C pass for plain data (pickled.py): they must change
whenever a template could show something else, stay equal across processes and builds, and
leave anything that is not plain data to the part-by-part digest (fingerprint.py)."""

from __future__ import annotations

import copy
import datetime
import os
import subprocess
import sys
import types
import zoneinfo
from pathlib import Path
from typing import NamedTuple

import pytest
from jinja2 import DictLoader, Environment
from markupsafe import Markup
from pelican.contents import Article
from pelican.paginator import Paginator
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Category
from pelican.utils import SafeDatetime, get_date

from newsroom_speed import contract, pickled, tracking
from newsroom_speed.fingerprint import Fingerprinter, Volatile
from newsroom_speed.versions import Versions
from tests.test_speed_incremental import Project


@pytest.fixture(autouse=True)
def _patches_undone():
    """Jinja hooks installed by a test outside a build are undone after it (Macro is shared by
    every environment of the process: a later test would find it patched)."""
    with contract.build_scope():
        yield


PLUGINS = Path(__file__).resolve().parent.parent / "plugins"


class Link(NamedTuple):
    label: str
    url: str


def story(path: str, title: str) -> Article:
    return Article("<p>Body</p>", {"title": title, "date": get_date("2024-01-02")}, dict(DEFAULT_CONFIG), f"/c/{path}", {})


def digest(value) -> bytes:
    return Fingerprinter().digest(value)


def test_plain_data_is_digested_in_one_pass():
    calls = []
    fp = Fingerprinter()
    plain = fp._pickled
    fp._pickled = lambda value: calls.append(value) or plain(value)
    nav = {"links": {"tag/x/2024/01/index.html": {"newer": ("February 2024", "tag/x/2024/02/"), "older": None}}}
    fp.digest(nav)
    assert calls == [nav]  # not each dict, tuple and string again


@pytest.mark.parametrize("one, other", [
    ((2024, 1), (2024, True)),  # equal in Python, printed differently
    ((2024, 1), (2024, 1.0)),
    ([1], ["1"]),
    ([1, 2], (1, 2)),
    (["a"], [Markup("a")]),
    ([("a", "b")], [Link("a", "b")]),
    ({"a": 1, "b": 2}, {"b": 2, "a": 1}),  # a template iterating it shows the order
    ({"x": [{"y": (1, "z")}]}, {"x": [{"y": (1, "Z")}]}),
    ([SafeDatetime(2024, 1, 2, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))],
     [SafeDatetime(2024, 1, 2, tzinfo=zoneinfo.ZoneInfo("Europe/London"))]),
    ([datetime.date(2024, 1, 2)], [datetime.datetime(2024, 1, 2)]),
    (["<Article /c/a.md>"], [story("a.md", "A")]),  # a story is named by its path, apart from text
    ([Category("World", dict(DEFAULT_CONFIG))], [Category("Science", dict(DEFAULT_CONFIG))]),
])
def test_every_difference_a_template_could_show_changes_the_digest(one, other):
    assert digest(one) != digest(other)
    assert digest(one) == digest(copy.deepcopy(one))  # equal values, other objects: equal digests


def test_values_equal_in_python_but_shown_otherwise_keep_their_own_digests_in_one_build():
    """Short tuples are memoised by value for the build: (2024, 1) == (2024, True) in Python."""
    fp = Fingerprinter()
    values = [(2024, 1), (2024, True), (2024, 1.0), (2024, "1"), ((2024, 1),), ((2024, True),), [2024, 1],
              [2024, True], 2024, True, 1.0, "2024"]
    first = [fp.digest(value) for value in values]
    again = [fp.digest(copy.deepcopy(value)) for value in values]  # from the memos
    assert len(set(first)) == len(values) and again == first


def test_a_story_in_plain_data_is_a_leaf_as_in_the_part_by_part_digest():
    """What a page reads from a story is tracked apart: a list of stories depends on which
    stories, in which order, not on their fields."""
    one, two = story("a.md", "A"), story("b.md", "B")
    assert digest([one, two]) == digest([story("a.md", "changed"), two])
    assert digest([one, two]) != digest([two, one])


SAMPLE = """
import datetime, zoneinfo
from markupsafe import Markup
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Tag
from pelican.utils import SafeDatetime
from newsroom_speed.fingerprint import Fingerprinter

value = {"tags": [Tag("Energy", dict(DEFAULT_CONFIG)), Tag("Trade", dict(DEFAULT_CONFIG))],
         "when": SafeDatetime(2024, 3, 4, 5, 6, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")),
         "set": {"alpha", "beta", "gamma", "delta"}, "html": Markup("<b>x</b>"), "nested": [(1, 2.5, None, True)]}
print(Fingerprinter().digest(value).hex(), Fingerprinter().digest(value["set"]).hex())
"""


def test_digests_are_the_same_in_every_process():
    """A build compares with digests a process with other string hashes made."""
    found = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-c", SAMPLE], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(PLUGINS)})
        found.add(done.stdout)
    assert len(found) == 1


# -- where the one pass must not be used: the part-by-part digest decides ----------------------
def test_objects_that_are_not_plain_data_are_digested_field_by_field():
    note = types.SimpleNamespace(text="first")
    before = digest([{"note": note}])
    note.text = "second"
    assert digest([{"note": note}]) != before
    with pytest.raises(Volatile):
        digest([{"a": object()}])  # printed with its address: no digest
    loop: list = []
    loop.append(loop)
    with pytest.raises(Volatile):
        digest(loop)


def test_a_paginator_in_a_list_ignores_what_pelican_fills_lazily():
    paginator = Paginator("index.html", "", [story("a.md", "A")], dict(DEFAULT_CONFIG), 10)
    before = digest([paginator, (1, 2)])
    assert paginator.num_pages == 1  # fills paginator._num_pages
    assert digest([paginator, (1, 2)]) == before
    with pytest.raises(pickled.NotPlain):
        pickled.PickledDigest(pickled.Reducers(strict=True))([paginator])


def render_recorded(source: str, context: dict):
    env = Environment(loader=DictLoader({"page.html": source}))
    tracking.install(env)
    recorder = tracking.Recorder(Fingerprinter(), lambda key: context.get(key, tracking.missing))
    tracking.recording(recorder)
    try:
        env.get_template("page.html").render(context)
    finally:
        tracking.recording(None)
    return recorder.record()


def still_current(record, context: dict) -> bool:
    return tracking.current_digest(record, lambda k: context.get(k, tracking.missing), {}, Fingerprinter(), {},
                                   Versions(Fingerprinter(), {}), None) == record.digest


def test_a_page_is_rendered_again_when_its_own_plain_names_change_in_any_way():
    source = "{% for key, link in nav.items() %}{{ key }}: {{ link }}; {% endfor %}{{ note.text }}"
    context = {"nav": {"newer": ("May", "a/"), "older": ("March", "b/")}, "note": types.SimpleNamespace(text="x")}
    record = render_recorded(source, context)
    assert still_current(record, {**context, "nav": {"newer": ("May", "a/"), "older": ("March", "b/")}})
    assert not still_current(record, {**context, "nav": {"older": ("March", "b/"), "newer": ("May", "a/")}})
    assert not still_current(record, {**context, "nav": {"newer": ("May", "a/"), "older": ("March", "c/")}})
    assert not still_current(record, {**context, "nav": {"newer": ("May", "a/"), "older": ("March", b"b/")}})
    assert not still_current(record, {**context, "note": types.SimpleNamespace(text="y")})


def test_a_reordered_dict_setting_a_template_iterates_gives_the_clean_build(tmp_path: Path):
    """Stock Pelican shows the new order; the build must not be skipped as unchanged."""
    project = Project(tmp_path, seed=21, n=6)
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "desks.html").write_text("{% for name, url in DESKS.items() %}<a href='{{ url }}'>{{ name }}</a>"
                                          "{% endfor %}\n")
    templates = ["index", "tags", "categories", "authors", "archives", "desks"]
    for site in (project.ours, project.clean):
        with open(site.settings, "a") as settings:
            settings.write(f"THEME_TEMPLATES_OVERRIDES = [{str(overrides)!r}]\nDIRECT_TEMPLATES = {templates!r}\n")
    for desks in ({"World": "world/", "Sports": "sports/"}, {"Sports": "sports/", "World": "world/"}):
        for site in (project.ours, project.clean):
            with open(site.settings, "a") as settings:
                settings.write(f"DESKS = {desks!r}\n")
        project.check()
        assert (project.ours.output / "desks.html").read_text().startswith(f"<a href='{next(iter(desks.values()))}'>")
