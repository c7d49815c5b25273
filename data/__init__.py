"""Data shipped with phuluc: the unit register (built by scripts/build_register.py)."""
