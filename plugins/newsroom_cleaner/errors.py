"""The one exception the cleaner raises for unusable input."""


class CleanerError(Exception):
    """Input that cannot become an article; the message is one line naming the source."""
