"""Hostile and broken files (issue 10): the fuzz generator's own promises, and a CI-sized set of its inputs
through one `phuluc ingest`, which must keep its integrity. The full run is bench/fuzz.py."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import fuzz  # noqa: E402  (the generator is a script, found beside the others)

CI_COUNT = 200
TIMEOUT = 15  # seconds per file
BATCH_GUARD = 900  # seconds for the whole batch, the clean batch apart


@pytest.fixture(scope="module")
def ci_set(tmp_path_factory: pytest.TempPathFactory) -> list[fuzz.Case]:
    """The CI-sized set."""
    return fuzz.generate(tmp_path_factory.mktemp("fuzz") / "inputs", CI_COUNT)


def _contents(cases: list[fuzz.Case], root: Path) -> dict[str, bytes]:
    return {str(case.path.relative_to(root)): case.path.read_bytes() for case in cases}


def test_the_same_seed_makes_the_same_files_and_another_seed_others(tmp_path: Path) -> None:
    first, again, other = (fuzz.generate(tmp_path / name, 40, seed) for name, seed in (("a", 7), ("b", 7), ("c", 8)))
    assert _contents(first, tmp_path / "a") == _contents(again, tmp_path / "b")
    assert [c.variant for c in first] == [c.variant for c in other]
    assert _contents(first, tmp_path / "a") != _contents(other, tmp_path / "c")


def test_one_input_is_made_again_alone_as_in_its_run(tmp_path: Path) -> None:
    """What a failure message tells to run (`--index N`) gives the very file the run had."""
    run = fuzz.generate(tmp_path / "run", 60, seed=3)
    alone = fuzz.make_case(tmp_path / "alone", 57, seed=3)
    assert alone.path.read_bytes() == run[57].path.read_bytes()
    assert (alone.hostile, alone.variant, alone.good) == (run[57].hostile, run[57].variant, run[57].good)


def test_a_ci_set_holds_every_class_several_times(ci_set: list[fuzz.Case]) -> None:
    cases = ci_set
    counts = Counter(case.hostile for case in cases)
    assert {hostile: n for hostile, n in counts.items() if n < 3} == {}
    assert set(counts) == set(fuzz.Hostile)
    assert sum(case.good for case in cases) >= 25


def test_a_ci_set_is_small(ci_set: list[fuzz.Case]) -> None:
    cases = ci_set
    sizes = {case.path.name: case.path.stat().st_size for case in cases}
    assert {name: size for name, size in sizes.items() if size > fuzz.MAX_BYTES} == {}
    assert sum(sizes.values()) < 100 << 20


def test_no_input_shares_a_good_reports_bytes(ci_set: list[fuzz.Case]) -> None:
    """A copy of a good report elsewhere in the batch would be skipped as already loaded, or take its place."""
    cases = ci_set
    good = {case.path.read_bytes(): case.path.name for case in cases if case.good}
    assert len(good) == sum(case.good for case in cases)
    assert [case.path.name for case in cases if not case.good and case.path.read_bytes() in good] == []


def test_entities_and_escapes_in_one_file_each_end_cleanly(ci_set: list[fuzz.Case]) -> None:
    """`phuluc extract` of each XML entity bomb and XXE, and of reports whose unit name is an escape
    sequence: no traceback, no leaked /etc/passwd, no raw ESC, a clean exit."""
    cases = ci_set
    first = {}
    for case in cases:
        if case.hostile is fuzz.Hostile.XML_ENTITY or case.variant.endswith("x1b-2j"):
            first.setdefault(case.variant, case)
    results = fuzz.run_each(list(first.values()), TIMEOUT)
    assert len(results) >= 10
    assert [f"{r.case.describe(0)}: {r.problems()}" for r in results if r.problems()] == []


def test_a_hostile_batch_keeps_its_integrity(ci_set: list[fuzz.Case], tmp_path: Path) -> None:
    cases = ci_set
    result = fuzz.run_batch(cases, tmp_path / "fuzz.db", TIMEOUT, workers=2, guard=BATCH_GUARD)
    assert result.loaded >= sum(case.good for case in cases)
    assert result.ok, "\n".join(result.problems)
