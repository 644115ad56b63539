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
