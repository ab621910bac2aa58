"""Kiosk mode for shared touch terminals at service points (/kiosk)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
