"""Both cores for the CPU stages (parse, extract): a spawn-context process pool over chunks of plain records.

`map_chunks(fn, items)` yields `fn(chunk)` for consecutive chunks of `items`, in order. Below
`NEWS_PARALLEL_MIN` items (default 400), or with one worker, it runs in this process (tests and the demo do
not pay for process start-up); above, chunks go to `NEWS_WORKERS` processes (default: os.cpu_count()),
with at most two chunks per worker in flight so memory stays bounded. Workers only compute and return
plain rows (dicts / tuples); the parent is the one warehouse writer. Each worker process imports the
parser / extractor (and loads the Kiwi model) once, on its first chunk.

`spawn`, not `fork`: the parent is a Dagster process with threads and an open DuckDB connection, which a
forked child must not inherit.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_MIN_ITEMS = 400
CHUNK = 100  # items per task: big enough to amortise pickling, small enough to balance two cores


def worker_count(environ: dict[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    value = env.get("NEWS_WORKERS")
    if value:
        return max(1, int(value))
    return max(1, os.cpu_count() or 1)


def min_items(environ: dict[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    return int(env.get("NEWS_PARALLEL_MIN", DEFAULT_MIN_ITEMS))


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
