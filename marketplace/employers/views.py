"""An employer's own pages: its postings, their applicants, recommended candidates."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("employer", __name__, url_prefix="/employer")
