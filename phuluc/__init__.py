"""phuluc: read, check and load Vietnamese administrative-service score reports."""

__version__ = "0.1.0"
