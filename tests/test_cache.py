"""The cache of values derived from the shipped data: built once, read back, rebuilt when what it is
made from changes or the file is damaged, and never in the way when it cannot be written."""

from __future__ import annotations

from pathlib import Path

import pytest

from phuluc import cache
from phuluc.normalize.units import Register, name_keys


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "phuluc"


def _counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []
    return calls, lambda: calls.append(1) or value


def test_a_value_is_built_once_then_read_back(folder: Path) -> None:
    calls, build = _counting({("legacy", "01"): ("ba dinh", "ba dinh")})
    made_from = cache.digest([b"units"])
    first = cache.cached("keys", made_from, build)
    assert cache.cached("keys", made_from, build) == first == {("legacy", "01"): ("ba dinh", "ba dinh")}
    assert calls == [1] and [p.name for p in folder.iterdir()] == [f"keys-{made_from}.marshal"]


def test_new_data_is_a_new_value_and_the_old_file_goes(folder: Path) -> None:
    cache.cached("keys", cache.digest([b"old"]), lambda: "old")
    assert cache.cached("keys", cache.digest([b"new"]), lambda: "new") == "new"
    assert [p.name for p in folder.iterdir()] == [f"keys-{cache.digest([b'new'])}.marshal"]


def test_a_damaged_file_is_built_again(folder: Path) -> None:
    made_from = cache.digest([b"units"])
    cache.cached("keys", made_from, lambda: ("a", "b"))
    (folder / f"keys-{made_from}.marshal").write_bytes(b"\x00garbage")
    calls, build = _counting(("a", "b"))
    assert cache.cached("keys", made_from, build) == ("a", "b") and calls == [1]


def test_a_folder_that_cannot_be_written_costs_the_building_only(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    calls, build = _counting(7)
    assert cache.cached("keys", "x", build) == cache.cached("keys", "x", build) == 7 and calls == [1, 1]


def test_the_register_keys_from_the_cache_are_those_folded_anew(folder: Path) -> None:
    Register.load.cache_clear()
    try:
        register = Register.load()
        assert any(folder.iterdir())
        assert name_keys(register._units.values()) == {k: (register._keys[u], register._ascii_keys[u])
                                                       for k, u in register._units.items()}
    finally:
        Register.load.cache_clear()
