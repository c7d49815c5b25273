"""The project's own YAML (messages, frameworks, ratings, agencies), parsed once and then read from the
cache (phuluc/cache.py): PyYAML and its parse cost every command 35 ms before it did any work."""

from __future__ import annotations

from importlib.resources.abc import Traversable
from typing import Any

from phuluc import cache


def load(path: Traversable) -> Any:
    """The file's data (of YAML's plain types, which marshal files as they are)."""
    text = path.read_bytes()
    return cache.cached(f"config-{path.name.removesuffix('.yaml')}", cache.digest([text]), lambda: _parse(text))


def _parse(text: bytes) -> Any:
    import yaml

    # libyaml's parser where PyYAML was built with it (Debian's and the wheels are): the messages alone
    # took the pure-Python parser 40 ms
    return yaml.load(text.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
