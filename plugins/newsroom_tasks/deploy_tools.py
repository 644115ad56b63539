"""The programs a deploy runs, checked before the site is built for it."""

import shutil
from collections.abc import Callable, Iterable

# Program -> the Debian/Ubuntu package that installs it.
PACKAGES = {
    "rsync": "rsync",
    "ssh": "openssh-client",
    "git": "git",
}


def missing_tools(names: Iterable[str], which: Callable[[str], str | None] = shutil.which) -> list[str]:
    """The programs of ``names`` not found on PATH, in order."""
    return [name for name in names if which(name) is None]


def install_hint(task: str, missing: list[str], needed: Iterable[str]) -> str:
    """One message: what is missing and the command that installs every program ``task`` needs."""
    packages = " ".join(dict.fromkeys(PACKAGES[name] for name in needed))
    return (f"{task}: {' and '.join(missing)} not found on PATH; nothing was built or sent. "
            f"Install {'it' if len(missing) == 1 else 'them'} first, e.g. `sudo apt-get install {packages}`.")
