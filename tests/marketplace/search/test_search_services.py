"""A seeker's search through the service: words, filters, places, snippets, pages."""

from __future__ import annotations

from flask import Flask

from indexer.queries import PayFilter, Sort
from indexer.salary import Salary, SalaryUnit
from marketplace.database import get_database
from marketplace.jobs.models import JobKind, JobStatus
from marketplace.jobs.services import change_status
from marketplace.search.engine import get_search, rebuild_index
from marketplace.search.services import SearchPage, search_jobs
from tests.marketplace import factories


def seed(app: Flask) -> None:
    session = get_database(app).session()
    rows = [
        ("电焊工", "船厂招电焊工，持焊工证，包吃住", "威海市", "荣成市", JobKind.FULL_TIME, 8000),
        ("焊工", "钢结构焊接，长白班", "威海市", "文登区", JobKind.FULL_TIME, 7000),
        ("水产分拣", "扇贝分拣，日结", "威海市", "乳山市", JobKind.ODD_JOB, None),
        ("会计", "负责账务处理，济南总部", "济南市", "历下区", JobKind.FULL_TIME, 6000),
        ("会计", "负责账务处理", "青岛市", "市北区", JobKind.FULL_TIME, 6500),
    ]
    for title, description, city, district, kind, pay in rows:
        salary = (
            Salary(min=pay, max=pay + 2000, unit=SalaryUnit.MONTH, months=None)
            if pay
            else Salary(min=200, max=220, unit=SalaryUnit.DAY, months=None)
        )
        job = factories.job(
            session,
            salary=salary,
            title=title,
            description=description,
            city=city,
            district=district,
            kind=kind,
        )
        change_status(session, job, JobStatus.PENDING_REVIEW)
        change_status(session, job, JobStatus.PUBLISHED)
    session.commit()
    rebuild_index(get_search(app), session)
    session.close()


def search(app: Flask, text: str, **filters: object) -> SearchPage:
    session = get_database(app).session()
    try:
        return search_jobs(get_search(app), session, text, **filters)
    finally:
        session.close()


def test_exact_words_come_before_synonyms(app: Flask) -> None:
    seed(app)
    titles = [hit.job.title for hit in search(app, "电焊工").hits]
    assert titles[0] == "电焊工"
    assert "焊工" in titles  # found through the words inside 电焊工 and its synonyms


def test_a_city_in_the_query_lifts_postings_there(app: Flask) -> None:
    seed(app)
    page = search(app, "济南 会计")
    assert [hit.job.city for hit in page.hits][:2] == ["济南市", "青岛市"]
    assert page.query.boost_city == "济南市"


def test_snippets_mark_the_query_words(app: Flask) -> None:
    seed(app)
    hit = search(app, "包吃住").hits[0]
    assert ("包吃住", True) in hit.snippet


def test_filters_narrow_the_results(app: Flask) -> None:
    seed(app)
    odd = search(app, "", kinds=(JobKind.ODD_JOB.value,))
    assert [hit.job.title for hit in odd.hits] == ["水产分拣"]
    paid = search(app, "", pay=PayFilter(min=7500, unit=SalaryUnit.MONTH))
    assert {hit.job.title for hit in paid.hits} == {"电焊工", "焊工", "会计"}
    newest = search(app, "", sort=Sort.NEWEST, limit=2)
    assert newest.total == 5
    assert len(newest.hits) == 2


def test_facets_count_districts_and_kinds(app: Flask) -> None:
    seed(app)
    page = search(app, "", facets=True)
    assert page.facets["kind"] == {"full_time": 4, "odd_job": 1}
    assert page.facets["district"]["荣成市"] == 1
