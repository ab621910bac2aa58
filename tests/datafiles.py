"""Find the real public data in ../shared through JIUYE_DATA_DIR; skip (fail in CI) without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def data_dir() -> Path:
    return Path(os.environ.get("JIUYE_DATA_DIR", DEFAULT_DATA_DIR))


def data_file(relative: str) -> Path:
    """The path of a shared data file; skips when absent (fails when CI requires the data)."""
    path = data_dir() / relative
    if not path.is_file():
        reason = f"shared data file {path} is absent (set JIUYE_DATA_DIR)"
        if os.environ.get("JIUYE_REQUIRE_DATA") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def relevance_file(name: str) -> Path:
    """A file of ../shared/relevance (beside the data directory)."""
    path = data_dir().parent / "relevance" / name
    if not path.is_file():
        reason = f"relevance file {path} is absent"
        if os.environ.get("JIUYE_REQUIRE_DATA") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path
