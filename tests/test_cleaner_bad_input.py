"""Bad input: a clear one-line CleanerError or warning naming the file, never a traceback or hang."""

import time

import pytest

from newsroom_cleaner.cli import extract_text, report_text
from newsroom_cleaner.errors import CleanerError
from newsroom_cleaner.pipeline import clean_article

PARAGRAPHS = "".join(f"<p>Paragraph {i} of the report says the harbour authority approved the new ferry "
                     f"timetable after months of consultation with residents.</p>" for i in range(6))
ARTICLE = f"<article><h1>Harbour approves ferry timetable</h1>{PARAGRAPHS}</article>"


def _error(raw, name="page.html") -> str:
    with pytest.raises(CleanerError) as caught:
        clean_article(raw, source_name=name)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{name}: ")
    return message


@pytest.mark.parametrize("raw, reason", [
    (b"", "empty file"),
    (b"  \n\t\n", "empty file"),
    ("\ufeff", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (bytes(range(256)) * 40, "binary file"),
    (b"PK\x03\x04" + b"\x00" * 100, "binary file"),
])
def test_empty_and_binary_input(raw, reason):
    assert reason in _error(raw)


def test_page_without_article():
    page = ("<html><head><title>Home</title></head><body><nav><a href='/a'>News</a> <a href='/b'>Sport</a>"
            "</nav><footer>© 2024 Example</footer></body></html>")
    assert "no article" in _error(page.encode())


def test_markup_without_any_text():
    assert "no article" in _error(b"<html><body><div><span></span></div><script>x()</script></body></html>")


def test_twenty_megabyte_page_is_bounded():
    teaser = '<div class="teaser"><a href="/n/{0}">Another story headline number {0}</a><span>1 day ago</span></div>'
    page = f"<html><body>{ARTICLE}{''.join(teaser.format(i) for i in range(200_000))}</body></html>".encode()
    assert len(page) > 20 * 2**20
    started = time.perf_counter()
    article = clean_article(page, source_name="big.html")
    assert time.perf_counter() - started < 30
    assert article.markdown.startswith("Paragraph 0 of the report")
    assert "Another story" not in article.markdown
    assert any("elements" in w for w in article.report.warnings)


def test_page_with_a_twenty_megabyte_inline_script_keeps_its_article():
    page = f"<html><head><script>{'x=1;' * 5_000_000}</script></head><body>{ARTICLE}</body></html>"
    markdown = clean_article(page.encode(), source_name="script.html").markdown
    assert markdown.count("Paragraph") == 6 and "x=1" not in markdown


@pytest.mark.parametrize("closing", [True, False])
def test_hundred_thousand_nested_divs(closing):
    page = "<html><body>" + "<div>" * 100_000 + ARTICLE + ("</div>" * 100_000 if closing else "") + "</body></html>"
    article = clean_article(page.encode(), source_name="nested.html")
    assert article.markdown.count("Paragraph") == 6
    assert any("nested" in w for w in article.report.warnings)


def test_deep_nesting_below_libxml2_limit_is_unwrapped_for_the_converter():
    page = "<html><body><article>" + "<div><span>" * 1000 + PARAGRAPHS + "</span></div>" * 1000 + "</article></body></html>"
    assert clean_article(page.encode(), source_name="deep.html").markdown.count("Paragraph") == 6


def test_oversized_file_is_refused_without_reading_it_as_text():
    assert "limit" in _error(b"<p>" + b"a" * (33 * 2**20))


def test_shift_jis_page_without_charset():
    body = "".join(f"<p>{t}</p>" for t in [
        "東京都は木曜日、新しい防災計画を発表した。計画では首都直下地震への備えを強化する。",
        "都の担当者によると、避難所の数を増やし、備蓄食料を三日分から七日分に拡大する方針だ。",
        "住民からは、情報をより早く届けてほしいという声が上がっている。"])
    page = f"<html><head><title>東京都が新しい防災計画を発表</title></head><body><article><h1>東京都が新しい防災計画を発表</h1>{body}</article></body></html>"
    article = clean_article(page.encode("shift_jis"), source_name="ja.html")
    assert article.metadata["title"] == "東京都が新しい防災計画を発表"
    assert "避難所の数を増やし" in article.markdown


def test_windows_1254_dump_without_charset():
    text = ("Kışın ilk karı İstanbul'u beyaza bürüdü\n\nŞehrin yüksek kesimlerinde kar kalınlığı "
            "on santimetreyi aştı; öğrenciler için okullar tatil edildi.\n\nMeteoroloji, soğuk havanın "
            "hafta sonuna kadar süreceğini açıkladı.")
    article = clean_article(text.encode("cp1254"), source_name="tr.txt")
    assert article.metadata["title"] == "Kışın ilk karı İstanbul'u beyaza bürüdü"
    assert "öğrenciler için okullar tatil edildi" in article.markdown


def test_missing_title_and_date_are_warnings():
    article = clean_article(("This dump has no headline line, only a long first paragraph that goes on "
                             "well past any plausible title length because it keeps adding clauses, "
                             "details and qualifications, the way body text does when a scraper loses "
                             "the headline and the date of the page it saved.\n\nSecond paragraph.").encode(),
                            source_name="notitle.txt")
    assert article.report.warnings == ["no title found", "no publication date found"]
    assert "title" not in article.metadata


def test_cli_helpers_name_the_file_and_leave_it_unchanged(tmp_path):
    path = tmp_path / "story.html"
    page = f"<html><head><title>Harbour approves ferry timetable</title></head><body>{ARTICLE}</body></html>"
    path.write_bytes(page.encode())
    text = extract_text(path, url="https://news.example/ferry")
    header, body = text.split("\n\n", 1)
    assert header.startswith("Title: Harbour approves ferry timetable\n")
    assert "Source_url: https://news.example/ferry" in header
    assert body.startswith("Paragraph 0")
    assert report_text(path).startswith(f"{path}\nrule")
    assert path.read_bytes() == page.encode()
    with pytest.raises(CleanerError, match=r"missing\.html: cannot read"):
        extract_text(tmp_path / "missing.html")


def test_article_after_a_huge_menu_and_icon_sprite_is_kept():
    menu = "<nav><ul>" + "".join(f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(35_000)) + "</ul></nav>"
    sprite = "<svg>" + '<path d="M0 0h1v1z"/>' * 40_000 + "</svg>"
    page = f"<html><body>{sprite}{menu}{ARTICLE}</body></html>".encode()
    started = time.perf_counter()
    article = clean_article(page, source_name="menu.html")
    assert time.perf_counter() - started < 30
    assert article.markdown.count("Paragraph") == 6 and "Section 1" not in article.markdown
    assert not any("elements" in w for w in article.report.warnings)
