"""The demo events: every district has events, past ones are held, upcoming ones have booths."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marketplace.database import utcnow
from marketplace.demo.seed import seed_demo
from marketplace.events import services
from marketplace.events.models import Booth, BoothStatus, Campaign, Event, EventStatus


def test_demo_events_fill_the_pages(session: Session) -> None:
    # the demo seeds this year's events as of today
    assert seed_demo(session, jobs=80, seed=7, ttl_days=30) is not None
    session.commit()
    now = utcnow()
    assert session.scalar(select(func.count()).select_from(Event))
    assert session.scalar(select(func.count()).select_from(Campaign)) == 5
    upcoming = services.upcoming_events(session, now)
    assert upcoming
    assert session.scalar(
        select(func.count()).select_from(Booth).where(Booth.status == BoothStatus.CONFIRMED)
    )
    past = session.scalars(select(Event).where(Event.ends_at <= now)).all()
    assert all(e.status in (EventStatus.HELD, EventStatus.CANCELLED) for e in past)
    assert all(e.visitors is not None for e in past if e.status == EventStatus.HELD)
    report = services.target_report(session, services.local_today(now))
    held_in = set(session.scalars(select(Event.district_code).distinct()))
    assert held_in == {d.code for d in report.districts}
    assert any(d.missed_weeks for d in report.districts)  # the deliberate gaps show
    assert report.events.behind_by == 0  # weekly events in 7 districts keep ahead of 300 a year
    assert report.campus.count > 0
