"""The cache of values derived from the shipped data: built once, read back, rebuilt when what it is
made from changes or the file is damaged, and never in the way when it cannot be written."""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

import pytest

from phuluc import cache, yamlfile
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


def test_new_data_is_a_new_value_and_the_old_file_goes_once_unused_for_a_week(folder: Path) -> None:
    old, new = cache.digest([b"old"]), cache.digest([b"new"])
    cache.cached("keys", old, lambda: "old")
    assert cache.cached("keys", new, lambda: "new") == "new"
    # another install still reads the old file: it stays, and reading it keeps it in use
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"keys-{old}.marshal", f"keys-{new}.marshal"])
    week_ago = os.stat(folder / f"keys-{old}.marshal").st_mtime - cache.UNUSED - 60
    os.utime(folder / f"keys-{old}.marshal", (week_ago, week_ago))
    assert cache.cached("keys", old, lambda: "built again") == "old"
    assert os.stat(folder / f"keys-{old}.marshal").st_mtime > week_ago
    os.utime(folder / f"keys-{old}.marshal", (week_ago, week_ago))  # then no one uses it for a week
    assert cache.cached("keys", cache.digest([b"newer"]), lambda: "newer") == "newer"
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"keys-{new}.marshal",
                                                                f"keys-{cache.digest([b'newer'])}.marshal"])


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


def test_the_register_index_is_built_once_with_the_keys_folded_anew(folder: Path) -> None:
    Register.load.cache_clear()
    try:
        register = Register.load()
        built = list(folder.glob("register-*.sqlite"))
        units = register.units()
        assert len(built) == 1 and len(units) > 14_000
        assert name_keys(units) == {(u.era, u.code): register.keys(u) for u in units}
        Register.load.cache_clear()
        inode = built[0].stat().st_ino  # a file built again is put in place as a new one
        again = Register.load()
        assert again.get("01", "legacy") == register.get("01", "legacy") and built[0].stat().st_ino == inode
    finally:
        Register.load.cache_clear()


def test_a_forked_worker_reads_the_register_through_its_own_connection(folder: Path) -> None:
    Register.load.cache_clear()
    try:
        register = Register.load()
        hanoi = register.get("01", "legacy")
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child asks what the parent has not yet asked
            os.write(writer, ",".join(u.code for u in register.children("01", "legacy")).encode())
            os._exit(0)
        os.close(writer)
        os.waitpid(pid, 0)
        with os.fdopen(reader) as pipe:
            assert pipe.read() == ",".join(u.code for u in register.children("01", "legacy"))
        assert hanoi is not None and hanoi.name.endswith("Hà Nội")
    finally:
        Register.load.cache_clear()


def test_an_unwritable_cache_folder_keeps_the_file_in_the_temporary_folder(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    calls: list[Path] = []

    def build(path: Path) -> None:
        calls.append(path)
        path.write_text("built")

    first = cache.cached_file("thing", cache.digest([b"x"]), ".txt", build)
    assert cache.cached_file("thing", cache.digest([b"x"]), ".txt", build) == first
    assert first.read_text() == "built" and len(calls) == 1 and first.is_relative_to(tmp_path / "tmp")


def test_yaml_is_read_from_the_cache_until_it_changes(folder: Path, tmp_path: Path) -> None:
    config = tmp_path / "bands.yaml"
    config.write_text("bands: [{name: Tốt, min: 80}]\n", encoding="utf-8")
    assert yamlfile.load(config) == yamlfile.load(config) == {"bands": [{"name": "Tốt", "min": 80}]}
    assert len(list(folder.glob("config-bands-*.marshal"))) == 1
    config.write_text("bands: []\nin_force: 2025-07-01\n", encoding="utf-8")  # a date marshal cannot file
    assert yamlfile.load(config) == {"bands": [], "in_force": datetime.date(2025, 7, 1)}
