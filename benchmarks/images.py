"""Responsive-image benchmark: resizing new images cold, then a rebuild with none new (warm).

    python benchmarks/images.py              # 500 images, as the issue's bar (under 60 s cold)
    python benchmarks/images.py --count 50   # quick

Writes ``--count`` varied images into a temporary folder (not timed): seven in ten JPEG photos
(grain of several scales over a gradient, and shapes; 400 to 3200 px wide), the others PNG
graphics (flat colours, shapes and lines, some with transparency; up to 2400 px), landscape,
square and portrait. Then runs the theme's image step (``newsroom_theme.images.ImageSet``: probe each image, resize the
new ones over the process pool, copy the variants to an output folder) as a build does: cold
(empty cache and output), warm (same images, a new ImageSet as a rebuild makes), and cold again
in one process (``NEWSROOM_IMAGE_WORKERS = 1``) as the reference for the pool. Prints seconds,
CPU seconds (this process and the pool's workers), images resized and files written for each, and
the load average: wall seconds on a shared machine depend on what else runs.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))
from newsroom_theme.images import Config, ImageSet  # noqa: E402
from newsroom_theme.settings import DEFAULTS  # noqa: E402

WIDTHS = [400, 800, 1200, 1600, 2400, 3200]
RATIOS = [(3, 2), (4, 3), (16, 9), (1, 1), (2, 3)]


def write_images(folder: Path, count: int, seed: int = 26) -> list[str]:
    """``count`` varied images in ``folder``; returns their names."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(count):
        photo = rng.random() < 0.7
        width = rng.choice(WIDTHS if photo else WIDTHS[:-1])
        rx, ry = rng.choice(RATIOS)
        size = (width, width * ry // rx)
        if photo:  # grain at a random scale over a gradient: textures a codec must work on
            grain = rng.choice([1, 2, 4, 8])
            noise = Image.effect_noise((size[0] // grain, size[1] // grain), rng.uniform(10, 60))
            noise = noise.resize(size, Image.BICUBIC).convert("RGB")
            base = Image.linear_gradient("L").rotate(rng.randrange(360)).resize(size).convert("RGB")
            img = Image.blend(base, noise, rng.uniform(0.2, 0.6))
        else:  # a graphic: flat colours, shapes and lines (charts, maps, screenshots)
            img = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(img)
        for _ in range(rng.randrange(3, 12)):
            x, y = rng.randrange(size[0]), rng.randrange(size[1])
            r = rng.randrange(20, max(21, size[0] // 4))
            colour = tuple(rng.randrange(256) for _ in range(3))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
            draw.line((0, y, size[0], rng.randrange(size[1])), fill=colour, width=rng.randrange(1, 8))
        if photo:
            name = f"img-{i:04d}.jpg"
            img.save(folder / name, quality=rng.choice([80, 90, 95]))
        else:
            name = f"img-{i:04d}.png"
            if rng.random() < 0.3:
                img.putalpha(Image.linear_gradient("L").resize(size))
            img.save(folder / name)
        names.append(name)
    return names


def _cpu() -> float:
    """CPU seconds of this process and its ended children (the pool's workers, once it closes)."""
    return sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for field in ("ru_utime", "ru_stime"))


def run(content: Path, names: list[str], cache: Path, output: Path,
        workers: int | None) -> tuple[float, float, int, int]:
    """(seconds, CPU seconds, images resized, files written) of one build's image step."""
    settings = {**DEFAULTS, "CACHE_PATH": str(cache), "NEWSROOM_IMAGE_WORKERS": workers}
    cpu = _cpu()
    started = time.perf_counter()
    images = ImageSet(Config.from_settings(settings), str(content))
    for name in names:
        images.original(name)
    images.prepare()
    images.publish(str(output))
    seconds = time.perf_counter() - started
    return seconds, _cpu() - cpu, images.resized, images.files_written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="images to generate (default 500)")
    parser.add_argument("--no-reference", action="store_true", help="skip the one-process cold run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsroom-images-") as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        names = write_images(tmp / "content", args.count)
        megabytes = sum(f.stat().st_size for f in (tmp / "content").iterdir()) / 1e6
        print(f"{args.count} images, {megabytes:.0f} MB, written in {time.perf_counter() - started:.1f} s "
              f"(not timed); {os.cpu_count()} CPUs")
        rows = [("cold, process pool", *run(tmp / "content", names, tmp / "cache", tmp / "output", None)),
                ("warm (rebuild)", *run(tmp / "content", names, tmp / "cache", tmp / "output", None))]
        if not args.no_reference:
            shutil.rmtree(tmp / "cache")
            shutil.rmtree(tmp / "output")
            rows.append(("cold, one process", *run(tmp / "content", names, tmp / "cache", tmp / "output", 1)))
        print(f"{'run':<20} {'seconds':>8} {'CPU s':>7} {'images resized':>15} {'files written':>14}")
        for label, seconds, cpu, resized, files in rows:
            print(f"{label:<20} {seconds:>8.2f} {cpu:>7.1f} {resized:>15} {files:>14}")
        if not args.no_reference:
            print(f"pool speed-up over one process: {rows[2][1] / rows[0][1]:.2f}x")
        print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
              + f": the machine's other work shares the {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
