"""Pelican reader: scraped files are cleaned on the fly, other HTML goes to Pelican's HTMLReader.

The cleaned article is turned into the same Markdown file text the importer writes and
rendered with Pelican's own Markdown machinery (MARKDOWN settings, metadata processing),
so a scraped article and an imported one come out identical.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from markdown import Markdown
from pelican.readers import HTMLReader, MarkdownReader

from .article import CleanedArticle
from .errors import CleanerError
from .metadata import hold_undated, place_in_section
from .read_errors import cannot_open
from .settings import SCRAPED_EXTENSIONS, SITE_TEMPLATE_STORE, image_settings, reader_settings
from .write import to_pelican_markdown

if TYPE_CHECKING:  # loaded with the pipeline, when a scrape is first cleaned
    from .sitetemplate import SiteTemplate

logger = logging.getLogger(__name__)


def clean_article(raw: bytes, *, source_name: str, template: SiteTemplate | None = None) -> CleanedArticle:
    """The cleaning pipeline, loaded when first needed: BeautifulSoup, lxml and markdownify take
    0.1 s to import, and a build that finds every scrape in newsroom_speed's cache cleans none."""
    from .pipeline import clean_article as clean

    return clean(raw, source_name=source_name, template=template)


class ScrapedArticleReader(MarkdownReader):
    """Reads .html/.htm/.txt: cleans files under NEWSROOM_SCRAPED_PATHS, delegates the rest."""

    enabled = True
    file_extensions = list(SCRAPED_EXTENSIONS)

    def __init__(self, settings):
        super().__init__(settings)
        self._options = reader_settings(settings)
        self._images = image_settings(settings)
        self._html_reader = HTMLReader(settings)
        self._templates: dict[Path, SiteTemplate] = {}  # folder -> its site's template

    def read(self, source_path):
        if not self._is_scraped(source_path):
            if source_path.endswith(".txt"):
                logger.debug("newsroom_cleaner: skipping %s (not under NEWSROOM_SCRAPED_PATHS)", source_path)
                return "", {"status": "skip"}
            return self._html_reader.read(source_path)
        name = self._display_name(source_path)
        try:
            article = clean_article(Path(source_path).read_bytes(), source_name=name,
                                    template=self.site_template(Path(source_path)))
        except CleanerError as exc:
            logger.error("newsroom_cleaner: skipped %s", exc)
            return "", {"status": "skip"}
        except OSError as exc:
            logger.error("newsroom_cleaner: skipped %s: cannot read it: %s", name, cannot_open(exc))
            return "", {"status": "skip"}
        except Exception as exc:  # a cleaner bug must cost one article, not the build
            logger.error("newsroom_cleaner: skipped %s: cleaner failed (%s: %s)", name, type(exc).__name__, exc,
                         exc_info=self.settings.get("DEBUG", False))
            return "", {"status": "skip"}
        fallbacks = self._fill_required(article.metadata, Path(source_path))
        if article.report.warnings:
            logger.warning("newsroom_cleaner: %s: %s%s", name, "; ".join(article.report.warnings),
                           f" ({', '.join(fallbacks)})" if fallbacks else "")
        if self._options.undated == "skip" and "date" not in article.metadata:
            return "", {"status": "skip"}
        if self._images.enabled:
            from .localimages import localize  # loads http, TLS and Pillow only when asked to

            article = localize(article, Path(source_path), name, self._images)
        return self._render(to_pelican_markdown(article))

    def site_template(self, path: Path) -> SiteTemplate | None:
        """The template of the site whose dumps share ``path``'s folder, learned once a build and
        kept under CACHE_PATH, so a later scrape of the same site benefits (newsroom_speed asks
        it too, to clean scrapes ahead as this reader will)."""
        if path.suffix.lower() != ".txt":
            return None
        if path.parent not in self._templates:
            from .sitetemplate import TemplateStore, folder_template

            store = TemplateStore(Path(self.settings["CACHE_PATH"]) / SITE_TEMPLATE_STORE)
            site = self._display_name(str(path.parent))
            self._templates[path.parent] = folder_template(path.parent, site, store,
                                                           min_pages=self._options.template_min_pages,
                                                           share=self._options.template_share)
        return self._templates[path.parent]

    def _fill_required(self, metadata: dict, path: Path) -> list[str]:
        """Pelican skips an article without title: fall back to the file's name. One without
        a date is held, skipped or dated by the file's time, as NEWSROOM_UNDATED says."""
        place_in_section(metadata, self._options.default_category, self._options.section_map,
                         self._options.new_sections)
        used = []
        if "title" not in metadata:
            metadata["title"] = path.stem.replace("_", " ").replace("-", " ")
            used.append("file name used as title")
        if note := hold_undated(metadata, self._options.undated, path):
            used.append(note)
        return used

    def _render(self, text: str):
        """What MarkdownReader.read does with a file's text."""
        self._md = Markdown(**self.settings["MARKDOWN"])
        content = self._md.convert(text)
        return content, self._parse_metadata(getattr(self._md, "Meta", {}))

    def _is_scraped(self, source_path: str) -> bool:
        parts = self._relative(source_path).parts
        prefixes = (PurePosixPath(p).parts for p in self._options.scraped_paths)
        return any(parts[:len(prefix)] == prefix for prefix in prefixes)

    def _relative(self, source_path: str) -> PurePosixPath:
        """The file's path under PATH, by where it lies (a symlink is named as itself, not by
        its target, which may be missing), else by where it resolves to."""
        root = self.settings.get("PATH", ".")
        for path, content in ((Path(os.path.abspath(source_path)), Path(os.path.abspath(root))),
                              (Path(source_path).resolve(), Path(root).resolve())):
            try:
                return PurePosixPath(path.relative_to(content).as_posix())
            except ValueError:
                continue
        return PurePosixPath(Path(source_path).as_posix())

    def _display_name(self, source_path: str) -> str:
        return str(self._relative(source_path))


def add_reader(readers) -> None:
    """readers_init handler: our reader takes the HTML and text extensions."""
    for extension in ScrapedArticleReader.file_extensions:
        readers.reader_classes[extension] = ScrapedArticleReader
