"""Jobs in worker processes, each on its own: a job that crashes its process or runs past its
time limit fails alone, and every other job still runs.

`concurrent.futures.ProcessPoolExecutor` marks the whole pool broken when one worker dies (the
kernel's out-of-memory killer, a crash in a C library): every job not yet finished then fails
with it, so one bad document failed a whole batch. It also cannot stop a job that never ends.
`pebble.ProcessPool` replaces a dead worker and fails only the job it was running, and stops a
job at its time limit by ending its process; that is what this module adds to it:

* workers are forked on Linux, so that what the parent loaded (word lists, compiled
  stylesheets) is shared with them, not loaded again in each;
* a job's result comes back as `Stopped` instead of an exception when its process ended
  without returning (crashed, killed, past the time limit), with one line saying why;
* a limit on each worker's memory: a thread of the worker looks at its resident memory every
  `WATCH` seconds and ends the worker past the limit, so that one document fails with a clear
  reason before the system's out-of-memory killer picks a process (perhaps another program);
* jobs can be sent in chunks (many small files): a chunk whose process dies is sent again one
  job at a time, so that only the job that kills its process is reported, not its neighbours.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Stopped(Generic[T]):
    """A job whose process ended without returning its result."""

    item: T
    #: "time-limit" (stopped at the time limit), "memory-limit" (its process passed the memory
    #: limit), "crashed" (its process died), "error" (the job raised, or its result could not
    #: be sent back) or "interrupted" (the whole run was: Ctrl-C)
    cause: str
    #: what happened, for a person: "took longer than 60 s", "its process was killed by
    #: signal 9 (SIGKILL)"
    text: str


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(code).name
    except ValueError:
        return f"signal {code}"


def exit_text(exitcode: int | None) -> str:
    """Why a process ended, from its exit code (negative: the signal that killed it)."""
    if exitcode is None:
        return "its process ended"
    if exitcode < 0:
        sig = -exitcode
        text = f"its process was killed by signal {sig} ({_signal_name(sig)})"
        if sig == signal.SIGKILL:
            text += ", most often the system running out of memory"
        return text
    return f"its process exited with status {exitcode}"


#: Seconds between two looks of pebble's manager threads at the workers and the time limits.
POLL = 0.01
#: Seconds between two looks of a worker at its own resident memory.
WATCH = 0.05
#: Seconds a job has run before its memory is first looked at: by then pebble has seen that the
#: job started, so that the end of its process is put down to it (a worker that ends before
#: that is taken for a pool that broke).
SETTLE = 0.5
#: Exit status of a worker that ended itself past its memory limit.
MEMORY_EXIT = 86
_STATM = "/proc/self/statm"


def can_limit_memory() -> bool:
    """Whether a worker can see its resident memory (Linux's /proc)."""
    return os.path.exists(_STATM)


def _resident_bytes() -> int:
    with open(_STATM, "rb") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


#: When the job running in this worker process started (`time.monotonic()`), None between jobs.
_job_started: float | None = None


def _watch_memory(limit: int) -> None:
    """Run in each worker as it starts: a thread that ends the worker, with `MEMORY_EXIT`, when
    its resident memory (what it shares with its parent included) passes `limit` bytes while a
    job runs (from `SETTLE` seconds into the job). Between jobs the worker holds pebble's locks
    at times, and must not end then."""
    def watch() -> None:
        while True:
            started = _job_started
            if started is not None and time.monotonic() - started > SETTLE and _resident_bytes() > limit:
                os._exit(MEMORY_EXIT)
            time.sleep(WATCH)

    threading.Thread(target=watch, name="memory-limit", daemon=True).start()


def _run_chunk(fn: Callable[[Any], Any], chunk: Sequence[Any]) -> list[Any]:
    global _job_started
    _job_started = time.monotonic()
    try:
        return [fn(item) for item in chunk]
    finally:
        _job_started = None


def run_isolated(fn: Callable[[T], R], items: Sequence[T], jobs: int,
                 on_result: Callable[[T, R | Stopped[T]], None], *,
                 timeout: float | None = None, memory_limit: int | None = None, chunk: int = 1) -> None:
    """Run `fn(item)` for every item in `jobs` worker processes; call `on_result(item, result)`
    in this process as each finishes, in the order they finish. `result` is what `fn` returned,
    or `Stopped` when its process died, ran past `timeout` seconds (per chunk of `chunk` items;
    a chunk that dies is run again one item at a time), passed `memory_limit` bytes of resident
    memory (Linux only: see `can_limit_memory`) or raised (`fn` should report its own failures
    in its result: an exception is a defect, reported here by its type and text).

    Interrupted (Ctrl-C), the jobs not started are dropped, the running ones are stopped and
    reported as `Stopped(cause="interrupted")`, and the interruption is raised again."""
    from pebble import CONSTS, ProcessPool

    # pebble's manager threads poll at this interval; its default (0.1 s) adds up to two of it
    # to the end of every batch, for a check of a few microseconds
    CONSTS.sleep_unit = min(CONSTS.sleep_unit, POLL)
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else multiprocessing
    chunk = max(1, chunk)
    watch = {"initializer": _watch_memory, "initargs": (memory_limit,)} if memory_limit else {}
    pool = ProcessPool(max_workers=max(1, min(jobs, len(items))), context=context, **watch)
    pending: dict[concurrent.futures.Future, list[T]] = {}

    def send(part: list[T]) -> None:
        pending[pool.schedule(_run_chunk, (fn, part), timeout=timeout)] = part

    try:
        for i in range(0, len(items), chunk):
            send(list(items[i:i + chunk]))
        while pending:
            finished, _ = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
            for fut in finished:
                part = pending.pop(fut)
                for item, result in zip(part, _results(fut, part, send, timeout, memory_limit)):
                    on_result(item, result)
    except BaseException:
        # interrupted (Ctrl-C), or on_result raised: the jobs not yet started are dropped, and the
        # running ones stopped at once (a batch is not finished after its user stopped it); they
        # are reported as interrupted, so that their caller can clean up after them
        running = [item for fut, part in pending.items() if fut.running() for item in part]
        pool.stop()
        pool.join()
        for item in running:
            with contextlib.suppress(Exception):
                on_result(item, Stopped(item, "interrupted", "it was interrupted"))
        raise
    pool.close()
    pool.join()


def _results(fut: concurrent.futures.Future, part: list[T], send: Callable[[list[T]], None],
             timeout: float | None, memory_limit: int | None) -> list[Any]:
    """The results of a finished chunk, or a `Stopped` for each of its items; a chunk of many
    items whose process died is sent again one item at a time (and gives no results now)."""
    from pebble import ProcessExpired

    try:
        return list(fut.result())
    except (TimeoutError, concurrent.futures.TimeoutError, ProcessExpired) as exc:
        if len(part) > 1:
            for item in part:      # find the one item that stops its process
                send([item])
            return []
        if isinstance(exc, ProcessExpired) and memory_limit and exc.exitcode == MEMORY_EXIT:
            return [Stopped(part[0], "memory-limit", f"its process passed the memory limit of {memory_limit / 2**20:g} MB")]
        if isinstance(exc, ProcessExpired):
            return [Stopped(part[0], "crashed", exit_text(exc.exitcode))]
        return [Stopped(part[0], "time-limit", f"took longer than {timeout:g} s")]
    except Exception as exc:  # noqa: BLE001 - a defect in fn, or a result that cannot be pickled
        text = f"{type(exc).__name__}: {exc}".strip().splitlines()[0].rstrip(": ")
        return [Stopped(item, "error", text) for item in part]
