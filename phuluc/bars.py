"""The progress bars of the commands, on stderr: the files of an ingest with their rate and what is being
read, the pages of a scan being extracted. Imported by those commands alone (rich's progress costs the
others' start-up)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class _Rate(ProgressColumn):
    """Files a second, once there is a rate to show."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} {self.unit}" if speed else "", style="progress.data.speed")


def files(console: Console, reading: str, per_second: str) -> Progress:
    """Files read of all, their rate, time spent and left, and the file being read."""
    return Progress(TextColumn(reading), BarColumn(), MofNCompleteColumn(), _Rate(per_second), TimeElapsedColumn(),
                    TimeRemainingColumn(), TextColumn("{task.description}"), console=console, transient=True)


def pages(console: Console, reading: str) -> Progress:
    """Pages read of all, time spent and left."""
    return Progress(TextColumn(reading), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TimeRemainingColumn(), console=console, transient=True)
