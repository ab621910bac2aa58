"""Pay in plain words, as job seekers read it."""

from __future__ import annotations

import pytest

from indexer.salary import Salary, SalaryUnit
from marketplace.jobs.display import pay_in_words
from marketplace.jobs.models import Job
from marketplace.jobs.services import set_pay


@pytest.mark.parametrize(
    ("salary", "words"),
    [
        (Salary(6000, 8000, SalaryUnit.MONTH, None), "月薪 6000–8000 元"),
        (Salary(6000, 8000, SalaryUnit.MONTH, 13), "月薪 6000–8000 元 · 13薪"),
        (Salary(200, 200, SalaryUnit.DAY, None), "日薪 200 元/天"),
        (Salary(25, None, SalaryUnit.HOUR, None), "时薪 25 元/小时以上"),
        (Salary(120000, 200000, SalaryUnit.YEAR, None), "年薪 12–20 万元"),
        (Salary(None, 3000, SalaryUnit.MONTH, None), "月薪 3000 元以下"),
        (Salary(0.5, 1.5, SalaryUnit.PIECE, None), "计件 0.5–1.5 元/件"),
        (None, "薪资面议"),
    ],
)
def test_pay_reads_in_plain_chinese(salary: Salary | None, words: str) -> None:
    job = Job()
    set_pay(job, salary)
    assert pay_in_words(job) == words


def test_pay_with_an_unknown_unit_says_so() -> None:
    job = Job(salary_min=5000, salary_max=7000, salary_unit=None)
    assert pay_in_words(job) == "薪资 5000–7000（单位未注明）"
