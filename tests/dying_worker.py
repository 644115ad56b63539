"""A task that kills its own worker process once (tests of the importer's local processes); a
module of its own so that a fresh worker process loads little to run it."""

import os


def die_once(marker: str, value: int) -> int:
    """Kills its process the first time it runs anywhere (the marker file says it has), then doubles."""
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return value * 2
    os._exit(1)
