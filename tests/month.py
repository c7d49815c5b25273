"""A month of a province's district reports, generated in code (scripts/make_samples.py's 459/QĐ-UBND
reports): every district of Điện Biên but one, one district's report sent again as a correction after the
deadline, one district's report late; with the figures each report prints, to compute what phuluc must give."""

from __future__ import annotations

import importlib.util
import random
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from phuluc.normalize.units import Register, Unit

ROOT = Path(__file__).resolve().parents[1]
PROVINCE = "11"  # Tỉnh Điện Biên
PERIOD = "2024-03"
ON_TIME, LATE = (5, 4, 2024), (17, 4, 2024)  # the 459 deadline is 10/4/2024


def _samples():
    name = "make_samples"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "make_samples.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[name]


samples = _samples()


@dataclass(frozen=True)
class Month:
    folder: Path
    districts: tuple[Unit, ...]  # every district of the province, in register order
    missing: Unit | None
    twice: Unit  # sent, then corrected
    late: Unit
    rows: dict[str, list]  # district code → the rows of its report that counts (samples.Row), best first
    codes: dict[str, str]  # a commune's name → its code
    files: dict[str, list[str]]  # district code → its files, the one that counts last


def month(folder: Path, *, missing: int | None = 3, twice: int = 1, late: int = 6) -> Month:
    """Write the month's reports into `folder` (which is made): district `missing` sends none, `twice`
    sends its report, then a correction with other figures after the deadline, `late` sends after it."""
    register = Register.load()
    districts = register.children(PROVINCE, "legacy")
    folder.mkdir()
    rows, files, codes = {}, {}, {}
    for k, district in enumerate(districts):
        if k == missing:
            continue
        rng = random.Random(f"month/{district.code}")
        units = register.children(district.code, "legacy")
        codes.update((u.name, u.code) for u in units)
        doc = replace(samples.new_doc(rng, district, (2024, 3)), signed=LATE if k == late else ON_TIME)
        rows[district.code] = samples.rows_459(rng, units, frozenset({5}))
        files[district.code] = [_write(folder, f"{k:02d}-{samples.slug(district)}.md",
                                       samples.markdown_459(doc, rows[district.code], units))]
        if k == twice:
            corrected = replace(doc, number=doc.number + 9, signed=LATE)
            rows[district.code] = samples.rows_459(rng, units, frozenset({5}))
            text = samples.markdown_459(corrected, rows[district.code], units).replace(
                "## BÁO CÁO\n", "## BÁO CÁO ĐIỀU CHỈNH\n", 1)
            files[district.code].append(_write(folder, f"{k:02d}-{samples.slug(district)}-dieu-chinh.md", text))
    return Month(folder, districts, None if missing is None else districts[missing], districts[twice], districts[late],
                 rows, codes, files)


def _write(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(samples.nfc(text), encoding="utf-8")
    return name


def garbled(folder: Path, district: Unit) -> str:
    """Write a report of the district for the month whose issuer's name is misprinted past recognition
    ("Mường Chàà"): no issuer, so no province, is read from it. Its file's name."""
    register = Register.load()
    rng = random.Random(f"garbled/{district.code}")
    units = register.children(district.code, "legacy")
    doc = replace(samples.new_doc(rng, district, (2024, 3)), signed=ON_TIME)
    text = samples.markdown_459(doc, samples.rows_459(rng, units, frozenset({5})), units)
    name = samples.bare(district)
    misprint = name + name[-1]
    return _write(folder, "garbled.md", text.replace(name, misprint).replace(name.upper(), misprint.upper()))
