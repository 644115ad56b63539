"""The one exception the cleaner raises for unusable input."""


class CleanerError(Exception):
    """Input that cannot become an article; the message is one line naming the source."""


class NotAnArticle(CleanerError):
    """A page that is not a story (a list, a form, a gallery): skipped by an import, not a failure."""
