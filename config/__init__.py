"""Configuration shipped as data: frameworks, agencies, messages (YAML)."""
