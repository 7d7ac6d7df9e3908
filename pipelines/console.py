"""The run's live progress on the console (`pipelines.cli run`): bars on a terminal, plain lines otherwise.

`console_progress(stream)` is a context manager giving a pipelines.progress sink:
* a terminal: one rich bar per stage (sources read, URLs discovered, fetched k/N with the outcomes so far,
  parsed k/N, extracted k/N, dbt models k/N, published), redrawn in place;
* anything else (cron, CI, a pipe, pytest): one plain line per stage when it ends, plus a line at each
  quarter of a long stage (>= LONG items) so a log shows where a slow night is; never a line per URL.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from .settings import dumb_terminal

LONG = 1000  # a stage with at least this many items also prints a line at 25 %, 50 %, 75 % (plain mode)
LABEL = 9


def _outcomes(counts: Counter[str]) -> str:
    return " · ".join(f"{k} {v}" for k, v in counts.most_common())


class PlainProgress:
    """One line per stage (and per quarter of a long one), flushed at once: for logs, never redrawn."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.totals: dict[str, int | None] = {}
        self.done: Counter[str] = Counter()
        self.outcomes: dict[str, Counter[str]] = {}
        self.started: dict[str, float] = {}
        self.said: dict[str, int] = {}

    def _say(self, stage: str, text: str) -> None:
        print(f"  {stage:<{LABEL}}: {text}", file=self.stream, flush=True)

    def start(self, stage: str, total: int | None = None) -> None:
        self.totals[stage], self.done[stage], self.said[stage] = total, 0, 0
        self.outcomes[stage] = Counter()
        self.started[stage] = time.monotonic()

    def advance(self, stage: str, n: int = 1, outcome: str | None = None) -> None:
        self.done[stage] += n
        if outcome:
            self.outcomes.setdefault(stage, Counter())[outcome] += n
        total = self.totals.get(stage)
        if total and total >= LONG:
            quarter = min(3, 4 * self.done[stage] // total)
            if quarter > self.said.get(stage, 0):
                self.said[stage] = quarter
                so_far = _outcomes(self.outcomes.get(stage, Counter()))
                self._say(stage, f"{self.done[stage]}/{total}" + (f" ({so_far})" if so_far else ""))

    def finish(self, stage: str, summary: str) -> None:
        seconds = time.monotonic() - self.started.get(stage, time.monotonic())
        self._say(stage, summary + (f"  [{seconds:.1f} s]" if seconds >= 0.05 else ""))


class RichProgress:
    """One rich bar per stage on a terminal (pipelines.progress sink)."""

    def __init__(self, progress) -> None:  # noqa: ANN001 - rich.progress.Progress
        self.progress = progress
        self.tasks: dict[str, int] = {}
        self.totals: dict[str, int | None] = {}
        self.outcomes: dict[str, Counter[str]] = {}

    def start(self, stage: str, total: int | None = None) -> None:
        self.outcomes[stage] = Counter()
        self.totals[stage] = total
        self.tasks[stage] = self.progress.add_task(f"{stage:<{LABEL}}", total=total, what="")

    def advance(self, stage: str, n: int = 1, outcome: str | None = None) -> None:
        task = self.tasks.get(stage)
        if task is None:
            self.start(stage)
            task = self.tasks[stage]
        if outcome:
            self.outcomes[stage][outcome] += n
            self.progress.update(task, advance=n, what=_outcomes(self.outcomes[stage]))
        else:
            self.progress.update(task, advance=n)

    def finish(self, stage: str, summary: str) -> None:
        task = self.tasks.get(stage)
        if task is None:
            self.start(stage, total=1)
            task = self.tasks[stage]
        total = self.totals.get(stage) or 1
        self.progress.update(task, total=total, completed=total, what=summary)
        self.progress.stop_task(task)


def is_terminal(stream: IO[str]) -> bool:
    if dumb_terminal():
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def console_progress(stream: IO[str]) -> Iterator[PlainProgress | RichProgress]:
    """The progress sink for `stream` (see the module docstring)."""
    if not is_terminal(stream):
        yield PlainProgress(stream)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=stream)
    bars = Progress(TextColumn("  {task.description}"), BarColumn(bar_width=30), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("{task.fields[what]}"), console=console,
                    redirect_stdout=False, redirect_stderr=False, transient=False)
    bars.start()
    try:
        yield RichProgress(bars)
    finally:
        bars.stop()
