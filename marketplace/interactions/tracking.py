"""The interaction log's anonymous browser id: random, kept in the session, never the person."""

from __future__ import annotations

import secrets

from flask import session

ANONYMOUS_ID_KEY = "anon_id"


def anonymous_id() -> str:
    """A random id for this browser (the interaction log's session id), kept in the session."""
    value = session.get(ANONYMOUS_ID_KEY)
    if not isinstance(value, str):
        value = secrets.token_urlsafe(16)
        session[ANONYMOUS_ID_KEY] = value
    return value
