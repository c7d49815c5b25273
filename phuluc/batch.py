"""Files read in worker processes, each under its budget, results in input order.

A worker is a process forked from the command and confined (phuluc/processes.py): its address space is
capped at the budget's memory, it dies with the command, and it reads the files sent to it one after
another, so the unit register and the other caches it builds on its first file serve the rest. A worker
that runs past the budget's time on a file is killed — with the OCR and LibreOffice processes it
started — and a fresh one takes its place; so is one that died, or ran out of memory. Whatever happens
inside, the command gets one outcome per file: the extraction, or a PhulucError naming what went wrong
(an exception, a limit, a process that died), and the batch goes on. At most `_AHEAD` files per worker
are in flight (one being read, the others waiting to be read or for their turn), so memory stays flat
however large the batch.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from phuluc import processes, progress, scratch
from phuluc.budget import GaveUp, Limit
from phuluc.errors import PhulucError, reason
from phuluc.extract.sources import Source
from phuluc.model import Extraction
from phuluc.settings import Settings

Read = Callable[[Path, Settings], Extraction]
Outcome = Extraction | PhulucError
OnPages = Callable[[Source, int, int], None]  # a file, its pages read, its pages to read (OCR)
_FORK = multiprocessing.get_context("fork")
# files per worker taken from the batch before the first is done: outcomes wait for their turn, so a long
# scan does not leave the other workers idle after a file or two (8: a few Extractions held, a few MB)
_AHEAD = 8


def extracted(todo: Iterator[Source], read: Read, workers: int, settings: Settings,
              on_pages: OnPages | None = None) -> Iterator[tuple[Source, Outcome]]:
    """`read` each source in up to `workers` processes at once; (source, outcome) in input order.
    `on_pages` hears each page a worker's OCR finishes."""
    pool = _Pool(read, workers, settings, on_pages)
    queue: deque[_Job] = deque()
    try:
        for source in todo:
            queue.append(_Job(source))
            while len(queue) >= _AHEAD * workers:
                yield pool.finish(queue)
        while queue:
            yield pool.finish(queue)
    finally:
        pool.close()


@dataclass(frozen=True, slots=True)
class _Pages:
    """What a worker sends while it reads a scan: its pages done so far, of how many."""

    done: int
    total: int


@dataclass(eq=False)
class _Job:
    source: Source
    outcome: Outcome | None = None
    sent: bool = False


class _Worker:
    """One worker process, the pipe to it, and the file it is reading."""

    def __init__(self, read: Read, settings: Settings) -> None:
        self.pipe, child = _FORK.Pipe()
        self.process = _FORK.Process(target=_serve, args=(child, read, settings, os.getpid()), daemon=False)
        self.process.start()
        processes.own_group(self.process.pid)
        child.close()
        self.job: _Job | None = None
        self.started = 0.0

    def send(self, job: _Job) -> None:
        self.pipe.send(job.source.path)
        self.job, job.sent, self.started = job, True, time.monotonic()

    def collect(self, seconds: float, on_pages: OnPages | None) -> bool:
        """Give the file being read its outcome if there is one: the worker's answer, or why there is
        none (it died, or ran past `seconds`); pass on the pages it has read. Whether the worker can go
        on to the next file."""
        job = self.job
        while job.outcome is None and self.pipe.poll():
            try:
                message = self.pipe.recv()
            except (EOFError, OSError):  # it died before answering
                message = PhulucError("worker_died", file=job.source.name)
            if isinstance(message, _Pages):
                if on_pages is not None:
                    on_pages(job.source, message.done, message.total)
            else:
                job.outcome = message
        if job.outcome is None:
            if time.monotonic() - self.started <= seconds:
                return True
            job.outcome = GaveUp(Limit.TIME, file=job.source.name, seconds=seconds)
        self.job = None
        return not _spends(job.outcome)

    def stop(self) -> None:
        """Kill the worker and what it started, and reap it."""
        processes.kill_group(self.process.pid)
        self.process.join()
        self.pipe.close()


class _Pool:
    """Up to `size` workers, started when there is a file for them, replaced when one is spent."""

    def __init__(self, read: Read, size: int, settings: Settings, on_pages: OnPages | None) -> None:
        self.read, self.size, self.settings, self.on_pages = read, size, settings, on_pages
        self.workers: list[_Worker] = []

    def finish(self, queue: deque[_Job]) -> tuple[Source, Outcome]:
        """Read the queue until its first job has its outcome, then take that job off."""
        while queue[0].outcome is None:
            self._dispatch(queue)
            busy = [w for w in self.workers if w.job is not None]
            deadline = min(w.started for w in busy) + self.settings.budget.seconds
            wait([w.pipe for w in busy], timeout=max(0.0, deadline - time.monotonic()))
            for worker in busy:
                if not worker.collect(self.settings.budget.seconds, self.on_pages):
                    self._replace(worker)
        self._dispatch(queue)  # the next files go out now: the workers read them while this one is stored
        job = queue.popleft()
        return job.source, job.outcome

    def _dispatch(self, queue: deque[_Job]) -> None:
        """Send the waiting jobs, in order, to idle workers, starting workers up to the pool's size."""
        for job in queue:
            if job.sent:
                continue
            idle = next((w for w in self.workers if w.job is None), None)
            if idle is None and len(self.workers) < self.size:
                idle = _Worker(self.read, self.settings)
                self.workers.append(idle)
            if idle is None:
                return
            idle.send(job)

    def _replace(self, worker: _Worker) -> None:
        """A worker killed, dead or out of memory goes; the next file starts a fresh one."""
        worker.stop()
        self.workers.remove(worker)
        scratch.sweep()  # the conversion folders of the process that went

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers.clear()


_SPENT = frozenset((Limit.TIME.value, Limit.MEMORY.value))


def _spends(outcome: Outcome) -> bool:
    """Whether reading the file ended its worker: it died, was killed at its time, or ran out of memory
    (which may leave a library's state in pieces)."""
    return isinstance(outcome, PhulucError) and (outcome.key == "worker_died" or outcome.params.get("budget") in _SPENT)


def _serve(pipe: Connection, read: Read, settings: Settings, parent: int) -> None:
    """In the worker: read each file the command sends under the budget and answer with its outcome,
    never with an exception the command might not be able to unpickle; done when the command closes
    the pipe."""
    processes.confine(parent, settings.budget.memory_mb)
    # libraries' complaints about a damaged file ("Invalid MediaBox …", Pillow's "Corrupt EXIF data"):
    # the file's outcome says what the user needs, in their language
    logging.disable(logging.ERROR)
    warnings.simplefilter("ignore")
    progress.listen(lambda done, total: pipe.send(_Pages(done, total)))
    while True:
        try:
            path = pipe.recv()
        except EOFError:
            return
        outcome = _outcome(read, path, settings)
        try:
            pipe.send(outcome)
        except MemoryError:  # the records of the file are too large to send back
            pipe.send(_out_of_memory(path, settings))


def _outcome(read: Read, path: Path, settings: Settings) -> Outcome:
    try:
        return read(path, settings)
    except PhulucError as e:
        return e
    except MemoryError:
        return _out_of_memory(path, settings)
    except Exception as e:  # a library's own error on a file it cannot read; RecursionError included
        return PhulucError("unreadable", file=str(path), reason=reason(e))


def _out_of_memory(path: Path, settings: Settings) -> GaveUp:
    return GaveUp(Limit.MEMORY, file=str(path), mb=settings.budget.memory_mb)
