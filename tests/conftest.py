"""Shared test fixtures: the seeds and fixtures of ../shared (beside the clone, never copied in)."""

from __future__ import annotations

import json
from pathlib import Path

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


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: the tests read the seeds and fixtures beside the clone")
    return SHARED
