"""Dashboard test fixtures: the CLI (session and staff client: tests/marketplace/conftest.py)."""

from __future__ import annotations

import pytest
from flask import Flask

from marketplace.dashboard.cli import dashboard_cli


@pytest.fixture
def cli_app(app: Flask) -> Flask:
    """The app with `flask dashboard` registered (marketplace/cli.py may not have it yet)."""
    if "dashboard" not in app.cli.commands:
        app.cli.add_command(dashboard_cli)
    return app
