"""digest.choose and digest.matches: which vacancies a base gets, and in what order (pure)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from indexer.salary import Salary, SalaryUnit
from marketplace.bases import digest
from marketplace.bases.digest import Wants
from marketplace.employers.models import Employer
from marketplace.jobs.models import Job, JobKind
from marketplace.jobs.services import set_pay

NOW = datetime(2026, 11, 26, 12, 0)
_ids = itertools.count(1)


STATED = Salary(min=5000, max=7000, unit=SalaryUnit.MONTH, months=None)


def job(key: bool = False, age_days: float = 1, pay: Salary | None = STATED, **fields: Any) -> Job:
    """An unsaved job: digest.choose needs no database."""
    values: dict[str, Any] = {
        "id": next(_ids),
        "title": "水产加工工",
        "description": "海参清洗分拣，长白班",
        "skills": "",
        "kind": JobKind.FULL_TIME,
        "occupation_code": "6-02-01-01",
        "district": "荣成市",
        "city": "威海市",
        "headcount": 10,
        "published_at": NOW - timedelta(days=age_days),
        "employer": Employer(name="荣成海洋食品有限公司", is_key_enterprise=key),
    }
    values.update(fields)
    record = Job(**values)
    set_pay(record, pay)
    return record


def test_key_enterprises_come_first_then_the_newest() -> None:
    old_key, new_key = job(key=True, age_days=9), job(key=True, age_days=1)
    old, new = job(age_days=5), job(age_days=0.5)
    chosen = digest.choose(Wants(), [old, new_key, new, old_key])
    assert chosen == [new_key, old_key, new, old]


def test_the_limit_cuts_after_ordering() -> None:
    plain, key = job(age_days=0), job(key=True, age_days=30)
    assert digest.choose(Wants(), [plain, key], limit=1) == [key]


def test_empty_wants_take_everything() -> None:
    jobs = [job(), job(kind=JobKind.ODD_JOB), job(district="文登区")]
    assert len(digest.choose(Wants(), jobs)) == 3


def test_occupation_prefixes_match_the_start_of_the_code() -> None:
    fish, weld = job(occupation_code="6-02-01-01"), job(occupation_code="6-18-02-04")
    none = job(occupation_code=None)
    assert digest.choose(Wants(occupation_prefixes=["6-02"]), [fish, weld, none]) == [fish]
    assert len(digest.choose(Wants(occupation_prefixes=["6-02", "6-18"]), [fish, weld])) == 2


def test_kinds_filter() -> None:
    full, odd = job(kind=JobKind.FULL_TIME), job(kind=JobKind.ODD_JOB)
    assert digest.choose(Wants(kinds=[JobKind.ODD_JOB]), [full, odd]) == [odd]


def test_min_pay_compares_the_best_monthly_pay_and_unstated_pay_does_not_match() -> None:
    high = job(pay=Salary(min=5000, max=8000, unit=SalaryUnit.MONTH, months=None))
    low = job(pay=Salary(min=3000, max=4000, unit=SalaryUnit.MONTH, months=None))
    daily = job(pay=Salary(min=300, max=300, unit=SalaryUnit.DAY, months=None))  # 6525 a month
    unstated = job(pay=None)
    chosen = digest.choose(Wants(min_monthly_pay=6000), [high, low, daily, unstated])
    assert set(chosen) == {high, daily}


def test_keywords_match_title_description_or_skills() -> None:
    title = job(title="电焊工")
    description = job(title="操作工", description="船舶分段焊接")
    skill = job(title="普工", description="", skills="焊接,叉车")
    other = job(title="包装工", description="流水线包装")
    chosen = digest.choose(Wants(keywords=["电焊", "焊接"]), [title, description, skill, other])
    assert set(chosen) == {title, description, skill}


def test_districts_filter_on_the_district_name() -> None:
    rongcheng, wendeng = job(district="荣成市"), job(district="文登区")
    assert digest.choose(Wants(districts=["文登区"]), [rongcheng, wendeng]) == [wendeng]


def test_every_filter_must_hold() -> None:
    both = job(kind=JobKind.FULL_TIME, district="荣成市")
    wrong_place = job(kind=JobKind.FULL_TIME, district="环翠区")
    wants = Wants(kinds=[JobKind.FULL_TIME], districts=["荣成市"])
    assert digest.choose(wants, [both, wrong_place]) == [both]


def test_an_item_carries_what_a_base_reads() -> None:
    record = job(key=True, title="船舶电焊工", headcount=30)
    entry = digest.item(record, "https://jiuye.example.cn").as_dict()
    assert entry["job_id"] == record.id
    assert entry["title"] == "船舶电焊工"
    assert entry["employer"] == {"name": "荣成海洋食品有限公司", "key_enterprise": True}
    assert entry["pay"] == "月薪 5000–7000 元"
    assert entry["place"] == "威海市荣成市"
    assert entry["headcount"] == 30
    assert entry["url"] == f"https://jiuye.example.cn/jobs/{record.id}"


def test_csv_cells_cannot_start_a_formula() -> None:
    record = job(title='=HYPERLINK("http://evil")')
    result = digest.Digest(1, "基地", NOW, [digest.item(record, "")])
    rows = digest.csv_rows(result)
    assert rows[0] == digest.CSV_HEADER
    assert rows[1][1].startswith("'=")
