"""What people ruled about printed unit names (`phuluc units accept` and `reject`), as the matcher reads them.

A ruling holds within one province and one register, as the names a report may print do: "UBND xã Huổi
Léch" in Điện Biên's legacy register stands for Xã Huổi Lếnh, or for no unit at all. The command line loads
the rulings from the database once per ingest and hands them down in `Settings`, to the workers too.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from phuluc.model import Era


class Action(enum.StrEnum):
    """What a person ruled about a printed name: it is the unit named, or it is no unit."""

    ACCEPT = "accept"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Decision:
    """One ruling: the printed name (folded, `vi.text.fold`) stands for the unit of `code`, or for none."""

    name: str
    province: str  # the code of the issuer's province
    era: Era  # the register `code` belongs to
    code: str | None  # None: rejected, the name stays unmatched


@dataclass(frozen=True, slots=True)
class Decisions:
    """Every ruling in force; frozen and picklable, as `Settings` is."""

    rulings: tuple[Decision, ...] = ()

    def within(self, province: str | None, era: Era) -> dict[str, str | None]:
        """Folded printed name → unit code (None: rejected) for the reports of one province and register."""
        return {d.name: d.code for d in self.rulings if d.province == province and d.era == era}
