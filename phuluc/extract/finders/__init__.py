"""Table finders, one strategy per module behind one interface (finders/base.py)."""

from __future__ import annotations

from phuluc.extract.finders import positioned, stream, tabbed
from phuluc.extract.finders.base import Finder, Region, Style

FINDERS: dict[Style, Finder[Region]] = {"tabbed": tabbed, "positioned": positioned, "stream": stream}
