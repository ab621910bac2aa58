"""Policy matching (政策找人): what a seeker may claim, who qualifies but has not claimed."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("policies", __name__, url_prefix="/policies")
