"""Job detail and applying (seekers); see seekers.views for their applications."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("jobs", __name__)
