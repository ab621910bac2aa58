"""The pay seen in postings like a new one (similar title, same city), for the pay check.

INTERFACE (fixed; the implementation behind it is being written):
    reference_for(session, title, city, occupation_code) -> PayRange | None
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from marketplace.jobs.checks import PayRange


def reference_for(
    session: Session, title: str, city: str | None, occupation_code: str | None = None
) -> PayRange | None:
    """Monthly pay range of similar postings in `city`; None when too few to judge."""
    return None
