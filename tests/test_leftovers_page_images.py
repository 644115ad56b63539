"""Pages (content/pages/*: About, Contact) show their body images as articles do: responsive
``<picture>``s with WebP ``srcset``/``sizes``, width and height, lazy; real Pelican builds of the
theme's sample site with an About page of images, and rebuilds through newsroom_speed."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from tests.test_theme_images import _build, _candidates, _photo, _resized, _write_site

ABOUT = """Title: About
Slug: about
Summary: Who we are.

We are a small newsroom.

![Our newsroom on the quay](images/office.jpg)

The quay, as the photo essay shows it: ![The quay]({static}/images/quay.png)
"""


def _about(output: Path) -> tuple[BeautifulSoup, Path]:
    path = output / "about" / "index.html"
    return BeautifulSoup(path.read_text(), "html.parser"), path.parent


def _assert_responsive(output: Path) -> None:
    page, folder = _about(output)
    body = page.select_one(".article-body")
    assert not body.select("img:not(picture img)")  # every image is a picture
    pictures = body.select("picture")
    assert [p.find("img")["alt"] for p in pictures] == ["Our newsroom on the quay", "The quay"]
    for picture in pictures:
        source, img = picture.find("source"), picture.find("img")
        assert source["type"] == "image/webp" and "40rem" in source["sizes"]
        assert img["loading"] == "lazy" and img["decoding"] == "async"
        for url, width in _candidates(source["srcset"]) + [(img["src"], None)]:
            assert (folder / url).resolve().is_file(), url
    office = body.find("img", alt="Our newsroom on the quay")
    assert (office["width"], office["height"]) == ("1200", "900")  # 1600x1200 shown at most 1200 wide
    assert [w for _, w in _candidates(office.find_previous_sibling("source")["srcset"])] == [480, 800, 1200]


def test_a_pages_body_images_are_responsive_like_an_articles(tmp_path):
    content = _write_site(tmp_path)
    _photo(content / "images" / "office.jpg", (1600, 1200), 4)
    (content / "pages" / "about.md").write_text(ABOUT)
    output = tmp_path / "output"
    log = _build(content, output)
    _assert_responsive(output)
    assert _resized(log) == 10  # test_theme_images' 9, and the page's own photo
    # the image both show (the essay's quay) is one set of files, and the essay's pictures are whole
    essay = next(output.glob("*/*/photo-essay/index.html"))
    quay = BeautifulSoup(essay.read_text(), "html.parser").find("img", alt="The quay")["src"]
    page, _ = _about(output)
    assert Path(quay).name == Path(page.find("img", alt="The quay")["src"]).name
    for img in BeautifulSoup(essay.read_text(), "html.parser").select(".article-body picture img"):
        assert (essay.parent / img["src"]).resolve().is_file()

    # Rebuilds (newsroom_speed): an article edited, then the page edited; the page's pictures stay.
    post = content / "photo-essay.md"
    post.write_text(post.read_text().replace("The end.", "The end, edited."))
    assert _resized(_build(content, output)) == 0
    _assert_responsive(output)
    about = content / "pages" / "about.md"
    about.write_text(about.read_text().replace("a small newsroom", "a small, busy newsroom"))
    _build(content, output)
    _assert_responsive(output)
    assert "a small, busy newsroom" in _about(output)[0].get_text()
