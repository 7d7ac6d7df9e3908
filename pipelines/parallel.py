"""Both cores for the CPU stages (parse, extract): a spawn-context process pool over chunks of plain records.

`map_chunks(fn, items)` yields `fn(chunk)` for consecutive chunks of `items`, in order. Below
`NEWS_PARALLEL_MIN` items (default 400), or with one worker, it runs in this process (tests and the demo do
not pay for process start-up); above, chunks go to `NEWS_WORKERS` processes (default: os.cpu_count()),
with at most two chunks per worker in flight so memory stays bounded. Workers only compute and return
plain rows (dicts / tuples); the parent is the one warehouse writer. Each worker process imports the
parser / extractor (and loads the Kiwi model) once, on its first chunk.

`spawn`, not `fork`: the parent is a Dagster process with threads and an open DuckDB connection, which a
forked child must not inherit.

A time budget per item. `each_within(fn, items, seconds, on_timeout)` runs fn on each item under
`time_limit(seconds)`; an item over its budget gives `on_timeout(item, exc)` instead (the stage records it with
the reason) and the next item goes on. `time_limit` raises `ItemTimeout` in the running thread:

* in a process's main thread (the spawn workers, and the in-process path, which runs in the main thread of
  Dagster's run process): SIGALRM from `setitimer(ITIMER_REAL)`. Only SIGALRM is touched (Dagster handles SIGINT
  and SIGTERM, never SIGALRM); the previous handler and any pending timer are restored when the item ends;
  the handler raises only while the item runs.
* in any other thread (``signal`` can only be set from the main thread): a watchdog timer thread raises the
  exception in the item's thread (``PyThreadState_SetAsyncExc``), only while the item runs.

`ItemTimeout` derives from BaseException, like KeyboardInterrupt, so an ``except Exception`` inside the item
cannot swallow it. Python code is interrupted between bytecodes and a regular expression while it matches
(SIGALRM only: ``re`` checks for signals); one long C call (lexbor building a tree) is not interruptible, which
is why the parser refuses absurd markup before that call (pipelines/parse/budget.py). Budgets:
`item_seconds(stage)`: parse 20 s per page, extract 60 s per article (NEWS_PARSE_ITEM_SECONDS,
NEWS_EXTRACT_ITEM_SECONDS override them; 0 switches the limit off). A stage must warm up (imports, model
loads) before its first timed item.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

# the pool's size, its threshold and the budgets per item are settings (NEWS_WORKERS, NEWS_PARALLEL_MIN,
# NEWS_<STAGE>_ITEM_SECONDS)
from .settings import DEFAULT_MIN_ITEMS, item_seconds, min_items, worker_count  # noqa: F401 - parallel.item_seconds

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 100  # items per task: big enough to amortise pickling, small enough to balance two cores


def uses_pool(n_items: int) -> bool:
    return worker_count() > 1 and n_items >= min_items()


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Pool:
    """A lazily started spawn pool, shut down on exit (one per stage call)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._ex: ProcessPoolExecutor | None = None

    def executor(self) -> ProcessPoolExecutor:
        if self._ex is None:
            self._ex = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._ex

    def map_chunks(self, fn: Callable[[list[T]], R], items: Iterable[T], *, chunk: int | None = None) -> Iterator[R]:
        """fn over consecutive chunks of items, results in order, at most 2 chunks per worker in flight."""
        ex = self.executor()
        chunk = chunk or CHUNK
        in_flight: deque[Future[R]] = deque()
        for part in _chunks(items, chunk):
            in_flight.append(ex.submit(fn, part))
            if len(in_flight) >= 2 * self.workers:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()

    def close(self) -> None:
        if self._ex is not None:
            self._ex.shutdown(wait=True, cancel_futures=True)
            self._ex = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def map_chunks(fn: Callable[[list[T]], R], items: Sequence[T], pool: Pool | None, *,
               chunk: int | None = None) -> Iterator[R]:
    """fn over chunks of items: in the pool when one is given, else in this process."""
    chunk = chunk or CHUNK
    if pool is None:
        for part in _chunks(items, chunk):
            yield fn(part)
    else:
        yield from pool.map_chunks(fn, items, chunk=chunk)


def pool_for(n_items: int) -> Pool | None:
    """A pool when n_items is worth one (see the module docstring), else None (run in process)."""
    return Pool(min(worker_count(), max(1, -(-n_items // CHUNK)))) if uses_pool(n_items) else None


def flatten(results: Iterable[list[Any]]) -> Iterator[Any]:
    for part in results:
        yield from part


# ---------------------------------------------------------------- a time budget per item

class ItemTimeout(BaseException):
    """An item ran past its time budget (BaseException: an ``except Exception`` in the item does not catch it)."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = seconds
        super().__init__(f"time_limit: over the {seconds:g} s budget per item; stopped" if seconds else "time_limit")


@contextmanager
def _alarm_limit(seconds: float) -> Iterator[None]:
    armed = [True]

    def on_alarm(signum: int, frame: object) -> None:
        if armed[0]:
            armed[0] = False
            raise ItemTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    earlier, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        try:
            yield
        finally:
            armed[0] = False  # (if the alarm fires just before this line, its ItemTimeout leaves from here)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if earlier > 0:  # someone else's timer was running: it goes on with what it had left
            signal.setitimer(signal.ITIMER_REAL, max(earlier - (time.monotonic() - started), 1e-3), interval)


def _checkpoint() -> None:
    """A Python call: a pending asynchronous exception is raised at the latest here."""


@contextmanager
def _watchdog_limit(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    lock = threading.Lock()
    armed = [True]

    def fire() -> None:
        with lock:
            if armed[0]:
                armed[0] = False
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(ItemTimeout))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        try:
            yield
        finally:
            with lock:
                armed[0] = False
            _checkpoint()
    except ItemTimeout:
        raise ItemTimeout(seconds) from None
    finally:
        timer.cancel()


def time_limit(seconds: float | None):  # type: ignore[no-untyped-def]
    """Context manager: raise ItemTimeout in this thread once the block has run `seconds` (None: no limit)."""
    if not seconds:
        return _no_limit()
    if threading.current_thread() is threading.main_thread():
        return _alarm_limit(seconds)
    return _watchdog_limit(seconds)


@contextmanager
def _no_limit() -> Iterator[None]:
    yield


def each_within(fn: Callable[[T], R], items: Iterable[T], seconds: float | None,
                on_timeout: Callable[[T, ItemTimeout], R]) -> list[R]:
    """fn(item) for each item, each under `time_limit(seconds)`; an item over budget gives on_timeout(item, exc)."""
    out: list[R] = []
    for item in items:
        try:
            with time_limit(seconds):
                result = fn(item)
        except ItemTimeout as exc:
            result = on_timeout(item, exc)
        out.append(result)
    return out
