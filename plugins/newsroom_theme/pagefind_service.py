"""Pagefind's indexer as a long-running service: many small indexes from one process.

Speaks the protocol of ``pagefind --service`` (the one the ``pagefind`` package's own Python
API uses: base64 JSON messages, each ended by a comma) directly and pipelined: that API reads
one reply per tenth of a second, so indexing a few hundred pages through it takes minutes.
Pages are sent with their path relative to the service's working folder, so Pagefind computes
each result URL exactly as ``pagefind --site`` does.
"""

from __future__ import annotations

import base64
import json
import queue
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator

from pagefind.service import get_executable


class PagefindError(RuntimeError):
    """The service could not be started, failed, or did not finish in time."""


class PagefindService:
    """One ``pagefind --service`` process whose working folder is the site's output."""

    def __init__(self, site: str, language: str, timeout: float):
        executable = get_executable()
        if executable is None:
            raise PagefindError("no Pagefind binary found (install the pagefind[extended] package)")
        self._language, self._timeout = language, timeout
        self._stderr = tempfile.TemporaryFile()
        try:
            self._proc = subprocess.Popen([str(executable), "--service"], cwd=site, stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=self._stderr)
        except OSError as exc:
            raise PagefindError(f"could not start {executable}: {exc}") from exc
        self._timed_out = False
        self._timer = threading.Timer(timeout, self._expire)  # the whole run's deadline
        self._timer.start()
        self._next_id, self._pending = 0, b""
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self._writer = threading.Thread(target=self._write, name="pagefind-writer", daemon=True)
        self._writer.start()

    def _expire(self) -> None:
        self._timed_out = True
        self._proc.kill()

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._timer.cancel()
        self._outbox.put(None)
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout, self._stderr):
            stream.close()

    def index(self, pages: Iterable[tuple[str, str]]) -> dict[str, bytes]:
        """Index ``pages`` ((path relative to the site, HTML) pairs, in the order given) as one
        bundle: its files (path in the bundle -> bytes), Pagefind's scripts included."""
        return next(self.index_each([pages]))

    def index_each(self, bundles: list[Iterable[tuple[str, str]]]) -> Iterator[dict[str, bytes]]:
        """``index`` of each of ``bundles``, in order, pipelined: Pagefind indexes the next
        bundle's pages while the caller works on the one yielded."""
        ids = [reply["index_id"] for reply in self._exchange(
            [{"type": "NewIndex", "config": {"force_language": self._language}}] * len(bundles))]
        sent = []  # messages sent per bundle

        def send(n: int) -> None:
            # The files come back in the reply (the caller writes only those that changed): Pagefind's
            # own WriteFiles can reply before its writes are done, and the service's exit then loses them.
            sent.append(self._send([{"type": "AddFile", "index_id": ids[n], "file_path": path, "url": None,
                                     "file_contents": html} for path, html in bundles[n]]
                                   + [{"type": "GetFiles", "index_id": ids[n]},
                                      {"type": "DeleteIndex", "index_id": ids[n]}]))  # frees its memory
        if bundles:
            send(0)
        for n in range(len(bundles)):
            if n + 1 < len(bundles):
                send(n + 1)
            replies = self._replies(sent[n])
            yield {file["path"]: base64.b64decode(file["content"]) for file in replies[-2]["files"]}

    def _exchange(self, payloads: list[dict]) -> list[dict]:
        """Send every message and return the replies."""
        return self._replies(self._send(payloads))

    def _send(self, payloads: list[dict]) -> int:
        """Queue the messages for the writer thread (so neither pipe fills up); their number."""
        first = self._next_id + 1
        self._next_id += len(payloads)
        self._outbox.put(b"".join(
            base64.b64encode(json.dumps({"message_id": first + n, "payload": payload}).encode()) + b","
            for n, payload in enumerate(payloads)))
        return len(payloads)

    def _replies(self, count: int) -> list[dict]:
        replies = [self._reply() for _ in range(count)]
        for reply in replies:
            if reply.get("type") == "Error":
                raise PagefindError(reply.get("message") or "the service reported an error")
        return replies

    def _write(self) -> None:
        while (data := self._outbox.get()) is not None:
            try:
                self._proc.stdin.write(data)
                self._proc.stdin.flush()
            except (OSError, ValueError):
                return  # the service died or was closed: reading its replies says so

    def _reply(self) -> dict:
        while b"," not in self._pending:
            chunk = self._proc.stdout.read1(1 << 20)
            if not chunk:
                raise PagefindError(self._ended())
            self._pending += chunk
        message, self._pending = self._pending.split(b",", 1)
        return json.loads(base64.b64decode(message))["payload"]

    def _ended(self) -> str:
        status = self._proc.wait()
        if self._timed_out:
            return f"no index after {self._timeout:g} s (NEWSROOM_SEARCH_TIMEOUT)"
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"the service ended (exit status {status})"
