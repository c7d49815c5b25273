"""The project's own YAML (messages, frameworks, ratings, agencies), parsed once per process."""

from __future__ import annotations

from importlib.resources.abc import Traversable
from typing import Any

import yaml

# libyaml's parser where PyYAML was built with it (Debian's and the wheels are): the messages alone took
# the pure-Python parser 40 ms of every command's start
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(path: Traversable) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
