"""phuluc: read, check and load Vietnamese administrative-service score reports.

From Python (phuluc/api.py): `phuluc.read(path)` gives the records of one file, `phuluc.connect(url)` a
loaded database whose `.scores()`, `.findings()` and `.reports()` are pandas DataFrames. They are
imported when first used, so that the command line starts without them.
"""

__version__ = "0.1.0"
__all__ = ["read", "connect", "__version__"]


def __getattr__(name: str):
    if name in ("read", "connect"):
        from phuluc import api

        return getattr(api, name)
    raise AttributeError(f"module 'phuluc' has no attribute {name!r}")
