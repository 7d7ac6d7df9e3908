"""Live progress of a run, as plain calls: the stages say what they do, whoever listens shows it.

The stages (pipelines/stages.py, the dbt asset) call `progress.current()` and report on it:

    p = progress.current()
    p.start("fetch", total=len(items))        # a stage begins (total None: unknown / not counted)
    p.advance("fetch", outcome="ok")          # one item done (an outcome is counted for the live line)
    p.finish("fetch", "12/12 fetched: ok 12")  # the stage's one-line result

Nobody listens by default (`NullProgress`): Dagster runs launched by the daemon or the UI, tests, and steps in
another process (the multiprocess executor) report into nothing. `pipelines.cli run` installs a console
(pipelines/console.py: bars on a terminal, one plain line per stage otherwise) around the in-process run with
`listening(sink)`. A sink that raises never fails a run: every call is guarded here, and a sink that failed
once is switched off for the rest of the run. No Dagster, no rich here: plain Python.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

log = logging.getLogger(__name__)


class Progress(Protocol):
    def start(self, stage: str, total: int | None = None) -> None: ...

    def advance(self, stage: str, n: int = 1, outcome: str | None = None) -> None: ...

    def finish(self, stage: str, summary: str) -> None: ...


class NullProgress:
    """Reports into nothing (the default)."""

    def start(self, stage: str, total: int | None = None) -> None:
        pass

    def advance(self, stage: str, n: int = 1, outcome: str | None = None) -> None:
        pass

    def finish(self, stage: str, summary: str) -> None:
        pass


class _Guarded:
    """A sink whose failures are logged once and then ignored (progress must never fail a run)."""

    def __init__(self, sink: Progress) -> None:
        self.sink = sink
        self.broken = False
        self._lock = threading.Lock()  # fetch reports from its event loop, the stages from the run's thread

    def _call(self, name: str, *args: object, **kwargs: object) -> None:
        if self.broken:
            return
        try:
            with self._lock:
                getattr(self.sink, name)(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a display problem is not the run's problem
            self.broken = True
            log.warning("progress display switched off: %s: %s", type(exc).__name__, exc)

    def start(self, stage: str, total: int | None = None) -> None:
        self._call("start", stage, total)

    def advance(self, stage: str, n: int = 1, outcome: str | None = None) -> None:
        self._call("advance", stage, n, outcome)

    def finish(self, stage: str, summary: str) -> None:
        self._call("finish", stage, summary)


_NULL = NullProgress()
_current: list[Progress] = [_NULL]


def current() -> Progress:
    """The progress sink of the running process (a NullProgress when nobody listens)."""
    return _current[-1]


@contextmanager
def listening(sink: Progress) -> Iterator[Progress]:
    """Make `sink` the current sink (guarded) for the block."""
    guarded = _Guarded(sink)
    _current.append(guarded)
    try:
        yield guarded
    finally:
        _current.remove(guarded)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
