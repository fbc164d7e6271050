"""Checks the project runs on its own code in `make test` (see the contracts in pyproject.toml)."""
