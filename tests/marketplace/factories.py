"""Factory functions for test data (our own invented records, never copies of ../shared)."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from indexer.salary import Salary, SalaryUnit
from marketplace.employers.credit_code import check_character
from marketplace.employers.models import Employer, Verification
from marketplace.jobs.models import Job, JobKind, JobStatus
from marketplace.jobs.services import set_pay

_counter = itertools.count(1)


def credit_code(area: str = "371002") -> str:
    """A well-formed 统一社会信用代码 (invented, unique per call)."""
    body = f"91{area}{next(_counter):09d}"
    return body + check_character(body)


def employer(session: Session, **fields: Any) -> Employer:
    values: dict[str, Any] = {
        "name": f"威海测试水产食品有限公司{next(_counter)}",
        "credit_code": credit_code(),
        "verification": Verification.VERIFIED,
    }
    values.update(fields)
    record = Employer(**values)
    session.add(record)
    session.flush()
    return record


def job(session: Session, salary: Salary | None = None, **fields: Any) -> Job:
    owner = fields.pop("employer", None) or employer(session)
    values: dict[str, Any] = {
        "employer": owner,
        "title": "水产加工工",
        "description": "负责海参、扇贝的清洗分拣，长白班，包吃住。",
        "kind": JobKind.FULL_TIME,
        "status": JobStatus.DRAFT,
        "county_code": None,
        "city": "威海市",
        "district": "荣成市",
    }
    values.update(fields)
    record = Job(**values)
    set_pay(record, salary or Salary(min=5000, max=7000, unit=SalaryUnit.MONTH, months=None))
    session.add(record)
    session.flush()
    return record
