"""The JSON API under /api/v1 for apps, kiosks and mini-programs, described by `openapi.py`."""
