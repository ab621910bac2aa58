"""`flask events targets`: what is behind schedule, as text or JSON."""

from __future__ import annotations

import json
from datetime import date

from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from tests.marketplace.events.helpers import HUANCUI, event, local


def test_targets_as_json(runner: FlaskCliRunner, session: Session, staff: User) -> None:
    event(session, staff, starts_at=local(date(2026, 1, 7)), district_code=HUANCUI)
    session.commit()
    result = runner.invoke(args=["events", "targets", "--date", "2026-01-14", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    huancui = next(d for d in data["districts"] if d["code"] == HUANCUI)
    assert huancui["missed_weeks"] == ["2025-12-29"]
    assert data["city"]["events"] == {
        "target": 300,
        "count": 1,
        "scheduled": 1,
        "expected": 12,
        "behind_by": 11,
    }


def test_targets_as_text(runner: FlaskCliRunner, staff: User) -> None:
    result = runner.invoke(args=["events", "targets", "--date", "2026-02-10"])
    assert result.exit_code == 0, result.output
    assert "缺综合招聘会的月：2026 年 1 月" in result.output
    assert "荣成市" in result.output
    assert "有落后于进度的目标" in result.output


def test_a_bad_date_is_refused(runner: FlaskCliRunner, places: None) -> None:
    result = runner.invoke(args=["events", "targets", "--date", "2026-13-01"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output
