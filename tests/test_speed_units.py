"""Units of newsroom_speed whose mistakes would silently change a site: the date shortcut, digests,
and what the template tracker records."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import DictLoader, Environment
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import get_date

from newsroom_speed import tracking
from newsroom_speed.fastdate import fast_get_date
from newsroom_speed.fingerprint import Fingerprinter, Volatile

ISO_FORMATS = ["%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]


def outcome(function, text):
    try:
        value = function(text)
        return type(value), value
    except ValueError:
        return ValueError


@given(st.datetimes(min_value=datetime.datetime(1000, 1, 1)), st.sampled_from(ISO_FORMATS))
def test_fast_get_date_equals_pelicans_on_iso_dates(moment: datetime.datetime, fmt: str):
    text = moment.strftime(fmt)
    assert outcome(fast_get_date, text) == outcome(get_date, text)


@given(st.from_regex(r"\s?\d{4}-\d{1,2}-\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?\s?", fullmatch=True))
def test_fast_get_date_equals_pelicans_on_near_iso_text(text: str):
    assert outcome(fast_get_date, text) == outcome(get_date, text)


def article(path: str, title: str) -> Article:
    settings = dict(DEFAULT_CONFIG)
    return Article("<p>Body</p>", {"title": title, "date": get_date("2024-01-02")}, settings, f"/c/{path}", {})


def test_digests_see_nested_changes_and_name_content_by_source():
    fp = Fingerprinter()
    one, two = article("a.md", "A"), article("b.md", "B")
    assert fp.digest([{"x": [1, 2]}]) != Fingerprinter().digest([{"x": [1, 3]}])
    assert fp.digest({"a": 1, "b": 2}) == Fingerprinter().digest({"b": 2, "a": 1})
    assert fp.digest([one, two]) != Fingerprinter().digest([two, one])
    assert fp.digest(one) == Fingerprinter().digest(article("a.md", "changed title"))
    with pytest.raises(Volatile):
        Fingerprinter().digest([object()])


def render_recorded(source: str, **context):
    env = Environment(loader=DictLoader({"page.html": source}))
    tracking.install(env)
    recorder = tracking.Recorder(Fingerprinter(), lambda key: context.get(key, tracking.missing))
    tracking.recording(recorder)
    try:
        html = env.get_template("page.html").render(context)
    finally:
        tracking.recording(None)
    return html, recorder


def test_the_tracker_records_names_attributes_and_only_touched_article_lists():
    one, two = article("a.md", "First"), article("b.md", "Second")
    categories = [("World", [one]), ("Science", [two])]
    html, recorder = render_recorded(
        "{{ SITENAME }}|{% for cat, arts in categories %}{{ cat }} {% endfor %}|{{ article.title }}",
        SITENAME="Daily",
        categories=categories,
        article=one,
        articles=[one, two],
    )
    assert html == "Daily|World Science |First"
    names = {path for path in recorder.names}
    assert ("SITENAME", "value") in names and ("categories", "shape") in names
    assert not any(path[0] == "articles" for path in names)  # never read
    assert not any(len(path) > 2 for path in names)  # the section menu did not look at the lists
    assert [key[:2] for key in recorder.attrs] == [("/c/a.md", "title")]


def test_a_recorded_page_goes_stale_exactly_when_what_it_read_changes():
    one, two = article("a.md", "First"), article("b.md", "Second")
    context = {"articles": [one, two]}
    _, recorder = render_recorded("{% for a in articles %}{{ a.title }}{% endfor %}", **context)
    record = recorder.record()
    contents = {one.source_path: one, two.source_path: two}

    def current(ctx):
        return tracking.current_digest(record, lambda k: ctx.get(k, tracking.missing), contents, Fingerprinter(), {})

    assert current(context) == record[2]
    two.title = "Second, updated"
    assert current(context) != record[2]
    two.title = "Second"
    assert current({"articles": [one]}) != record[2]
