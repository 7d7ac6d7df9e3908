"""The processes a block of code starts, as Python itself reports them: `subprocess.Popen` raises the audit event
"subprocess.Popen" (sys.addaudithook, PEP 578) with the argv of every process it starts. Nothing is replaced: the
code under test starts its real processes; the hook only writes their argv down."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

_listening: list[list[list[str]]] = []
_hooked = False


def _hook(event: str, args: tuple) -> None:
    if event == "subprocess.Popen" and _listening:
        argv = args[1]
        argv = [str(a) for a in argv] if isinstance(argv, (list, tuple)) else [str(argv)]
        for seen in _listening:
            seen.append(argv)


@contextmanager
def started_processes() -> Iterator[list[list[str]]]:
    """The argv of every process started with subprocess.Popen inside the block (a list that fills as it runs).
    An audit hook cannot be removed, so one is installed per test process and listens only inside such blocks."""
    global _hooked
    if not _hooked:
        sys.addaudithook(_hook)
        _hooked = True
    seen: list[list[str]] = []
    _listening.append(seen)
    try:
        yield seen
    finally:
        _listening.remove(seen)
