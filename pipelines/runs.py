"""Run hygiene: a run that died never blocks the next one, a wait has a deadline, a stop signal ends a run.

DuckDB has one writer, so every step that opens the warehouse is in the Dagster pool `duckdb_writer`
(limit 1, `dagster.yaml`). A run killed while it held that slot (SIGKILL, OOM, reboot, deploy) leaves the slot
claimed in the instance for ever; Dagster's in-process executor then waits for it without a deadline,
spinning a core and ignoring SIGTERM. This module closes each part of that:

* **Who runs where.** Every run records the process that executes it in run tags (`news/host`, `news/pid`,
  `news/pid_start`: the kernel's start time of that process, so a recycled pid is not mistaken for it).
  `pipelines.cli run` sets them when it creates the run; a run launched by the daemon or the UI gets them from
  its first step (`tag_run_process`).
* **Reaping.** `reap_dead_runs` (first thing in every `pipelines.cli run`) marks runs of this host whose
  process is gone as failed, with the reason, and frees every pool slot they held; it also frees slots still
  held by runs that already ended. Under `dagster dev` / the daemon the same check is the run launcher's
  health check (`pipelines.launcher.ProcessCheckingRunLauncher`) that the daemon's run monitoring calls
  (`dagster.yaml`: run_monitoring).
* **Waiting.** `wait_for_pools` waits (sleeping, not spinning) for a pool slot held by a live run, says once
  which run, step and process it waits for, and gives up after a deadline (`NEWS_POOL_WAIT_S`, default 600 s)
  with that in the message.
* **Stopping.** `StopGuard`: SIGTERM or SIGINT during a run asks Dagster to stop (it raises inside the running
  step); if the run has not ended `grace_s` later (`NEWS_STOP_GRACE_S`, default 20 s) or a second signal comes,
  the run is marked failed, its slots are freed, its child processes (worker pool, dbt) are ended and the
  process exits with 128 + the signal number. The warehouse stays consistent either way: every write is a
  transaction (tests/test_crash_safety.py kills runs at every stage).
"""
from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .settings import pool_wait_s, stop_grace_s

WRITER_POOLS = ("duckdb_writer",)
TAG_HOST, TAG_PID, TAG_PID_START = "news/host", "news/pid", "news/pid_start"


class PoolWaitTimeout(RuntimeError):
    """A pool slot stayed held by a live run past the deadline."""


# ---------------------------------------------------------------- processes

def _stat_fields(stat_file: Path) -> list[str] | None:
    """/proc/<pid>/stat from field 3 (state) on; None if the process is gone. The command name (field 2) may hold
    spaces and parentheses: the fields are split after its closing parenthesis."""
    try:
        stat = stat_file.read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()


def process_start_ticks(pid: int) -> str | None:
    """The kernel's start time of `pid` (clock ticks since boot, /proc/<pid>/stat field 22); None if unknown."""
    fields = _stat_fields(Path(f"/proc/{pid}/stat"))
    return fields[19] if fields is not None and len(fields) > 19 else None


def _is_zombie(pid: int) -> bool:
    fields = _stat_fields(Path(f"/proc/{pid}/stat"))
    return bool(fields) and fields[0] == "Z"


def process_tags(pid: int | None = None) -> dict[str, str]:
    """Run tags naming the process that executes a run (this one by default)."""
    pid = os.getpid() if pid is None else pid
    tags = {TAG_HOST: socket.gethostname(), TAG_PID: str(pid)}
    start = process_start_ticks(pid)
    if start is not None:
        tags[TAG_PID_START] = start
    return tags


def process_state(tags: dict[str, str]) -> str:
    """'alive', 'gone' or 'unknown' (no process tags, or another host) for a run's process tags."""
    if TAG_PID not in tags or tags.get(TAG_HOST) != socket.gethostname():
        return "unknown"
    try:
        pid = int(tags[TAG_PID])
    except ValueError:
        return "unknown"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return "gone"
    except PermissionError:
        pass  # exists, owned by someone else
    if _is_zombie(pid):
        return "gone"
    recorded = tags.get(TAG_PID_START)
    if recorded is not None:
        current = process_start_ticks(pid)
        if current is not None and current != recorded:
            return "gone"  # the pid was recycled by another process
    return "alive"


def descendants(pid: int) -> list[int]:
    """Every live descendant of `pid` (children first), from /proc; empty where /proc is missing."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat_fields(entry / "stat")
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def end_processes(pids: Iterable[int], grace_s: float = 3.0) -> None:
    """SIGTERM, then SIGKILL what is still there after `grace_s`."""
    pids = list(pids)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        alive = []
        for pid in pids:
            try:
                os.kill(pid, sig)
                alive.append(pid)
            except (ProcessLookupError, PermissionError):
                continue
        if not alive or sig == signal.SIGKILL:
            return
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline and any(process_state({TAG_HOST: socket.gethostname(), TAG_PID: str(p)})
                                                  == "alive" for p in alive):
            time.sleep(0.1)
        pids = alive


def _boot_time() -> float | None:
    try:
        for line in Path("/proc/stat").read_text().splitlines():
            if line.startswith("btime "):
                return float(line.split()[1])
    except OSError:
        return None
    return None


def process_started_at(pid: int) -> float | None:
    """Epoch seconds at which `pid` started (Linux /proc), None if unknown."""
    ticks, boot = process_start_ticks(pid), _boot_time()
    if ticks is None or boot is None:
        return None
    return boot + int(ticks) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- runs and slots

def _local_instance(instance: Any) -> bool:
    """True when the instance's run storage is a file on this machine (SQLite): only then is a pid recorded by
    Dagster itself known to be a pid of this machine."""
    return type(instance.run_storage).__name__.startswith("Sqlite")


def start_event_pid(instance: Any, run_id: str) -> tuple[int, float] | None:
    """(pid, timestamp) of the process that started the run, from the run's start event (Dagster records the
    pid of the process that emits every event; the run start is emitted by the run worker)."""
    from dagster import DagsterEventType

    records = instance.get_records_for_run(run_id, of_type=DagsterEventType.RUN_START, limit=1).records
    for record in records:
        event = record.event_log_entry.dagster_event
        if event is not None and event.pid is not None:
            return int(event.pid), record.event_log_entry.timestamp
    return None


def worker_state(instance: Any, run: Any) -> tuple[str, str]:
    """('alive' | 'gone' | 'unknown', which process) for the process executing `run`: from its news/* tags, else
    (local instances only) from the pid on its start event, checked against the process's start time so that a
    recycled pid does not pass for the run's."""
    tags = dict(run.tags)
    if TAG_PID in tags:
        return process_state(tags), f"process {tags[TAG_PID]} on {tags.get(TAG_HOST)}"
    if not _local_instance(instance):
        return "unknown", "no process recorded for the run"
    started = start_event_pid(instance, run.run_id)
    if started is None:
        return "unknown", "no process recorded for the run yet"
    pid, at = started
    state = process_state({TAG_HOST: socket.gethostname(), TAG_PID: str(pid)})
    if state == "alive":
        began = process_started_at(pid)
        if began is not None and began > at + 2:
            state = "gone"  # the pid now belongs to a process that started after the run did
    return state, f"process {pid}"


def tag_run_process(instance: Any, run_id: str) -> None:
    """Record the run worker's process on a run that has no process tags yet (runs launched by the daemon/UI).
    Steps of the in-process executor run in the run worker itself; a multiprocess executor's step is a child
    of it. Both are multiprocessing children of something (the run worker of a gRPC code server - `dagster
    dev`, deploy/ - is a child of the code server), so the parent is not enough: the run worker is whichever of
    this process and its parent emitted the run's start event (we are on its machine, so that pid is ours)."""
    import multiprocessing

    run = instance.get_run_by_id(run_id)
    if run is None or TAG_PID in run.tags:
        return
    parent = multiprocessing.parent_process()
    started = start_event_pid(instance, run_id)
    if started is not None and started[0] in (os.getpid(), parent.pid if parent is not None else None):
        pid = started[0]
    elif started is not None:
        # the step runs outside the run worker (a Celery worker, deploy/): the run worker is the process of the
        # start event, which worker_state reads when the run has no tags; the step's process is not the run's
        return
    else:
        pid = parent.pid if parent is not None else None
    instance.add_run_tags(run_id, process_tags(pid))


def fail_run(instance: Any, run_id: str, reason: str) -> bool:
    """Mark a run failed (if it has not ended) and free its pool slots. True when the run was changed."""
    from dagster import DagsterRunStatus

    run = instance.get_run_by_id(run_id)
    changed = False
    if run is not None and run.status not in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE,
                                              DagsterRunStatus.CANCELED):
        instance.report_run_failed(run, reason)
        changed = True
    if instance.event_log_storage.supports_global_concurrency_limits:
        instance.event_log_storage.free_concurrency_slots_for_run(run_id)
    return changed


@dataclass(frozen=True)
class SlotHolder:
    pool: str
    run_id: str
    step_key: str | None
    state: str  # alive | gone | ended | missing | unknown
    process: str  # which process runs it, as far as known


def slot_holders(instance: Any, pools: Iterable[str] = WRITER_POOLS) -> list[SlotHolder]:
    """Who holds the slots of `pools`, with the state of the holder's process."""
    from dagster import DagsterRunStatus

    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return []
    out = []
    for pool in pools:
        if pool not in storage.get_concurrency_keys():
            continue
        info = storage.get_concurrency_info(pool)
        for slot in info.claimed_slots:
            run = instance.get_run_by_id(slot.run_id)
            if run is None:
                state, who = "missing", "no such run"
            elif run.status in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED):
                state, who = "ended", f"the run ended ({run.status.value})"
            else:
                state, who = worker_state(instance, run)
            out.append(SlotHolder(pool, slot.run_id, slot.step_key, state, who))
    return out


def reap_dead_runs(instance: Any) -> list[str]:
    """Fail the unfinished runs of this host whose process is gone and free their slots; free the slots of runs
    that ended or no longer exist. Returns one line per run reaped or slot freed."""
    from dagster import DagsterRunStatus, RunsFilter

    said = []
    unfinished = instance.get_runs(filters=RunsFilter(statuses=[
        DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]))
    for run in unfinished:
        state, how = worker_state(instance, run)
        if state == "gone":
            reason = (f"the run's {how} is gone (killed, crashed or the machine restarted); marked failed and "
                      f"its pool slots freed by a later run")
            fail_run(instance, run.run_id, reason)
            said.append(f"run {run.run_id}: {reason}")
    for holder in slot_holders(instance):
        if holder.state in ("ended", "missing"):
            instance.event_log_storage.free_concurrency_slots_for_run(holder.run_id)
            said.append(f"run {holder.run_id}: freed its {holder.pool} slot (the run {holder.state})")
    # pending claims (queued steps) of runs that are gone block the queue too
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        for run_id in storage.get_concurrency_run_ids():
            run = instance.get_run_by_id(run_id)
            if run is None or run.status in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE,
                                             DagsterRunStatus.CANCELED):
                storage.free_concurrency_slots_for_run(run_id)
    return said


def wait_for_pools(instance: Any, *, deadline_s: float | None = None, pools: Iterable[str] = WRITER_POOLS,
                   say: Callable[[str], None] = print, poll_s: float = 1.0, own_run_id: str | None = None) -> float:
    """Block (sleeping) until no live run holds a slot of `pools`; returns the seconds waited. Dead holders are
    reaped on the way. Raises PoolWaitTimeout after `deadline_s` (default NEWS_POOL_WAIT_S or 600 s)."""
    if deadline_s is None:
        deadline_s = pool_wait_s()
    started = time.monotonic()
    last_said = None
    while True:
        reap_dead_runs(instance)
        busy = [h for h in slot_holders(instance, pools) if h.run_id != own_run_id]
        if not busy:
            return time.monotonic() - started
        h = busy[0]
        waited = time.monotonic() - started
        what = (f"pool {h.pool} is held by run {h.run_id} (step {h.step_key or '?'}, {h.process}, "
                f"{'alive' if h.state == 'alive' else 'not known to be dead'})")
        if waited >= deadline_s:
            raise PoolWaitTimeout(f"gave up after {waited:.0f} s: {what}. If that run is really gone, mark it "
                                  f"failed in the Dagster UI (Runs → Terminate) or free the slot "
                                  f"(Deployment → Concurrency); otherwise let it finish.")
        if last_said is None or time.monotonic() - last_said >= 60:
            say(f"waiting for the warehouse: {what}; giving up in {deadline_s - waited:.0f} s")
            last_said = time.monotonic()
        time.sleep(min(poll_s, max(0.05, deadline_s - waited)))


# ---------------------------------------------------------------- stop signals

class StopGuard:
    """SIGTERM/SIGINT while a run executes in this process: first ask Dagster (it raises inside the running step),
    then, after `grace_s` or at a second signal, fail the run, free its slots, end child processes, exit.

    Works while Dagster has its own signal handlers installed: the signal's arrival is read from
    `signal.set_wakeup_fd`, which every Python-level handler triggers."""

    def __init__(self, instance: Any, run_id: str, *, grace_s: float | None = None,
                 say: Callable[[str], None] = print) -> None:
        self.instance = instance
        self.run_id = run_id
        self.grace_s = stop_grace_s() if grace_s is None else grace_s
        self.say = say
        self.signals: list[int] = []
        self._done = threading.Event()
        self._prev_fd: int | None = None
        self._prev_term: Any = None

    def __enter__(self) -> StopGuard:
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(True)
        self._writer.setblocking(False)
        self._prev_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        # SIGTERM's default action kills at once; give it a Python handler (Dagster maps it to SIGINT while a
        # run executes; before and after, it is a KeyboardInterrupt like Ctrl-C)
        self._prev_term = signal.signal(signal.SIGTERM, raise_keyboard_interrupt)
        self._thread = threading.Thread(target=self._watch, name="stop-guard", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        signal.set_wakeup_fd(self._prev_fd if self._prev_fd is not None else -1)
        try:
            self._writer.send(b"\0")  # wake the watcher so it sees _done
        except OSError:
            pass
        self._thread.join(timeout=2)
        self._reader.close()
        self._writer.close()

    @property
    def stopped_by(self) -> int | None:
        return self.signals[0] if self.signals else None

    def _watch(self) -> None:
        first_at = None
        while not self._done.is_set():
            timeout = None if first_at is None else first_at + self.grace_s - time.monotonic()
            if timeout is not None and timeout <= 0:
                data = b""  # the grace period is over
            else:
                self._reader.settimeout(timeout)
                try:
                    data = self._reader.recv(64)
                except (TimeoutError, socket.timeout):
                    data = b""
                except OSError:
                    return
            if self._done.is_set():
                return
            got = [b for b in data if b in (signal.SIGTERM, signal.SIGINT)]
            if got and first_at is None:
                self.signals.extend(got)
                first_at = time.monotonic()
                self.say(f"{signal.Signals(got[0]).name} received: stopping the run (the running step is "
                         f"interrupted; forced stop in {self.grace_s:.0f} s or at a second signal)")
                if len(got) == 1:
                    continue
            elif got:
                self.signals.extend(got)
            if first_at is not None and (len(self.signals) > 1 or time.monotonic() >= first_at + self.grace_s):
                self._force_stop()
                return

    def _force_stop(self) -> None:
        sig = self.signals[0]
        name = signal.Signals(sig).name
        try:
            fail_run(self.instance, self.run_id, f"stopped by {name}: the run was ended before it finished; every "
                                                 f"batch committed before the stop is kept")
        finally:
            end_processes(descendants(os.getpid()))
            self.say(f"run {self.run_id} stopped by {name}; marked failed, pool slots freed")
            os._exit(128 + sig)


LAST_SIGNAL: dict[str, int] = {}


def raise_keyboard_interrupt(signum: int, frame: Any) -> None:
    """SIGTERM as Ctrl-C: a KeyboardInterrupt that the command line turns into exit status 128 + signal."""
    LAST_SIGNAL["signum"] = signum
    raise KeyboardInterrupt(f"signal {signum}")
