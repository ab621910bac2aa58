"""Labour cooperation bases: vacancy digests (JSON feed, CSV, signed webhook) and recruits."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("bases", __name__, url_prefix="/bases")
