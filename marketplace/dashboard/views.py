"""The staff dashboard: the plan's targets and the labour market in charts and tables."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/staff/dashboard")
