"""HTML body to Markdown, checked by what Pelican's Markdown renders from it."""

import lxml.html
import markdown

from newsroom_cleaner.convert import to_markdown

PELICAN_EXTENSIONS = ["markdown.extensions.codehilite", "markdown.extensions.extra", "markdown.extensions.meta"]


def convert(body: str, base: str | None = "https://news.example/world/story.html") -> str:
    return to_markdown(lxml.html.fragment_fromstring(f"<div>{body}</div>"), base)


def rendered(markdown_text: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(markdown.markdown(markdown_text, extensions=PELICAN_EXTENSIONS),
                                         create_parent="div")


def test_nested_lists_stay_nested_in_python_markdown():
    md = convert("<ol><li>First<ul><li>inner a</li><li>inner b<ol><li>deep</li></ol></li></ul></li><li>Second</li></ol>")
    tree = rendered(md)
    assert [li.text.strip() for li in tree.xpath("/div/ol/li")] == ["First", "Second"]
    assert [li.text.strip() for li in tree.xpath("/div/ol/li/ul/li")] == ["inner a", "inner b"]
    assert tree.xpath("/div/ol/li/ul/li/ol/li")[0].text.strip() == "deep"


def test_tables_headings_quotes_and_emphasis():
    md = convert("<h3>Results</h3><table><tr><th>Party</th><th>Seats</th></tr><tr><td>Greens | Left</td>"
                 "<td>12</td></tr></table><blockquote><p>We <em>won</em>, <strong>clearly</strong>.</p></blockquote>")
    assert md.startswith("### Results\n\n| Party | Seats |")
    tree = rendered(md)
    assert [c.text for c in tree.xpath("//td")] == ["Greens | Left", "12"]
    assert lxml.html.tostring(tree.xpath("//blockquote/p")[0], encoding="unicode", with_tail=False) == \
        "<p>We <em>won</em>, <strong>clearly</strong>.</p>"


def test_links_and_images_are_absolute_and_lazy_sources_found():
    md = convert('<p><a href="../politics/vote.html">the vote</a> and <a href="#notes">notes</a></p>'
                 '<img src="data:image/gif;base64,R0lGOD" data-src="/img/a.jpg" alt="A [cropped] photo">'
                 '<img srcset="/img/s.jpg 300w, /img/l.jpg 900w" alt="Big">'
                 '<picture><source srcset="/img/p.webp"><img src="data:," alt="Pic"></picture>'
                 '<figure><img src="//cdn.example/f.jpg" alt="F"><figcaption>The caption</figcaption></figure>')
    assert "[the vote](https://news.example/politics/vote.html)" in md
    assert "[notes](https://news.example/world/story.html#notes)" in md
    assert "![A (cropped) photo](https://news.example/img/a.jpg)" in md
    assert "![Big](https://news.example/img/l.jpg)" in md
    assert "![Pic](https://news.example/img/p.webp)" in md
    assert "![F](https://cdn.example/f.jpg)\n\n*The caption*" in md
    assert "data:" not in md


def test_relative_links_and_images_without_a_base_keep_only_text():
    md = convert('<p>See <a href="/other">the other story</a>.</p><img src="/img/a.jpg" alt="x">', base=None)
    assert md == "See the other story."


def test_line_breaks_survive_as_python_markdown_breaks():
    md = convert("<p>Line one<br>Line two</p>")
    assert "<br" in markdown.markdown(md)


def test_paragraphs_opening_with_list_or_heading_marks_stay_paragraphs():
    texts = ["1) A train set for the floor.", "2. A kite for the beach", "- a dash opens this line",
             "+ plus one", "#winter is trending", "> not a quote", "---", "In 2019. we went 1) there."]
    md = convert("".join(f"<p>{t}</p>" for t in texts) + "<p>Gifts<br>3. a third line<br>- a fourth</p>"
                 "<ul><li>a real item</li></ul>")
    assert md.startswith("1\\) A train set")
    tree = rendered(md)
    assert [p.text_content() for p in tree.xpath("/div/p")] == [*texts, "Gifts\n3. a third line\n- a fourth"]
    assert [li.text for li in tree.xpath("//li")] == ["a real item"]
    assert not tree.xpath("//h1 | //h2 | //ol | //blockquote | //hr")


def test_escaped_paragraph_marks_clean_to_themselves():
    from newsroom_cleaner.pipeline import clean_article
    from newsroom_cleaner.write import to_pelican_markdown

    page = ("<html><head><title>Ten gifts for the holidays</title></head><body><article>"
            "<h1>Ten gifts for the holidays</h1><p>1) A train set that runs around the living room floor.</p>"
            "<p>2. A kite for windy days at the beach, with a long tail.</p><p>#gifts - a list for everyone</p>"
            "</article></body></html>")
    text = to_pelican_markdown(clean_article(page, source_name="gifts.html"))
    assert "\n\n1\\) A train set" in text
    assert to_pelican_markdown(clean_article(text, source_name="gifts.md")) == text


def test_inline_elements_in_cjk_text_get_no_added_spaces():
    md = convert('<p>今回はそのアプリ<a href="https://example.jp/pc">Kindle for PC</a>に関する話。'
                 '<strong>重要</strong>な<em>設定</em>です。</p><p>中文<a href="/a">链接</a>文本</p>')
    assert md == ("今回はそのアプリ[Kindle for PC](https://example.jp/pc)に関する話。**重要**な*設定*です。\n\n"
                  "中文[链接](https://news.example/a)文本")


def test_preformatted_text_keeps_its_spacing_inside_nested_elements():
    md = convert("<pre><code>total  = 1\n    <span>return</span>  total\n\n  end</code></pre><p>After  the   code.</p>")
    assert md == "```\ntotal  = 1\n    return  total\n\n  end\n```\n\nAfter the code."


def test_line_ends_in_the_source_text_are_not_breaks():
    md = convert("<p>The council met on Monday and voted to\n    extend the ferry timetable.</p>"
                 "<ul><li>Ferries run\n  every hour</li></ul><p>One<br>Two</p>")
    assert md == ("The council met on Monday and voted to extend the ferry timetable.\n\n"
                  "-   Ferries run every hour\n\nOne  \nTwo")


def test_a_wrapped_paragraph_line_is_not_judged_alone():
    from newsroom_cleaner.pipeline import clean_article

    body = "Readers who want to\nShare\ntheir views can write to the editor at the harbour office."
    page = (f"<html><head><title>Harbour letters</title></head><body><article><h1>Harbour letters</h1>"
            f"<p>{body}</p><p>The harbour office opens at nine every morning except Sunday.</p></article></body></html>")
    assert " ".join(body.split()) in clean_article(page, source_name="letters.html").markdown
