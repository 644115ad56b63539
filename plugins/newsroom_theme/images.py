"""Responsive images: every local image a story shows is resized once into a few widths in
WebP, plus a fallback in its own format, and pages offer them with ``srcset``/``sizes``.

Variants are named by a digest of the original's bytes and of the resize settings, kept in a
cache folder (``<CACHE_PATH>/newsroom_images``) and copied into the output folder, so an image
is resized once whatever it is called, however often the output is emptied, and a rebuild with
no new image resizes nothing (an index of each original's size and mtime spares even reading
it). New images are resized over a process pool, one image per task.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, asdict
from typing import Any

from newsroom_cleaner.write import write_atomic
from PIL import Image, ImageOps

log = logging.getLogger(__name__)

# Pillow format -> the fallback variant's format and file extension (others become PNG: they
# may hold transparency, which JPEG cannot)
_FALLBACK = {"JPEG": ("JPEG", "jpg"), "MPO": ("JPEG", "jpg"), "PNG": ("PNG", "png")}
_ORIENTATION = 0x0112  # EXIF tag; values 5 to 8 turn the picture a quarter
_INDEX = "index.json"
_PUBLISHED = "published.json"  # output folder -> the variants the last build put there
# Encoder effort: WebP's method 2 takes two thirds of the time of 4 (Pillow's default) for
# files a few per cent larger, and keeps a site's first build of its archive short; the
# fallback is for the rare browser without WebP, so PNG trades size for speed (a progressive
# JPEG has optimised tables already)
_WEBP_METHOD = 2
_JPEG_OPTIONS = {"progressive": True}
_PNG_OPTIONS = {"compress_level": 3}
# Bicubic: Pillow widens the filter with the ratio (no aliasing), and each variant is made from
# the next larger one; as sharp to the eye as Lanczos here, for a third less time
_RESAMPLING = Image.BICUBIC


@dataclass(frozen=True)
class Original:
    """An original image as the pages need it: its digest (variant names), displayed size
    (after EXIF rotation) and the fallback format."""

    digest: str
    width: int
    height: int
    ext: str


@dataclass(frozen=True)
class Config:
    """What variants are made: part of every variant's name (``Original.digest``)."""

    widths: tuple[int, ...]
    quality: int
    workers: int | None
    cache: str  # folder of the variants and the index
    folder: str  # their folder in the output, relative to it

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Config:
        return cls(tuple(sorted(set(settings["NEWSROOM_IMAGE_WIDTHS"]))), settings["NEWSROOM_IMAGE_QUALITY"],
                   settings["NEWSROOM_IMAGE_WORKERS"], os.path.join(settings["CACHE_PATH"], "newsroom_images"),
                   settings["NEWSROOM_IMAGE_FOLDER"].strip("/"))

    def params(self) -> bytes:
        return repr((self.widths, self.quality, _FALLBACK, _WEBP_METHOD, _JPEG_OPTIONS, _PNG_OPTIONS,
                     _RESAMPLING)).encode()


def variant_widths(width: int, widths: Iterable[int]) -> list[int]:
    """The widths made of an image ``width`` pixels wide: those of ``widths`` below it, and the
    largest one or the image's own width, whichever is smaller (never upscaled)."""
    widths = sorted(set(widths))
    return [w for w in widths if w < min(width, widths[-1])] + [min(width, widths[-1])]


def variants(original: Original, config: Config) -> tuple[list[tuple[str, int]], tuple[str, int]]:
    """The WebP variants' (name, width), smallest first, and the fallback's: one file in the
    original's format at the middle width, for the rare browser without WebP (a fallback per
    width would double the files and the encoding time for almost no reader)."""
    widths = variant_widths(original.width, config.widths)
    webp = [(f"{original.digest}-{width}.webp", width) for width in widths]
    middle = widths[len(widths) // 2]
    return webp, (f"{original.digest}-{middle}.{original.ext}", middle)


def file_names(original: Original, config: Config) -> list[str]:
    webp, fallback = variants(original, config)
    return [name for name, _ in webp] + [fallback[0]]


def probe(path: str, params: bytes) -> Original | None:
    """Digest, size and fallback format of an image file; None if Pillow cannot read it or it is
    animated (a still variant would lose the animation: such images are shown as they are)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
        with Image.open(path) as img:
            if getattr(img, "n_frames", 1) > 1:
                return None
            width, height = img.size
            if _turned(img):
                width, height = height, width
            ext = _FALLBACK.get(img.format, ("PNG", "png"))[1]
    except (OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        return None
    digest = hashlib.blake2b(params + data, digest_size=10).hexdigest()
    return Original(digest, width, height, ext)


def _orientation(img: Image.Image) -> int:
    """The EXIF orientation, read from the header only: Pillow's getexif() decodes a whole PNG
    to look for a chunk after its pixels."""
    if img.format != "PNG":
        return img.getexif().get(_ORIENTATION, 1)
    exif = Image.Exif()
    if "exif" in img.info:
        exif.load(img.info["exif"])
    return exif.get(_ORIENTATION, 1)


def _turned(img: Image.Image) -> bool:
    """Is the picture shown turned a quarter (EXIF orientation 5 to 8)?"""
    return _orientation(img) in (5, 6, 7, 8)


def make_variants(path: str, original: Original, config: Config) -> int:
    """Write ``path``'s variants into the cache folder (each written under a temporary name and
    renamed, so a variant is whole or absent); returns how many files were written."""
    webp, (fallback, fallback_width) = variants(original, config)
    fallback_format = "JPEG" if original.ext == "jpg" else "PNG"
    with Image.open(path) as img:
        largest = (webp[-1][1], webp[-1][1] * original.height // original.width)
        turned = _turned(img)
        if turned:
            largest = largest[::-1]  # the file's pixels are turned a quarter from what is shown
        # JPEG decodes at 1/2, 1/4 or 1/8 scale for far less work, still no smaller than needed
        img.draft("RGB", largest)
        if turned or _orientation(img) != 1:  # (exif_transpose copies the image even when upright)
            img = ImageOps.exif_transpose(img)
        img = img.convert("RGB" if fallback_format == "JPEG" or img.mode in ("RGB", "CMYK", "YCbCr", "L")
                          else "RGBA")
        written = 0
        for name, width in reversed(webp):
            height = max(1, round(original.height * width / original.width))
            # each from the next larger variant: a smaller source, a third of the work
            if img.size != (width, height):
                img = img.resize((width, height), _RESAMPLING, reducing_gap=3.0)
            _save(img, os.path.join(config.cache, name), "WEBP", quality=config.quality, method=_WEBP_METHOD)
            written += 1
            if width == fallback_width:
                _save(img, os.path.join(config.cache, fallback), fallback_format,
                      **(_JPEG_OPTIONS | {"quality": config.quality} if fallback_format == "JPEG" else _PNG_OPTIONS))
                written += 1
    return written


def _save(img: Image.Image, target: str, fmt: str, **options: Any) -> None:
    temporary = f"{target}.{os.getpid()}.tmp"
    img.save(temporary, fmt, **options)
    os.replace(temporary, target)


def _make(job: tuple[str, Original, Config]) -> tuple[int, str | None]:
    """One pool task: (files written, error or None)."""
    path, original, config = job
    try:
        return make_variants(path, original, config), None
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        return 0, str(error)


class ImageSet:
    """The responsive images of one build: ``original`` finds what each image path is,
    ``prepare`` resizes the new ones, ``publish`` puts the variants into the output."""

    def __init__(self, config: Config, content_path: str):
        self.config = config
        self.content = content_path
        self.params = config.params()
        self.resized = 0  # images resized by this build (0 when no image is new)
        self.files_written = 0  # their variant files
        self._index = self._load_index()  # as the last build left it
        self._found: dict[str, Original | None] = {}
        self._entries: dict[str, list] = {}  # this build's index: path -> [size, mtime_ns, Original's fields]
        self._ready: set[str] = set()  # digests of the originals whose variants are all in the cache

    def _load_index(self) -> dict[str, list]:
        try:
            with open(os.path.join(self.config.cache, _INDEX), encoding="utf-8") as f:
                saved = json.load(f)
            if saved.get("params") == self.params.decode():
                return saved["images"]
        except (OSError, ValueError, KeyError, AttributeError):
            pass  # none yet, or unusable: probe every image again
        return {}

    def original(self, relative: str) -> Original | None:
        """The image at ``relative`` (to the content folder), None if missing or unreadable.
        Probed only when its size or mtime differs from what the index says."""
        if relative in self._found:
            return self._found[relative]
        path = os.path.join(self.content, relative)
        found = None
        try:
            stat = os.stat(path)
        except OSError:
            pass
        else:
            entry = self._index.get(relative)
            try:
                if entry and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
                    found = Original(**entry[2])
            except TypeError:  # an index of other code
                pass
            if found is None:
                found = probe(path, self.params)  # an unreadable file is probed again: it may be fixed
            if found is not None:
                self._entries[relative] = [stat.st_size, stat.st_mtime_ns, asdict(found)]
        self._found[relative] = found
        return found

    def prepare(self) -> None:
        """Resize every image found this build whose variants are not all in the cache."""
        os.makedirs(self.config.cache, exist_ok=True)
        have = set(os.listdir(self.config.cache))
        jobs, seen = [], set()
        for relative, original in self._found.items():
            if original is None or original.digest in seen:
                continue
            seen.add(original.digest)
            if all(name in have for name in file_names(original, self.config)):
                self._ready.add(original.digest)
            else:
                jobs.append((os.path.join(self.content, relative), original, self.config))
        workers = self.config.workers or os.cpu_count() or 1
        if len(jobs) > 1 and workers > 1:
            with ProcessPoolExecutor(min(workers, len(jobs))) as pool:
                results = list(pool.map(_make, jobs))  # one image a task: they differ a hundredfold in cost
        else:
            results = [_make(job) for job in jobs]
        resized = written_now = 0  # by this call (a build prepares the articles' images, then the pages')
        for (path, original, _), (written, error) in zip(jobs, results):
            written_now += written
            if error:
                log.warning("newsroom_theme: %s could not be resized (%s); shown at full size", path, error)
            else:
                self._ready.add(original.digest)
                resized += 1
        self.resized += resized
        self.files_written += written_now
        if jobs:
            log.info("newsroom_theme: resized %d new images (%d files)", resized, written_now)
        if self._entries != self._index:
            self._save_index()

    def _save_index(self) -> None:
        target = os.path.join(self.config.cache, _INDEX)
        try:
            write_atomic(target, json.dumps({"params": self.params.decode(), "images": self._entries}).encode())
        except OSError as error:
            log.warning("newsroom_theme: image index not saved to %s (%s)", target, error)

    def publish(self, output_path: str) -> None:
        """Copy the variants of this build's images into the output folder (those there already
        are kept as they are) and delete the ones no page uses any more."""
        folder = os.path.join(output_path, self.config.folder)
        os.makedirs(folder, exist_ok=True)
        there = set(os.listdir(folder))
        needed = {name for original in set(self._found.values()) if original and original.digest in self._ready
                  for name in file_names(original, self.config)}
        for name in needed - there:
            source = os.path.join(self.config.cache, name)
            if os.path.exists(source):
                shutil.copyfile(source, os.path.join(folder, name))
        for name in there - needed:
            os.remove(os.path.join(folder, name))
        _record_published(self.config, folder, needed)

    def facts(self, relative: str, alt: str = "", caption: str = "") -> dict | None:
        """What the templates and ``picture_html`` need to show the image at ``relative``: its
        size and its variants' paths (relative to the site root), or just the original's path
        when it has no variants (animated, or resizing failed). None if missing or unreadable."""
        original = self.original(relative)
        if original is None:
            size = _plain_size(os.path.join(self.content, relative))
            if size is None:
                return None
            return {"src": relative, "width": size[0], "height": size[1], "alt": alt, "caption": caption,
                    "webp": []}
        if original.digest not in self._ready:
            return {"src": relative, "width": original.width, "height": original.height, "alt": alt,
                    "caption": caption, "webp": []}
        webp, fallback = variants(original, self.config)
        folder = self.config.folder
        largest = webp[-1][1]
        return {"src": f"{folder}/{fallback[0]}", "width": largest,
                "height": max(1, round(original.height * largest / original.width)),
                "alt": alt, "caption": caption, "webp": [(f"{folder}/{name}", width) for name, width in webp]}


def _published(config: Config) -> dict[str, list[str]]:
    try:
        with open(os.path.join(config.cache, _PUBLISHED), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def _record_published(config: Config, folder: str, names: set[str]) -> None:
    """Note which variants ``folder`` (an output's) holds, for ``published_intact``."""
    published = _published(config)
    if published.get(os.path.abspath(folder)) != sorted(names):
        published[os.path.abspath(folder)] = sorted(names)
        target = os.path.join(config.cache, _PUBLISHED)
        write_atomic(target, json.dumps(published).encode())


def published_intact(settings: dict[str, Any], output_path: str) -> bool:
    """Does the output still hold every variant the last build put there? (A build that
    newsroom_speed would skip, nothing having changed, runs when not.)"""
    config = Config.from_settings(settings)
    folder = os.path.join(output_path, config.folder)
    names = _published(config).get(os.path.abspath(folder))
    if not names:
        return True
    try:
        return set(names) <= set(os.listdir(folder))
    except OSError:
        return False


def _plain_size(path: str) -> tuple[int, int] | None:
    try:
        with Image.open(path) as img:
            return img.size
    except (OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        return None
