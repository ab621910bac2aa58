"""Fixtures for the seeker pages: a database session beside the app's own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from marketplace.database import get_database


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    session = get_database(app).session()
    yield session
    session.close()
