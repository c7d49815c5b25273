"""Shared test fixtures: the seeds and fixtures of ../shared (beside the clone, never copied in)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pg
import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


def corpus(folder: str, formats: tuple[str, ...]) -> list[Path]:
    """Report files of a shared corpus whose truth has one of `formats`."""
    root = SHARED / folder
    if not root.is_dir():
        return []
    files = []
    for truth in sorted(root.glob("*.truth.json")):
        report = truth.with_name(truth.name[: -len(".truth.json")])
        if json.loads(truth.read_text(encoding="utf-8")).get("format") in formats and report.is_file():
            files.append(report)
    return files


def seed_folder(folder: Path, names: tuple[str, ...]) -> Path:
    """A new folder holding copies of the seed reports `names`, for a test to add to or damage."""
    folder.mkdir()
    for name in names:
        shutil.copy(SHARED / "seeds" / name, folder / name)
    return folder


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: the tests read the seeds and fixtures beside the clone")
    return SHARED


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg.Server]:
    """One PostgreSQL server for the session; missing binaries fail the tests that need it."""
    programs = pg.binaries()
    if programs is None:
        pytest.fail(pg.MISSING, pytrace=False)
    server = pg.Server(programs)
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind, a new one for every test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 't.db'}"
        return
    server = request.getfixturevalue("postgres")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)
