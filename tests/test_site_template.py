"""Site templates: a batch of one site's dumps teaches its chrome (sitetemplate.py), through the
cleaner, the importer and a real Pelican build."""

import json
from collections import Counter

import pytest

from newsroom_cleaner import pipeline
from newsroom_cleaner.importer import import_scraped
from newsroom_cleaner.pipeline import clean_article
from newsroom_cleaner.settings import reader_settings
from newsroom_cleaner.sitetemplate import SiteTemplate, TemplateStore, learn
from tests.site_batch import site_dumps
from tests.test_cleaner_pelican import build, entry_content

BATCH = 22


def word_f1(markdown: str, story: list[str]) -> float:
    got, want = Counter(markdown.lower().split()), Counter(" ".join(story).lower().split())
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def kept(markdown: str, lines: list[str]) -> list[str]:
    blocks = set(markdown.split("\n\n"))
    return [line for line in lines if line in blocks]


def test_a_batch_cleans_every_dump_at_least_as_well_and_its_template_lines_better():
    dumps = site_dumps(BATCH)
    template = learn(d.text for d in dumps)
    alone_template = batch_template = 0
    for dump in dumps:
        alone = clean_article(dump.text, source_name="alone.txt")
        batch = clean_article(dump.text, source_name="batch.txt", template=template)
        assert word_f1(batch.markdown, dump.story) >= word_f1(alone.markdown, dump.story)
        assert len(kept(batch.markdown, dump.template)) <= len(kept(alone.markdown, dump.template))
        assert kept(batch.markdown, dump.story) == dump.story  # the story whole, its lede teased in the rail or not
        assert batch.metadata["title"] == alone.metadata["title"] == dump.title
        assert batch.metadata["date"] == alone.metadata["date"]
        alone_template += len(kept(alone.markdown, dump.template))
        batch_template += len(kept(batch.markdown, dump.template))
    assert batch_template < alone_template
    assert batch_template == 0


def test_the_report_says_the_template_size():
    dumps = site_dumps(BATCH)
    template = learn(d.text for d in dumps)
    report = clean_article(dumps[5].text, template=template).report
    assert f"site template: {len(template)} lines" in report.as_text()
    assert report.hits["text.site-template"].blocks > 0
    assert "site template" not in clean_article(dumps[5].text).report.as_text()


def test_what_counts_as_template():
    pages = ["Story one\nHome\n12 March 2026", "Story two\nHome\n12 March 2026",
             "Story three\nHome\nFooter\n12 March 2026", "Story four\nFooter\n12 March 2026"]
    template = learn(pages)
    assert template.lines == {"home", "footer"}  # in 3 and 2 of 4 pages; a date line is each page's own
    assert not learn(pages[:3])  # under NEWSROOM_SITE_TEMPLATE_MIN_PAGES pages teach nothing
    assert not learn(pages, min_pages=0)  # 0: templates off
    assert learn(pages, share=0.75).lines == {"home"}


def test_copies_of_one_story_count_once_and_do_not_empty_it():
    story = site_dumps(1)[0]
    updated = story.text.replace("Published:", "Updated:")
    assert not learn([story.text] * 4 + [updated])  # one story, however many times scraped
    cleaned = clean_article(story.text, template=learn([story.text] * 5))
    assert kept(cleaned.markdown, story.story) == story.story


def test_the_store_keeps_what_was_learned_for_a_later_single_scrape(tmp_path):
    dumps = site_dumps(8)
    path = tmp_path / "cache" / "site_templates.json"
    learned = TemplateStore(path).learn("scraped/gazette", [d.text for d in dumps])
    again = TemplateStore(path).learn("scraped/gazette", [d.text for d in dumps[:1]])  # seen already
    assert again == learned and again.pages == 8
    assert TemplateStore(path).learn("scraped/other", [dumps[0].text]) == SiteTemplate()
    later = site_dumps(9)[8]  # a new story from the site, scraped alone
    alone = clean_article(later.text)
    stored = TemplateStore(path).learn("scraped/gazette", [later.text])
    assert stored.pages == 9 and len(stored) == len(learned)
    assert len(kept(clean_article(later.text, template=stored).markdown, later.template)) < \
        len(kept(alone.markdown, later.template))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert all(count > 1 for count in data["sites"]["scraped/gazette"]["lines"].values())  # story lines not kept


def test_import_scraped_learns_the_batchs_template(tmp_path):
    folder = tmp_path / "scrape"
    folder.mkdir()
    dumps = site_dumps(BATCH)
    for i, dump in enumerate(dumps):
        (folder / f"page-{i:02}.txt").write_text(dump.text, encoding="utf-8")
    outcomes = import_scraped([folder], tmp_path / "content")
    assert len(outcomes) == BATCH and all(outcome.post for outcome in outcomes)
    for outcome in outcomes:
        text = outcome.post.read_text(encoding="utf-8")
        assert "text.site-template=" in text
        assert "Sign up for the Gazette's morning briefing" not in text
    single = import_scraped([folder / "page-03.txt"], tmp_path / "alone")[0].post.read_text(encoding="utf-8")
    assert "Sign up for the Gazette's morning briefing" in single  # one dump alone teaches nothing


def test_a_pelican_build_learns_the_folders_template_and_keeps_it_in_the_cache(tmp_path):
    dumps = site_dumps(6)
    files = {f"scraped/gazette/page-{i}.txt": d.text.encode() for i, d in enumerate(dumps)}
    output = build(tmp_path, files, CACHE_PATH=str(tmp_path / "cache"))
    pages = sorted(output.glob("*backs*.html"))
    assert len(pages) == 6
    for page in pages:
        body = entry_content(page.read_text(encoding="utf-8"))
        assert "morning briefing" not in body and "independent newspaper" not in body
    store = json.loads((tmp_path / "cache" / "newsroom_cleaner" / "site_templates.json").read_text())
    assert len(store["sites"]["scraped/gazette"]["pages"]) == 6
    off = build(tmp_path / "off", files, CACHE_PATH=str(tmp_path / "off-cache"), NEWSROOM_SITE_TEMPLATE_MIN_PAGES=0)
    assert any("morning briefing" in entry_content(page.read_text(encoding="utf-8"))
               for page in off.glob("*backs*.html"))
    assert not (tmp_path / "off-cache" / "newsroom_cleaner").exists()


@pytest.mark.parametrize("name, value", [("NEWSROOM_SITE_TEMPLATE_MIN_PAGES", -1),
                                         ("NEWSROOM_SITE_TEMPLATE_MIN_PAGES", "four"),
                                         ("NEWSROOM_SITE_TEMPLATE_SHARE", 0), ("NEWSROOM_SITE_TEMPLATE_SHARE", 1.5)])
def test_a_bad_threshold_setting_is_refused_with_its_name(name, value):
    with pytest.raises(ValueError, match=name):
        reader_settings({name: value})


def test_with_the_speed_plugin_each_dump_is_cleaned_once_with_the_template(tmp_path, monkeypatch):
    dumps = site_dumps(6)
    files = {f"scraped/gazette/page-{i}.txt": d.text.encode() for i, d in enumerate(dumps)}
    cleaned = []
    real = pipeline.clean_article

    def counting(*args, **kwargs):
        cleaned.append(kwargs.get("template"))
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "clean_article", counting)
    # One worker: the scrapes are cleaned ahead (ScrapeCache.preclean), not read ahead by the pool.
    for _ in range(2):  # the second build serves every scrape from the cache
        output = build(tmp_path, files, CACHE_PATH=str(tmp_path / "cache"),
                       PLUGINS=["newsroom_cleaner", "newsroom_speed"], NEWSROOM_SPEED_WORKERS=1)
        pages = sorted(output.glob("*backs*.html"))
        assert len(pages) == 6
        for page in pages:
            assert "morning briefing" not in entry_content(page.read_text(encoding="utf-8"))
    assert len(cleaned) == 6 and all(cleaned)  # cleaned ahead with the template, not again by the reader


def test_a_damaged_or_unwritable_store_costs_nothing_but_the_memory(tmp_path):
    dumps = site_dumps(6)
    path = tmp_path / "site_templates.json"
    path.write_text('{"version": 1, "sites": {"scraped/gazette": "junk", "other": {"pages": 3}}}')
    assert len(TemplateStore(path).learn("scraped/gazette", [d.text for d in dumps])) > 0
    path.write_bytes(b"\x00not json")
    assert len(TemplateStore(path).learn("scraped/gazette", [d.text for d in dumps])) > 0
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    assert len(TemplateStore(blocked / "site_templates.json").learn("s", [d.text for d in dumps])) > 0
