"""Invoke tasks for Newsroom: build, preview and publish the site, write posts, clean scrapes.

The Pelican tasks keep the names and behaviour of the ``tasks.py`` that ``pelican-quickstart``
writes (clean, build, rebuild, regenerate, serve, reserve, preview, livereload, publish,
gh-pages); the rest are Newsroom's own. Run ``invoke --list`` for the list, ``invoke --help TASK``
for one task's options.
"""

import datetime
import os
import shlex
import shutil
import sys
import traceback
from pathlib import Path
from zoneinfo import ZoneInfo

from invoke import Exit, task
from invoke.main import program
from pelican import main as pelican_main
from pelican.server import RootedHTTPServer
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file
from pelican.utils import slugify

ROOT = Path(__file__).resolve().parent
SETTINGS_FILE_BASE = str(ROOT / "pelicanconf.py")
SETTINGS_FILE_PUBLISH = str(ROOT / "publishconf.py")
SETTINGS = {**DEFAULT_CONFIG, **get_settings_from_file(SETTINGS_FILE_BASE)}
CONTENT_PATH = ROOT / SETTINGS["PATH"]
# The tasks import the plugins' libraries from where Pelican loads them.
sys.path[:0] = [str(ROOT / path) for path in SETTINGS["PLUGIN_PATHS"]]
OPEN_BROWSER_ON_SERVE = os.environ.get("NEWSROOM_OPEN_BROWSER", "1") != "0"
CHROMIUM = "/usr/bin/chromium"

CONFIG = {
    "settings_base": SETTINGS_FILE_BASE,
    "settings_publish": SETTINGS_FILE_PUBLISH,
    # Output path, relative to this file. Default: output/
    "deploy_path": str(ROOT / SETTINGS["OUTPUT_PATH"]),
    # Host and port for `serve` and `livereload`
    "host": os.environ.get("NEWSROOM_HOST", "localhost"),
    "port": int(os.environ.get("NEWSROOM_PORT", "8000")),
    "github_pages_branch": SETTINGS.get("GITHUB_PAGES_BRANCH", "gh-pages"),
    "commit_message": f"'Publish site on {datetime.date.today().isoformat()}'",
}
# The theme's 404 page in the output (a direct template: Pelican's default name unless set)
NOT_FOUND_PAGE = SETTINGS.get("404_SAVE_AS", "404.html")


def _variadic_paths(task_name: str, flag: str, valued: tuple[str, ...] = ()) -> None:
    """Let ``invoke TASK a b c`` take several paths.

    invoke has no variadic positional arguments, so before it parses the task arguments the
    words after TASK that are not options, values of the ``valued`` options or task names become
    ``--flag a --flag b ...``.
    """
    core = getattr(program, "core", None)
    words = getattr(core, "unparsed", None)
    if not words or task_name not in words:
        return
    start = words.index(task_name) + 1
    rewritten = words[:start]
    for word in words[start:]:
        is_path = (
            not word.startswith("-")
            and word.replace("_", "-") not in _TASK_NAMES
            and rewritten[-1] != flag  # already given as `--flag PATH`
            and rewritten[-1] not in valued  # the value of an option, as in `--workers 2`
        )
        rewritten += [flag, word] if is_path else [word]
    core.unparsed[:] = rewritten


@task
def clean(c):
    """Remove generated files"""
    if os.path.isdir(CONFIG["deploy_path"]):
        shutil.rmtree(CONFIG["deploy_path"])
        os.makedirs(CONFIG["deploy_path"])


@task(help={"explain": "name, for each page rendered again, the first input that changed (newsroom_speed)"})
def build(c, explain=False):
    """Build local version of site; ends with a summary: stories built, held for review, skipped"""
    if explain:
        os.environ["NEWSROOM_SPEED_EXPLAIN"] = "1"  # read by newsroom_speed's settings
    _build("build", CONFIG["settings_base"])


@task
def rebuild(c):
    """`build` with the delete switch"""
    _build("rebuild", CONFIG["settings_base"], "-d")


@task
def regenerate(c):
    """Automatically regenerate site upon file modification"""
    pelican_run("-r -s {settings_base}".format(**CONFIG))


@task(help={"host": "address to bind (default localhost)", "port": "port (default 8000)"})
def serve(c, host=None, port=None):
    """Serve site at http://$HOST:$PORT/ (default is localhost:8000)"""
    from newsroom_tasks.serving import NotFoundPageHandler

    host, port = _address("serve", host, port)

    class Handler(NotFoundPageHandler):
        page = NOT_FOUND_PAGE

    class AddressReuseTCPServer(RootedHTTPServer):
        allow_reuse_address = True

    try:
        server = AddressReuseTCPServer(CONFIG["deploy_path"], (host, port), Handler)
    except OSError as error:
        raise Exit(f"serve: cannot listen on {host}:{port}: {error.strerror}; try another --port", code=1) from None
    if OPEN_BROWSER_ON_SERVE:
        import webbrowser

        webbrowser.open(f"http://{host}:{port}")
    sys.stderr.write(f"Serving at {host}:{port} ...\n")
    server.serve_forever()


@task
def reserve(c):
    """`build`, then `serve`"""
    build(c)
    serve(c)


@task
def preview(c):
    """Build production version of site (needs NEWSROOM_SITEURL); fails if a story was dropped"""
    _build("preview", CONFIG["settings_publish"], refuse="the production build is not fit to publish")


@task(help={"host": "address to bind (default localhost)", "port": "port (default 8000)"})
def livereload(c, host=None, port=None):
    """Automatically reload browser tab upon file modification."""
    from livereload import Server

    from newsroom_tasks.serving import livereload_handler
    from newsroom_theme.search import BackgroundIndexer, search_state
    from newsroom_theme.settings import apply_defaults

    host, port = _address("livereload", host, port)
    settings = dict(SETTINGS)
    apply_defaults(settings)  # the theme's settings as its plugin sees them
    indexer = BackgroundIndexer(CONFIG["deploy_path"], settings["DEFAULT_LANG"], settings["NEWSROOM_SEARCH_TIMEOUT"],
                                search_state(settings), settings["NEWSROOM_SEARCH_SHARD"])

    def cached_build():
        # newsroom_speed (enabled in pelicanconf.py) makes this build incremental: only what a
        # saved file changes is rendered and written again. The search index (its shards with a
        # changed page) is brought up to date in the background: the browser reloads at once.
        if _in_child(pelican_run, "-s {settings_base} -e NEWSROOM_SEARCH=false".format(**CONFIG)) != 0:
            return  # Pelican said what failed; the server keeps serving the last good build
        if settings["NEWSROOM_SEARCH"]:
            indexer.request()

    cached_build()
    server = Server()
    server.SFH = livereload_handler(NOT_FOUND_PAGE)  # a missing path gets the site's 404 page
    theme_path = ROOT / SETTINGS["THEME"]
    watched_globs = [CONFIG["settings_base"], f"{theme_path}/templates/**/*.html"]
    # Markdown posts, pages and the raw scrapes the cleaner reads
    for extension in (".md", ".html", ".htm", ".txt"):
        watched_globs.append(f"{CONTENT_PATH}/**/*{extension}")
    for extension in (".css", ".js"):
        watched_globs.append(f"{theme_path}/static/**/*{extension}")
    for glob in watched_globs:
        server.watch(glob, cached_build)

    if OPEN_BROWSER_ON_SERVE:
        import webbrowser

        webbrowser.open(f"http://{host}:{port}")
    try:
        server.serve(host=host, port=port, root=CONFIG["deploy_path"])
    except OSError as error:
        raise Exit(f"livereload: cannot listen on {host}:{port}: {error.strerror}; try another --port", code=1) from None


@task
def publish(c):
    """Publish to production via rsync over ssh (target: NEWSROOM_PUBLISH_TARGET or PUBLISH_TARGET)"""
    target = os.environ.get("NEWSROOM_PUBLISH_TARGET") or SETTINGS.get("PUBLISH_TARGET")
    if not target:
        raise Exit(
            "publish: no target set. Set NEWSROOM_PUBLISH_TARGET=user@host:/path/ in the "
            "environment or PUBLISH_TARGET in pelicanconf.py.",
            code=1,
        )
    port = os.environ.get("NEWSROOM_PUBLISH_PORT") or SETTINGS.get("PUBLISH_SSH_PORT", 22)
    _require_tools("publish", ["rsync", "ssh"])
    _build("publish", CONFIG["settings_publish"], refuse="not deploying")
    _deploy(
        c,
        "publish",
        'rsync --delete --exclude ".DS_Store" -pthrvz -c '
        f"-e {shlex.quote(f'ssh -p {port}')} "
        f"{shlex.quote(CONFIG['deploy_path'].rstrip('/') + '/')} {shlex.quote(target)}",
    )


@task
def gh_pages(c):
    """Publish to GitHub Pages"""
    _require_tools("gh-pages", ["git"])
    _build("gh-pages", CONFIG["settings_publish"], refuse="not pushing to GitHub Pages")
    # ghp-import is a dependency: run from this Python, it is found without the venv on PATH
    _deploy(
        c,
        "gh-pages",
        f"{shlex.quote(sys.executable)} -m ghp_import -n -b {shlex.quote(CONFIG['github_pages_branch'])} "
        f"-m {CONFIG['commit_message']} {shlex.quote(CONFIG['deploy_path'])} -p",
    )


@task(
    help={
        "title": "the headline",
        "section": "section (category), e.g. World; the post goes to content/<section>/ "
        "(default: the first section of the menu, NEWSROOM_MENU_SECTIONS)",
        "tags": "comma-separated tags",
        "authors": "comma-separated authors (default: AUTHOR from pelicanconf.py)",
        "summary": "the standfirst",
    }
)
def new_post(c, title, section=None, tags="", authors="", summary=""):
    """Write a draft post content/<section>/<YYYY-MM-DD>-<slug>.md (never overwrites)"""
    from newsroom_tasks.writing import default_section

    section = section or default_section(SETTINGS)
    now = datetime.datetime.now(ZoneInfo(SETTINGS["TIMEZONE"]))
    slug = slugify(title, regex_subs=SETTINGS["SLUG_REGEX_SUBSTITUTIONS"])
    section_dir = slugify(section, regex_subs=SETTINGS["SLUG_REGEX_SUBSTITUTIONS"])
    if not slug or not section_dir:
        raise Exit("new-post: the title and the section must contain letters or digits", code=1)
    path = CONTENT_PATH / section_dir / f"{now:%Y-%m-%d}-{slug}.md"
    header = {
        "Title": title,
        "Date": f"{now:%Y-%m-%d %H:%M}",
        "Category": section,
        "Tags": tags,
        "Authors": authors or SETTINGS["AUTHOR"],
        "Summary": summary,
        "Slug": slug,
        "Status": "draft",
    }
    text = "".join(f"{key}: {value}\n" for key, value in header.items())
    text += "\nWrite the story here.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as post:
            post.write(text)
    except FileExistsError:
        raise Exit(f"new-post: {path} already exists; not overwriting it", code=1) from None
    print(f"Wrote {path}")


@task(
    iterable=["path"],
    help={
        "path": "a scraped .html/.htm/.txt file, a .warc/.warc.gz archive, or a folder of them (give several)",
        "force": "overwrite posts that already exist, and import archive pages imported before",
        "workers": "clean on this many local processes",
        "scheduler": "clean on the Dask cluster of this scheduler, e.g. tcp://host:8786",
    },
)
def import_scraped(c, path, force=False, workers=None, scheduler=None):
    """Clean scraped files and WARC archives into reviewable Markdown posts (never overwrites without --force)"""
    from tqdm import tqdm

    from newsroom_cleaner.importer import FAILED, SKIPPED, summary
    from newsroom_cleaner.importer import import_scraped as run_import
    from newsroom_cleaner.settings import image_settings, import_settings, reader_settings

    if not path:
        raise Exit("import-scraped: give at least one PATH", code=1)
    try:
        count = None if workers is None else int(workers)
        if count is not None and count < 1:
            raise ValueError
    except ValueError:
        raise Exit(f"import-scraped: --workers must be a whole number of at least 1, not {workers!r}", code=1) from None
    try:
        options = reader_settings(SETTINGS)
        outcomes = run_import(
            [Path(p) for p in path],
            CONTENT_PATH,
            force=force,
            options=options,
            images=image_settings(SETTINGS, ROOT),
            archive=ROOT / options.imported_path,
            # tqdm.write keeps the progress bar below the lines
            say=lambda o: tqdm.write(o.line(), file=sys.stderr if o.status in (SKIPPED, FAILED) else sys.stdout),
            workers=count,
            scheduler=scheduler,
            spread=import_settings(SETTINGS),
            notify=lambda line: print(f"import-scraped: {line}", flush=True),
            keep_outcomes=False,
            site_template=_build_templates(),
        )
    # ValueError: a bad NEWSROOM_UNDATED, NEWSROOM_IMPORTED_PATH or NEWSROOM_IMPORT_*; ConnectionError: no
    # Dask scheduler at --scheduler.
    except (ValueError, ConnectionError) as error:
        raise Exit(f"import-scraped: {error}", code=1) from None
    print(f"import-scraped: {summary(outcomes, outcomes.passed_over)}")
    if outcomes.counts[FAILED]:
        raise Exit(code=1)


@task
def review(c):
    """List the stories held back (drafts, undated or doubtful scrapes, non-articles) and how to publish each"""
    from newsroom_cleaner.review import queue, queue_text
    from newsroom_cleaner.settings import reader_settings

    try:
        options = reader_settings(SETTINGS)
    except ValueError as error:  # a bad NEWSROOM_UNDATED
        raise Exit(f"review: {error}", code=1) from None
    now = datetime.datetime.now(ZoneInfo(SETTINGS["TIMEZONE"]))
    print(queue_text(list(queue(CONTENT_PATH, options, Path.cwd(), now, _build_templates()))))


@task(help={"path": "a scraped .html/.htm/.txt file", "url": "the page's source URL"})
def extract(c, path, url=None):
    """Print the cleaned article of one scraped file: metadata header, blank line, Markdown"""
    print(_run_cleaner_cli("extract_text", path, url), end="")


@task(help={"path": "a scraped .html/.htm/.txt file", "url": "the page's source URL"})
def clean_report(c, path, url=None):
    """Print which cleaning rules fired on one scraped file and what each removed"""
    print(_run_cleaner_cli("report_text", path, url))


@task(help={"pytest_args": "extra arguments for pytest, e.g. '-k cleaner -x'"})
def test(c, pytest_args=""):
    """Run the test suite; installs Debian's Chromium for the browser tests first if missing"""
    if not os.path.exists(CHROMIUM):
        sudo = "" if os.geteuid() == 0 else "sudo "
        c.run(f"{sudo}apt-get update -q && {sudo}apt-get install -y -q chromium")
    c.run(f"{shlex.quote(sys.executable)} -m pytest {pytest_args}", pty=False)


@task(help={"folder": "where to write the PNG files (default screenshots/)"})
def screenshots(c, folder="screenshots"):
    """Build, then screenshot home and an article at 390 px and 1280 px (needs the test extra)"""
    from newsroom_theme.screenshots import take_screenshots

    build(c)
    for path in take_screenshots(Path(CONFIG["deploy_path"]), Path(folder)):
        print(f"Wrote {path}")


def _run_cleaner_cli(function: str, path: str, url: str | None) -> str:
    """Call one of newsroom_cleaner.cli's printers, turning a cleaner error into a clean exit.

    A scrape in the content's scraped folders is cleaned with the site template the build
    cleans it with, so the printout is what the build publishes.
    """
    from newsroom_cleaner import cli
    from newsroom_cleaner.errors import CleanerError

    try:
        template_of = _build_templates()
    except ValueError as error:  # a bad NEWSROOM_SITE_TEMPLATE_* or NEWSROOM_UNDATED
        raise Exit(str(error), code=1) from None
    try:
        return getattr(cli, function)(Path(path), url, template_of(Path(path)))
    except CleanerError as error:
        raise Exit(str(error), code=1) from None


def _build_templates():
    """The site template the build cleans a scrape with, by the scrape's path: the build's reader's
    (learned from the scrape's folder and kept in the build's cache: newsroom_cleaner/sitetemplate.py)
    for a text dump in the content's scraped folders, else None. ValueError for bad settings."""
    from pelican.settings import read_settings

    from newsroom_cleaner.importer import scraped_home
    from newsroom_cleaner.reader import ScrapedArticleReader
    from newsroom_cleaner.settings import reader_settings

    settings = read_settings(SETTINGS_FILE_BASE)
    reader = ScrapedArticleReader(settings)
    scraped_paths = reader_settings(settings).scraped_paths

    def template_of(path: Path):
        path = path.resolve()
        return reader.site_template(path) if scraped_home(path, CONTENT_PATH, scraped_paths) is not None else None

    return template_of


def _in_child(function, *args) -> int:
    """Run ``function(*args)`` in a fork()ed child process and wait for it; returns its exit code.

    Live reload builds this way. A build that fails (a template saved half-written raises a
    syntax error, and Pelican exits) ends the child, not the server. The child starts with
    everything imported and takes its build's objects with it when it ends, where a build in
    the server's own process first had the previous build's 20,000 stories collected. Where
    there is no fork() (Windows), the build runs here and a failure is reported the same way.
    """
    if not hasattr(os, "fork"):
        return _exit_code(function, *args)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the server's code
        code = 1
        try:
            code = _exit_code(function, *args)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def _exit_code(function, *args) -> int:
    """``function(*args)``'s exit code: 0, what it passed to sys.exit, or 1 for an exception."""
    try:
        function(*args)
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)  # sys.exit("message"), as Python would print it
        return 1
    except ValueError as error:  # Pelican's word on a bad option (an -e value that is not JSON)
        print(f"pelican: {error}", file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 - reported, and the caller goes on
        traceback.print_exc()
        return 1
    return 0


def _build(task: str, settings_file: str, options: str = "", refuse: str | None = None) -> None:
    """Build with ``settings_file`` in this process and print the build's summary line.

    ``refuse`` (what the task then does not do, e.g. "not deploying"): the task stops there,
    non-zero, naming what to fix, when the build dropped a story or logged an error; such a
    build reads every file, changed or not, so the errors are found again.
    """
    from newsroom_tasks.build_report import BuildWatch

    with BuildWatch(read_all=bool(refuse)) as watch:
        code = _exit_code(pelican_run, f"{options} -s {settings_file}")
    report = watch.report
    if refuse and (code or not report.clean):
        raise Exit(report.refusal(task, refuse), code=1)
    print(report.summary(stopped=bool(code)))
    if code:
        raise Exit(code=code)


def _require_tools(task: str, names: list[str]) -> None:
    """Stop ``task`` before it builds when a program it deploys with is missing."""
    from newsroom_tasks.deploy_tools import install_hint, missing_tools

    if missing := missing_tools(names):
        raise Exit(install_hint(task, missing, names), code=1)


def _deploy(c, task: str, command: str) -> None:
    """Run the deploy command; its failure in one line (its own output is above)."""
    result = c.run(command, warn=True)
    if result.failed:
        raise Exit(f"{task}: the site was built in {CONFIG['deploy_path']} but sending it failed "
                   f"(exit status {result.exited}; the command's message is above)", code=1)


def _address(task: str, host: str | None, port: str | None) -> tuple[str, int]:
    """The host and port to serve on: the options, else NEWSROOM_HOST/NEWSROOM_PORT."""
    try:
        return host or CONFIG["host"], int(port or CONFIG["port"])
    except ValueError:
        raise Exit(f"{task}: the port must be a number, not {port!r}", code=1) from None


def pelican_run(cmd):
    cmd += " " + program.core.remainder  # allows to pass-through args to pelican
    pelican_main(shlex.split(cmd))


_TASK_NAMES = {name.replace("_", "-") for name, obj in dict(globals()).items() if hasattr(obj, "body")}
_variadic_paths("import-scraped", "--path", valued=("--workers", "-w", "--scheduler", "-s"))
