"""Errors a user sees: a message key from config/messages.yaml and the words that fill it in."""

from __future__ import annotations


class PhulucError(Exception):
    """A failure with a user-facing message: `key` names it in config/messages.yaml."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __reduce__(self) -> tuple:
        """Keep the words when the error crosses from a worker process to the parent."""
        return _rebuild, (self.key, self.params)


def _rebuild(key: str, params: dict) -> PhulucError:
    return PhulucError(key, **params)


def reason(e: BaseException) -> str:
    """What a library's error says, in one line for a message: its first line, or its type where it
    says nothing ("IndexError", "MemoryError"); without the full stop the message adds."""
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:200].rstrip(". ") or type(e).__name__
