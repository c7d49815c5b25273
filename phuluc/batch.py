"""Files read in worker processes, each under its budget, results in input order.

Every file is read in a process of its own, forked for it (so it starts with everything the parent has
loaded) and confined (phuluc/processes.py): its address space is capped at the budget's memory, it dies
with the parent, and it is killed — with the OCR and LibreOffice processes it started — when it runs
past the budget's time. Whatever happens inside, the parent gets one outcome per file: the extraction,
or a PhulucError naming what went wrong (an exception, a limit, a process that died), and the batch
goes on. At most two files per worker are in flight, so memory stays flat however large the batch.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from phuluc import processes, scratch
from phuluc.budget import GaveUp, Limit
from phuluc.errors import PhulucError, reason
from phuluc.extract.sources import Source
from phuluc.model import Extraction
from phuluc.settings import Settings

Read = Callable[[Path, Settings], Extraction]
Outcome = Extraction | PhulucError
_FORK = multiprocessing.get_context("fork")


def extracted(todo: Iterator[Source], read: Read, workers: int,
              settings: Settings) -> Iterator[tuple[Source, Outcome]]:
    """`read` each source in up to `workers` processes at once; (source, outcome) in input order."""
    queue: deque[_Job] = deque()
    try:
        for source in todo:
            queue.append(_Job(source))
            while len(queue) >= 2 * workers:
                yield _finish(queue, read, workers, settings)
        while queue:
            yield _finish(queue, read, workers, settings)
    finally:
        for job in queue:
            job.stop()


def _finish(queue: deque[_Job], read: Read, workers: int, settings: Settings) -> tuple[Source, Outcome]:
    """Run the queue until its first job has its outcome, then take that job off."""
    while queue[0].outcome is None:
        running = [job for job in queue if job.process is not None and job.outcome is None]
        for job in queue:
            if len(running) >= workers:
                break
            if job.waiting:
                job.start(read, settings)
                running.append(job)
        _wait(running, settings.budget.seconds)
    job = queue.popleft()
    return job.source, job.outcome


def _wait(running: list[_Job], seconds: float) -> None:
    """Until a running job ends or the first deadline passes; jobs past their time are killed."""
    deadline = min(job.started + seconds for job in running)
    wait([job.events for job in running], timeout=max(0.0, deadline - time.monotonic()))
    for job in running:
        job.collect(seconds)


@dataclass(eq=False)
class _Job:
    """One file: waiting, then read by its process, then its outcome."""

    source: Source
    process: multiprocessing.process.BaseProcess | None = None
    events: Connection | None = None
    started: float = 0.0
    outcome: Outcome | None = None

    @property
    def waiting(self) -> bool:
        return self.process is None and self.outcome is None

    def start(self, read: Read, settings: Settings) -> None:
        self.events, child = _FORK.Pipe(duplex=False)
        self.process = _FORK.Process(target=_work, args=(child, read, self.source.path, settings), daemon=False)
        self.process.start()
        processes.own_group(self.process.pid)
        child.close()
        self.started = time.monotonic()

    def collect(self, seconds: float) -> None:
        """Take the outcome the process sent, or say why there is none (it died, or ran out of time)."""
        if self.events.poll():
            try:
                self.outcome = self.events.recv()
                self.stop()
                return
            except (EOFError, OSError):  # it died before sending a word
                self.outcome = PhulucError("worker_died", file=self.source.name)
        elif time.monotonic() - self.started > seconds:
            self.outcome = GaveUp(Limit.TIME, file=self.source.name, seconds=seconds)
        else:
            return
        self.stop()
        scratch.sweep()  # the conversion folders of a process that was killed, or died, mid-file

    def stop(self) -> None:
        """Kill the process (and what it started) if it still runs, and reap it."""
        if self.process is None:
            return
        processes.kill_group(self.process.pid)
        self.process.join()
        self.events.close()
        self.process = None


def _work(send: Connection, read: Read, path: Path, settings: Settings) -> None:
    """In the worker: read the file under the budget and send back its outcome, never an exception
    the parent might not be able to unpickle."""
    processes.confine(settings.budget.memory_mb)
    try:
        outcome: Outcome = read(path, settings)
    except PhulucError as e:
        outcome = e
    except MemoryError:
        outcome = GaveUp(Limit.MEMORY, file=str(path), mb=settings.budget.memory_mb)
    except Exception as e:  # a library's own error on a file it cannot read; RecursionError included
        outcome = PhulucError("unreadable", file=str(path), reason=reason(e))
    try:
        send.send(outcome)
    except MemoryError:  # the records of the file are too large to send back
        send.send(GaveUp(Limit.MEMORY, file=str(path), mb=settings.budget.memory_mb))
