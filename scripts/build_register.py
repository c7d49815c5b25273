"""Build data/register/ from the vietnam-provinces wheel (GPL-3.0-or-later).

The 2026.9.0 wheel carries three things phuluc needs and no other release has together: the pre-July-2025
register (63 provinces / 696 districts / 10 051 wards, module ``vietnam_provinces.legacy._lookup``), the current
two-level register (34 provinces and their wards, ``data/nested-divisions.json``) and the 2025 merger map
(``_ward_conversion_2025``, ``_province_conversion_2025``). It requires Python >= 3.12 to install but is pure
Python, so this script downloads the wheel for 3.12, unpacks it and reads it from a temporary directory.

    python scripts/build_register.py                 # download with pip
    python scripts/build_register.py --wheel W.whl   # use a local copy

Output (UTF-8, NFC, tab-separated, one header row): ``units.tsv``, ``merger_2025.tsv`` and ``SOURCE.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import email.parser
import hashlib
import importlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from phuluc.vi.text import clean, fold

PACKAGE = "vietnam-provinces"
VERSION = "2026.9.0"
OUT = Path(__file__).resolve().parent.parent / "data" / "register"

# Longest first: "thị xã" before "xã". "Thành phố trung ương" is printed "Thành phố …".
KINDS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã")
ERAS = ("legacy", "current")
LEVELS = ("province", "district", "ward")
WIDTH = {"province": 2, "district": 3, "ward": 5}


def download(dest: Path) -> Path:
    """Fetch the pure-Python wheel, pretending to be 3.12 (pip on 3.11 would pick an older release)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"{PACKAGE}=={VERSION}", "--no-deps",
         "--only-binary=:all:", "--python-version", "3.12", "-d", str(dest)],
        check=True,
    )
    (wheel,) = dest.glob("vietnam_provinces-*.whl")
    return wheel


def kind_of(name: str) -> str:
    """The unit kind from its name prefix; the package's own division types are unreliable in some versions."""
    folded = fold(name)
    for kind in KINDS:
        if folded.startswith(kind + " "):
            return kind
    raise ValueError(f"no kind prefix in {name!r}")


def row(era: str, level: str, code: int, name: str, parent: str) -> dict[str, str]:
    name = clean(name)
    return {"era": era, "code": f"{code:0{WIDTH[level]}d}", "level": level,
            "kind": kind_of(name), "name": name, "parent": parent}


def legacy_units() -> list[dict[str, str]]:
    lookup = importlib.import_module("vietnam_provinces.legacy._lookup")
    return (
        [row("legacy", "province", int(p.code), p.name, "") for p in lookup.PROVINCE_MAPPING.values()]
        + [row("legacy", "district", int(d.code), d.name, f"{int(d.province_code):02d}")
           for d in lookup.DISTRICT_MAPPING.values()]
        + [row("legacy", "ward", int(w.code), w.name, f"{int(w.district_code):03d}")
           for w in lookup.WARD_MAPPING.values()]
    )


def current_units(root: Path) -> list[dict[str, str]]:
    provinces = json.loads((root / "vietnam_provinces" / "data" / "nested-divisions.json").read_text("utf-8"))
    rows = []
    for p in provinces:
        rows.append(row("current", "province", p["code"], p["name"], ""))
        rows += [row("current", "ward", w["code"], w["name"], f"{p['code']:02d}") for w in p["wards"]]
    return rows


def merger_rows() -> list[dict[str, str]]:
    """Old code → new codes in the order the package lists them (``rank``); ``partly`` = merged only in part."""
    wards = importlib.import_module("vietnam_provinces._ward_conversion_2025").OLD_TO_NEW
    provinces = importlib.import_module("vietnam_provinces._province_conversion_2025").OLD_TO_NEW
    rows = []
    for old, entry in wards.items():
        rows += [{"level": "ward", "old_code": f"{old:05d}", "rank": str(rank), "new_code": f"{new.code:05d}",
                  "partly": str(int(entry.old_ward.is_partly_merged))}
                 for rank, new in enumerate(entry.new_wards, 1)]
    for old, entry in provinces.items():
        rows += [{"level": "province", "old_code": f"{old:02d}", "rank": str(rank), "new_code": f"{new.code:02d}",
                  "partly": str(int(len(entry.new_provinces) > 1))}
                 for rank, new in enumerate(entry.new_provinces, 1)]
    return rows


def write_tsv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n",
                                quoting=csv.QUOTE_NONE)
        writer.writeheader()
        writer.writerows(rows)


def licence(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as z:
        (meta,) = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")]
        headers = email.parser.Parser().parsestr(z.read(meta).decode("utf-8"))
    return headers["License-Expression"] or headers["License"]


def source_md(wheel: Path, units: list[dict[str, str]], merger: list[dict[str, str]]) -> str:
    counts = "\n".join(
        f"| {era} | {level} | {sum(u['era'] == era and u['level'] == level for u in units)} |"
        for era in ERAS for level in LEVELS
        if any(u["era"] == era and u["level"] == level for u in units)
    )
    old = {(r["level"], r["old_code"]) for r in merger}
    return f"""# Administrative register (generated — do not edit)

Built by `scripts/build_register.py` on {dt.date.today().isoformat()} from the PyPI package
**{PACKAGE} {VERSION}** (`{wheel.name}`, sha256 `{hashlib.sha256(wheel.read_bytes()).hexdigest()}`),
by Nguyễn Hồng Quân (github.com/sunshine-tech/VietnamProvinces). Licence: **{licence(wheel)}**; these
files are derived from it and are distributed under the same licence. The names and codes themselves are the
public GSO/NSO register.

- `units.tsv` — `era` (`legacy`: in force until 2025-06-30, module `vietnam_provinces.legacy._lookup`;
  `current`: from 2025-07-01, `data/nested-divisions.json`), `code` (zero-padded: province 2, district 3,
  ward 5 digits), `level`, `kind` (from the name prefix, not the package's division type), `name` (register
  spelling, NFC), `parent` (district or province code; empty for provinces). Codes are unique within an era
  only: a current ward often reuses the code of one of its predecessors, not necessarily the same-named one.
- `merger_2025.tsv` — the 2025 merger map (`_ward_conversion_2025.OLD_TO_NEW`,
  `_province_conversion_2025.OLD_TO_NEW`): `level`, `old_code`, `rank` (the package's listing order of the
  successors), `new_code`, `partly` (1 when the old unit was merged only in part: the package's
  `is_partly_merged` for wards; for provinces, split over several new ones).

| era | level | units |
|---|---|---|
{counts}

Merger map: {sum(lvl == "ward" for lvl, _ in old)} old wards and {sum(lvl == "province" for lvl, _ in old)} old
provinces, {len(merger)} rows.
"""


def build(wheel: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        zipfile.ZipFile(wheel).extractall(tmp)
        sys.path.insert(0, tmp)
        try:
            package = importlib.import_module("vietnam_provinces")
            if not Path(package.__file__).is_relative_to(tmp):
                raise RuntimeError(f"vietnam_provinces was imported from {package.__file__}, not from {wheel}")
            units = legacy_units() + current_units(Path(tmp))
            merger = merger_rows()
        finally:
            sys.path.remove(tmp)
    units.sort(key=lambda u: (ERAS.index(u["era"]), LEVELS.index(u["level"]), u["code"]))
    merger.sort(key=lambda r: (r["level"] != "province", r["old_code"], int(r["rank"])))
    out.mkdir(parents=True, exist_ok=True)
    write_tsv(out / "units.tsv", units)
    write_tsv(out / "merger_2025.tsv", merger)
    (out / "SOURCE.md").write_text(source_md(wheel, units, merger), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help=f"a local {PACKAGE} {VERSION} wheel (default: download it)")
    parser.add_argument("--out", type=Path, default=OUT, help="output directory (default: data/register)")
    args = parser.parse_args()
    if args.wheel:
        build(args.wheel, args.out)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            build(download(Path(tmp)), args.out)


if __name__ == "__main__":
    main()
