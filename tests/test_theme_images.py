"""Responsive images end to end: real Pelican builds of the theme's sample site with a post of
body images (by the Image: path, by {static}, a missing one, a figure, a small image), the HTML
a reader gets, the files in the output, and what a second build does."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageDraw

from newsroom_theme import bodymarkup
from tests.theme_sample import build_theme_site, utc_now, write_theme_site

WIDE = {"COLUMNS": "400"}  # one log record per line: Rich wraps at the terminal's width
POST = """Title: Photo essay from the harbour
Date: {date}
Category: World
Slug: photo-essay
Image: images/harbour-photo.jpg
Image_alt: Cranes over the harbour at dawn

The harbour at dawn, as the first ship came in.

![Cranes over the harbour](images/harbour-photo.jpg)

![The quay](images/quay.png "The quay on Monday — Photo: Ana Ruiz")

A line with an image ![inline](images/small.jpg "not a caption") inside it.

![By the static prefix]({{static}}/images/quay.png)

![A picture that was never saved](images/nowhere.jpg)

The end.
"""


def _photo(path: Path, size: tuple[int, int], seed: int) -> None:
    """A photo-like picture (gradients and shapes: something a codec has to work on)."""
    img = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(img)
    for i in range(40):
        x, y = (seed * 97 + i * 53) % size[0], (seed * 31 + i * 71) % size[1]
        draw.ellipse((x, y, x + size[0] // 6, y + size[1] // 6), fill=((i * 40) % 255, (seed * 50) % 255, i * 6))
    img.save(path, quality=92) if path.suffix == ".jpg" else img.save(path)


def _write_site(base: Path) -> Path:
    content = base / "content"
    write_theme_site(content, utc_now())
    _photo(content / "images" / "harbour-photo.jpg", (2000, 1333), 1)
    _photo(content / "images" / "quay.png", (900, 600), 2)
    _photo(content / "images" / "small.jpg", (300, 200), 3)
    (content / "photo-essay.md").write_text(POST.format(date=f"{utc_now():%Y-%m-%d %H:%M}"))
    return content


def _build(content: Path, output: Path, *extra: str):
    done = build_theme_site(content, output, ["NEWSROOM_SEARCH=false", *extra, "-v"], env=WIDE)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def _resized(log: str) -> int:
    """Images resized by the build, as its log says (0 when it says nothing)."""
    found = re.findall(r"newsroom_theme: resized (\d+) new images", log)
    return sum(map(int, found))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("images_site")
    content = _write_site(base)
    log = _build(content, base / "output")
    return base, log


def _page(site: Path, slug: str) -> BeautifulSoup:
    path = next(site.glob(f"*/*/{slug}/index.html"))
    return BeautifulSoup(path.read_text(), "html.parser"), path.parent


def _candidates(srcset: str) -> list[tuple[str, int]]:
    return [(url, int(width[:-1])) for url, width in (part.split() for part in srcset.split(","))]


def test_lead_image_is_a_preloaded_eager_picture_with_sized_variants(built):
    base, _ = built
    page, folder = _page(base / "output", "photo-essay")
    lead = page.select_one("figure.lead-image picture")
    source, img = lead.find("source"), lead.find("img")
    assert source["type"] == "image/webp" and "40rem" in source["sizes"]
    assert [w for _, w in _candidates(source["srcset"])] == [480, 800, 1200]
    assert img["src"].endswith("-800.jpg") and not img.get("srcset")  # one fallback, for browsers without WebP
    assert (img["width"], img["height"]) == ("1200", "800")  # reserves the space: 2000x1333 shown 1200 wide
    assert img.get("fetchpriority") == "high" and not img.get("loading")
    preload = page.find("link", rel="preload")
    assert preload["as"] == "image" and preload["imagesrcset"] == source["srcset"]
    assert preload["imagesizes"] == source["sizes"] and preload["fetchpriority"] == "high"
    # every candidate is a file of the output, as wide as it says
    for url, width in _candidates(source["srcset"]) + [(img["src"], 800)]:
        with Image.open((folder / url).resolve()) as variant:
            assert variant.width == width and variant.format == ("WEBP" if url.endswith(".webp") else "JPEG")


def test_webp_variants_are_smaller_than_the_originals(built):
    base, _ = built
    output, content = base / "output", base / "content"
    page, folder = _page(output, "photo-essay")
    for picture, original in zip(page.select(".article-body picture")[:2], ("harbour-photo.jpg", "quay.png")):
        largest = _candidates(picture.find("source")["srcset"])[-1][0]
        assert (folder / largest).resolve().stat().st_size < (content / "images" / original).stat().st_size


def test_body_images_by_the_image_path_and_static_are_lazy_pictures(built):
    base, _ = built
    page, folder = _page(base / "output", "photo-essay")
    body = page.select_one(".article-body")
    pictures = body.select("picture")
    assert len(pictures) == 4  # harbour photo, quay figure, small inline, quay by {static}
    for picture in pictures:
        img = picture.find("img")
        assert img["loading"] == "lazy" and img["width"] and img["height"] and picture.find("source")["sizes"]
        assert (folder / img["src"]).resolve().is_file()
    # the image smaller than the smallest width is never upscaled: one variant, its own width
    small = body.find("img", alt="inline")
    assert _candidates(small.find_previous_sibling("source")["srcset"]) == [(small["src"][:-4] + ".webp", 300)]
    assert small["src"].endswith("-300.jpg")
    assert body.find("img", alt="By the static prefix")["src"] == body.find("img", alt="The quay")["src"]
    assert not body.select('img[src*="images/harbour-photo.jpg"], img[src*="{static}"]')


def test_missing_body_image_warns_once_naming_post_and_path(built):
    base, log = built
    page, _ = _page(base / "output", "photo-essay")
    warnings = [line for line in log.splitlines() if "nowhere.jpg" in line]
    assert len(warnings) == 1, warnings
    assert "WARNING" in warnings[0] and "photo-essay.md" in warnings[0] and "images/NAME.jpg" in warnings[0]
    assert not page.select('img[src*="nowhere"]')
    assert "A picture that was never saved" in page.select_one(".article-body").get_text()


def test_image_alone_with_a_title_is_a_figure_with_one_caption(built):
    base, _ = built
    page, _ = _page(base / "output", "photo-essay")
    figures_ = page.select(".article-body figure")
    assert len(figures_) == 1
    figure = figures_[0]
    assert [c.get_text() for c in figure.find_all("figcaption")] == ["The quay on Monday — Photo: Ana Ruiz"]
    assert figure.find("img")["alt"] == "The quay" and not figure.find("img").get("title")
    # an image beside text keeps its paragraph (and its title)
    assert page.find("img", alt="inline").find_parent("p") is not None


def test_front_page_and_sections_show_pictures_lazy_below_the_fold(built):
    base, _ = built
    output = base / "output"
    home = BeautifulSoup((output / "index.html").read_text(), "html.parser")
    lead = home.select_one(".lead picture img")
    assert lead["fetchpriority"] == "high" and not lead.get("loading")
    assert home.find("link", rel="preload")["imagesrcset"] == home.select_one(".lead picture source")["srcset"]
    latest = home.select(".latest picture img")
    assert latest and all(img["loading"] == "lazy" for img in latest)
    world = BeautifulSoup((output / "section" / "world" / "index.html").read_text(), "html.parser")
    listed = world.select(".story-list picture img")
    assert len(listed) >= 2  # the photo essay and the harbour story have lead images
    assert listed[0].get("fetchpriority") == "high" and all(img["loading"] == "lazy" for img in listed[1:])
    assert all("14rem" in source["sizes"] for source in world.select(".story-list picture source"))


def test_a_rebuild_without_new_images_resizes_nothing(built, tmp_path):
    base, first_log = built
    # the sample site's 5 lead images and 1 body figure, the essay's 3 images
    assert _resized(first_log) == 9
    shutil.copytree(base / "content", tmp_path / "content")
    shutil.copytree(base / "cache", tmp_path / "cache")
    cache = tmp_path / "cache" / "newsroom_images"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir() if p.suffix != ".json"}  # the variants
    # a text edit: Pelican runs (the build is not skipped), with every image already resized;
    # into a new output folder, which gets the variants copied, not made again
    post = tmp_path / "content" / "photo-essay.md"
    post.write_text(post.read_text().replace("The end.", "The end, edited."))
    log = _build(tmp_path / "content", tmp_path / "output")
    assert _resized(log) == 0 and "resized" not in log
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir() if p.name in before} == before
    page, folder = _page(tmp_path / "output", "photo-essay")
    assert "The end, edited." in page.get_text()
    assert all((folder / img["src"]).resolve().is_file() for img in page.select("picture img"))
    # a new image: that one alone is resized
    _photo(tmp_path / "content" / "images" / "new.jpg", (1000, 700), 9)
    post.write_text(post.read_text().replace("The end, edited.", "![New](images/new.jpg)"))
    assert _resized(_build(tmp_path / "content", tmp_path / "output")) == 1


def test_a_variant_deleted_from_the_output_comes_back_without_resizing(tmp_path):
    """With nothing changed newsroom_speed skips the build, unless the output lost a variant."""
    content = _write_site(tmp_path)
    _build(content, tmp_path / "output")
    sized = tmp_path / "output" / "images" / "sized"
    lost = sorted(sized.iterdir())[0]
    lost.unlink()
    log = _build(content, tmp_path / "output")
    assert lost.is_file() and _resized(log) == 0


def test_unused_variants_leave_the_output(built, tmp_path):
    base, _ = built
    shutil.copytree(base / "content", tmp_path / "content")
    shutil.copytree(base / "output", tmp_path / "output")
    shutil.copytree(base / "cache", tmp_path / "cache")
    sized = tmp_path / "output" / "images" / "sized"
    count = len(os.listdir(sized))
    (tmp_path / "content" / "photo-essay.md").unlink()
    _build(tmp_path / "content", tmp_path / "output")
    # the essay's own images (harbour photo, quay, small: 3 + 3 + 1 WebP widths, a fallback each) went
    assert len(os.listdir(sized)) == count - 10


def test_figure_extension_is_in_the_markdown_settings_with_its_code_digest():
    """newsroom_speed caches rendered Markdown under a digest of MARKDOWN: an edit of the
    figure rule must change it."""
    settings = {"MARKDOWN": {"extensions": ["markdown.extensions.extra"]}}
    bodymarkup.add_to(settings)
    bodymarkup.add_to(settings)  # idempotent
    md = settings["MARKDOWN"]
    assert md["extensions"].count(bodymarkup.EXTENSION) == 1
    assert md["extension_configs"][bodymarkup.EXTENSION] == {"code": bodymarkup.code_digest()}
    html = markdown.markdown('![Alt](images/x.jpg "Cap — Credit")\n\n![Plain](images/y.jpg)',
                             extensions=md["extensions"], extension_configs=md["extension_configs"])
    assert html == ('<figure><img alt="Alt" src="images/x.jpg" /><figcaption>Cap — Credit</figcaption></figure>\n'
                    '<p><img alt="Plain" src="images/y.jpg" /></p>')


def test_turned_animated_and_broken_images(tmp_path, caplog):
    """A photo turned by its EXIF orientation is resized as shown; an animated GIF is shown as
    it is (a still variant would stop it); a file that is not an image warns like a missing one."""
    from newsroom_theme import images, pictures
    from newsroom_theme.settings import DEFAULTS

    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned a quarter clockwise
    Image.new("RGB", (1600, 900), (200, 30, 30)).save(content / "images" / "turned.jpg", exif=exif)
    frames = [Image.new("RGB", (200, 100), (80 * i, 0, 0)) for i in range(3)]
    frames[0].save(content / "images" / "moving.gif", save_all=True, append_images=frames[1:])
    (content / "images" / "text.jpg").write_text("not an image")
    found = images.ImageSet(images.Config.from_settings({**DEFAULTS, "CACHE_PATH": str(tmp_path / "cache")}),
                            str(content))
    html = ('<p><img alt="T" src="images/turned.jpg"></p><p><img alt="M" src="{static}/images/moving.gif"></p>'
            '<p>Before <img alt="Broken" src="images/text.jpg"> after</p>')
    root, imgs = pictures.body_images(html)
    for img in imgs:
        for path in pictures.candidates(img.get("src"), ""):
            found.original(path)
    found.prepare()
    assert found.resized == 1
    out = BeautifulSoup(pictures.responsive_body(root, imgs, "", found.facts, "..", "100vw", "post.md"),
                        "html.parser")
    turned = out.find("img", alt="T")
    assert (turned["width"], turned["height"]) == ("900", "1600")
    largest = _candidates(turned.find_previous_sibling("source")["srcset"])[-1][0]
    with Image.open(tmp_path / "cache" / "newsroom_images" / largest.rsplit("/", 1)[1]) as variant:
        assert variant.size == (900, 1600)
    moving = out.find("img", alt="M")
    assert moving["src"] == "../images/moving.gif" and moving.find_parent("picture") is None
    assert (moving["width"], moving["height"]) == ("200", "100")
    assert out.find("img", alt="Broken") is None and "Before Broken after" in out.get_text()
    assert caplog.text.count("post.md: image images/text.jpg is missing or not an image") == 1


def test_a_rebuild_reads_no_unchanged_image(tmp_path, monkeypatch):
    """The index of sizes and mtimes answers for unchanged originals: not opened, not hashed;
    a changed one is probed again."""
    from newsroom_theme import images
    from newsroom_theme.settings import DEFAULTS

    (tmp_path / "images").mkdir()
    for name in ("a.jpg", "b.png"):
        _photo(tmp_path / "images" / name, (900, 600), len(name))
    config = images.Config.from_settings({**DEFAULTS, "CACHE_PATH": str(tmp_path / "cache")})
    first = images.ImageSet(config, str(tmp_path))
    digests = [first.original(f"images/{name}").digest for name in ("a.jpg", "b.png")]
    first.prepare()
    assert first.resized == 2
    probed = []
    monkeypatch.setattr(images, "probe", lambda path, params: probed.append(path))
    again = images.ImageSet(config, str(tmp_path))
    assert [again.original(f"images/{name}").digest for name in ("a.jpg", "b.png")] == digests
    again.prepare()
    assert again.resized == 0 and probed == []
    _photo(tmp_path / "images" / "a.jpg", (900, 600), 7)
    images.ImageSet(config, str(tmp_path)).original("images/a.jpg")
    assert probed == [str(tmp_path / "images" / "a.jpg")]
