"""Staff pages: employer verification, key enterprises, the posting review queue."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")
