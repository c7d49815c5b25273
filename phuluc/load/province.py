"""The province a command is about (`--province`, a register code or a name), in the register in force
for the period asked for, or the one province whose reports of that period are stored."""

from __future__ import annotations

from sqlalchemy import select

from phuluc.errors import PhulucError
from phuluc.load.db import Database, DbReport
from phuluc.model import Era
from phuluc.normalize.units import Register, Unit, era_for, split_name
from phuluc.periods import Period
from phuluc.vi.text import fold, strip_marks


def era_of(period: Period) -> Era:
    """The register in force for a period: one that straddles the reform (the year 2025) is reported on by
    the units in force at its end."""
    return era_for(str(period), period.end.isoformat())


def province(database: Database, asked: str | None, period: Period) -> Unit:
    """The province `asked` for (its code or name), or, when none is, the one whose reports of the period
    are stored; PhulucError when it is no province of the register or, unasked, is not one."""
    register, era = Register.load(), era_of(period)
    if asked is not None:
        found = _named(register, asked, era)
        if found is None:
            raise PhulucError("unknown_province", province=asked, era=era)
        return found
    with database.session() as session:
        codes = sorted(c for c in session.scalars(select(DbReport.province_code).distinct()
                                                  .where(DbReport.period == str(period))) if c)
    units = [u for c in codes if (u := register.get(c, era)) is not None and u.level == "province"]
    if len(units) != 1:
        raise PhulucError("choose_province" if units else "no_reports", period=str(period),
                          provinces=", ".join(f"{u.name} ({u.code})" for u in units))
    return units[0]


def _named(register: Register, asked: str, era: Era) -> Unit | None:
    """The province of a register code ("11") or a name, its kind and marks printed or not ("Tỉnh Điện
    Biên", "dien bien")."""
    text = asked.strip()
    unit = register.get(text.zfill(2) if text.isdigit() else text, era)
    if unit is not None and unit.level == "province":
        return unit
    key = fold(split_name(text)[1])
    for k, ascii_ in ((key, False), (strip_marks(key), True)):
        found = [u for u in register.keyed(k, era, ascii_=ascii_) if u.level == "province"]
        if found:
            return found[0] if len(found) == 1 else None
    return None
