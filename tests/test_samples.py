"""The sample reports of data/samples and their generator, scripts/make_samples.py.

The README's first command ingests data/samples, so the committed files must be exactly what the script
writes, must all read, and must show the findings planted in them — and only those.
"""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from phuluc.contract import to_json
from phuluc.load.db import CONFLICTING_SUBMISSION, Database
from phuluc.pipeline import extract_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


def _load_script():
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


make_samples = _load_script()
FIXED = make_samples.samples()
PLANTED = make_samples.planted()


def test_committed_samples_are_the_generated_ones() -> None:
    assert sorted(p.name for p in SAMPLES.iterdir()) == sorted(name for name, _ in FIXED)
    for name, text in FIXED:
        assert (SAMPLES / name).read_bytes() == text.encode("utf-8"), f"{name}: run scripts/make_samples.py"


def test_fixed_set_is_five_nfc_reports_with_one_resubmission() -> None:
    assert len(FIXED) == 5
    assert all(unicodedata.is_normalized("NFC", text) for _, text in FIXED)
    planted = [rule for findings in PLANTED.values() for rule, _ in findings]
    assert sorted(planted) == ["CONFLICTING_SUBMISSION", "RATING_MISMATCH", "SUM_MISMATCH"]


@pytest.mark.parametrize("name", [name for name, _ in FIXED])
def test_sample_reads_with_exactly_its_planted_findings(name: str) -> None:
    doc = to_json(extract_file(SAMPLES / name))
    report = doc["report"]
    assert report["issuer"] and report["period"] and report["framework"]
    assert report["framework"] in (SAMPLES / name).read_text(encoding="utf-8")  # named in the body
    rows = [r for t in doc["tables"] if t["kind"] == "scores" for r in t["rows"]]
    assert rows and all(r["unit"] for r in rows)
    want = Counter(f for f in PLANTED[name] if f[0] != CONFLICTING_SUBMISSION)
    assert Counter((f["rule"], f["unit"]) for f in doc["findings"]) == want


def test_resubmission_conflicts_with_the_first_report_on_one_unit(tmp_path: Path) -> None:
    database = Database.open(f"sqlite:///{tmp_path / 'samples.db'}")
    for name, _ in FIXED:  # in file-name order, as `phuluc ingest data/samples` loads them
        database.store(extract_file(SAMPLES / name), file_name=name, messages=lambda f: f.rule)
    found = [(c.file_name, c.finding.rule, c.finding.unit) for c in database.conflicts()]
    want = [(name, rule, unit) for name, findings in PLANTED.items() for rule, unit in findings
            if rule == CONFLICTING_SUBMISSION]
    assert found == want
    database.close()


def test_generated_reports_are_repeatable_and_read(tmp_path: Path) -> None:
    reports = list(make_samples.generate(5, seed=1))
    assert reports == list(make_samples.generate(5, seed=1))
    assert len({name for name, _ in reports}) == 5
    for name, text in reports:
        assert Path(name).suffix in (".md", ".txt") and unicodedata.is_normalized("NFC", text)
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8"))
        rows = [r for t in extract_file(path).report.score_tables for r in t.rows if not r.is_total_row]
        assert rows, name
