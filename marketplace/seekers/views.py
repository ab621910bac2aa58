"""A seeker's own pages: my applications and their history."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("seekers", __name__)
