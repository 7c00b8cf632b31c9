"""Running tasks in worker processes, results handled in input order, memory bounded.

SIGTERM in the main process ends every worker at once (they would otherwise finish
their queue first, holding stderr open for whoever waits on it).
"""

from __future__ import annotations

import collections
import concurrent.futures
import gc
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Any

from ..options import Options
from ..pipeline import prepare
from .errors import StreamError, Terminated, describe
from .units import UNIT_CHARS

if TYPE_CHECKING:  # multiprocessing is imported when workers start (a fortieth of a second)
    from multiprocessing.context import BaseContext

# Without --jobs, regular input files of at least this many bytes in all are repaired on
# every core: a few units per worker, so that worker start-up is small against the work.
# Standard input and smaller files run in one process (a pipe's size is unknown).
AUTO_JOBS_BYTES = 4 * UNIT_CHARS


# The window of tasks in flight (sent, or done and waiting for the ones before them),
# per worker process: at most this many characters of input, and at most this many
# tasks. Workers take the next task as they finish one, so work is shared by what it
# costs, not by its size; the window only has to let a worker run past an expensive
# unit (spun text costs about ten times clean text) while another still works on it.
# Eight units per worker do, and keep the main process's memory bounded by what they
# hold (input and output, under 10 MB per worker).
IN_FLIGHT_CHARS_PER_JOB = 8 * UNIT_CHARS
IN_FLIGHT_PER_JOB = 32


@dataclass
class Task:
    """Work for a worker (`function(*arguments)`), then `done(result)` in input order.

    A task without a function only runs `done(None)` in order (end of an input, or a
    piece of input passed through as it is). If the work fails (out of memory, a bug),
    StreamError names the input.
    """

    function: Callable[..., Any] | None
    arguments: tuple[Any, ...]
    done: Callable[[Any], None]
    name: str = ""  # the input the work is from, for messages
    size: int = 0  # characters (or bytes) of input the task holds until it is done


def _worker_start() -> None:
    """Workers leave Ctrl-C to the main process and die at once on SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def execute(tasks: Iterator[Task], jobs: int, options: Options) -> None:
    """Run tasks, in worker processes if jobs > 1, handling results in input order.

    At most IN_FLIGHT_PER_JOB x jobs tasks, holding IN_FLIGHT_CHARS_PER_JOB x jobs
    characters, are pending at once, and tasks are drawn from the (lazy) iterator only
    as results are handled, so memory does not grow with input. The tables are loaded
    here first and frozen out of the garbage collector, whose full passes would
    otherwise walk them again and again (and, in forked workers, copy their pages):
    where processes can fork, the workers share them (elsewhere each loads its own).
    """
    context = None
    if jobs > 1:
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
    if jobs <= 1 or context is not None:
        prepare(options)
        gc.freeze()
    try:
        if jobs <= 1:
            for task in tasks:
                _finish(task.function and _Now(task), task)
        else:
            _execute_in_workers(tasks, jobs, context)
    finally:
        gc.unfreeze()


def _execute_in_workers(tasks: Iterator[Task], jobs: int, context: BaseContext | None) -> None:
    previous = signal.signal(signal.SIGTERM, _terminated)
    executor = concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, initializer=_worker_start, mp_context=context
    )
    pending: collections.deque[tuple[concurrent.futures.Future[Any] | None, Task]]
    pending = collections.deque()
    held = 0  # characters the pending tasks hold
    try:
        for task in tasks:
            future = executor.submit(task.function, *task.arguments) if task.function else None
            pending.append((future, task))
            held += task.size
            while len(pending) >= IN_FLIGHT_PER_JOB * jobs or (
                held >= IN_FLIGHT_CHARS_PER_JOB * jobs
            ):
                future, task = pending.popleft()
                held -= task.size
                _finish(future, task)
        while pending:
            _finish(*pending.popleft())
    except (Terminated, KeyboardInterrupt):  # stop now, not after the work in flight
        stop_workers(executor)
        raise
    finally:  # after an error (a broken pipe), the tasks already running finish first
        executor.shutdown(wait=True, cancel_futures=True)
        signal.signal(signal.SIGTERM, previous)


def stop_workers(executor: concurrent.futures.ProcessPoolExecutor) -> None:
    """End every worker process now, without leaving the pool to hang in shutdown.

    A worker killed while sending its result leaves half a message in the result pipe,
    and the pool's manager thread would wait for the rest forever: this process holds
    a write end of that pipe too. Closing it once the workers are gone turns the wait
    into end-of-file, which the pool handles as a broken pool. (Python 3.14 has
    `terminate_workers` for all this.)
    """
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=1.0)
    writer = getattr(getattr(executor, "_result_queue", None), "_writer", None)
    if writer is not None:
        writer.close()


class _Now:
    """A task's work done here and now, with the interface of a finished future."""

    def __init__(self, task: Task) -> None:
        self.task = task

    def result(self) -> Any:
        assert self.task.function is not None
        return self.task.function(*self.task.arguments)


def _finish(future: concurrent.futures.Future[Any] | _Now | None, task: Task) -> None:
    try:
        result = future.result() if future is not None else None
    except concurrent.futures.BrokenExecutor:  # the pool's BrokenProcessPool
        raise StreamError(task.name, "a worker process died (out of memory?)") from None
    except Exception as error:  # the library failed on this input: say which one
        raise StreamError(task.name, describe(error)) from error
    task.done(result)


def worker_count(requested: int | None, inputs: Sequence[str]) -> int:
    """How many worker processes to use (see AUTO_JOBS_BYTES for the default)."""
    if requested is None:
        try:
            size = sum(os.stat(name).st_size for name in inputs if name != "-")
        except OSError:
            return 1  # the input is reported when it is opened
        large = "-" not in inputs and size >= AUTO_JOBS_BYTES
        return (os.cpu_count() or 1) if large else 1
    return requested or os.cpu_count() or 1
