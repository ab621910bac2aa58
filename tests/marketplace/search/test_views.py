"""The search results page as a seeker sees it."""

from __future__ import annotations

from flask import Flask

from indexer.salary import Salary, SalaryUnit
from marketplace.database import get_database
from marketplace.jobs.models import JobKind, JobStatus
from marketplace.jobs.services import change_status
from marketplace.search.engine import get_search, rebuild_index
from tests.marketplace import factories


def publish_and_index(app: Flask) -> None:
    session = get_database(app).session()
    for title, kind, salary in [
        ("水产加工工", JobKind.FULL_TIME, Salary(6000, 8000, SalaryUnit.MONTH, 13)),
        ("扇贝分拣<script>", JobKind.ODD_JOB, Salary(200, None, SalaryUnit.DAY, None)),
    ]:
        job = factories.job(session, title=title, kind=kind, salary=salary)
        change_status(session, job, JobStatus.PENDING_REVIEW)
        change_status(session, job, JobStatus.PUBLISHED)
    session.commit()
    rebuild_index(get_search(app), session)
    session.close()


def test_results_show_marked_words_and_pay_in_plain_words(app: Flask) -> None:
    publish_and_index(app)
    page = app.test_client().get("/search?q=水产加工").get_data(as_text=True)
    assert "<mark>水产加工</mark>工" in page
    assert "月薪 6000–8000 元 · 13薪" in page


def test_user_text_is_escaped(app: Flask) -> None:
    publish_and_index(app)
    page = app.test_client().get("/search?q=<b>扇贝</b>").get_data(as_text=True)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "日薪 200 元/天以上" in page


def test_kind_filter_and_facets(app: Flask) -> None:
    publish_and_index(app)
    page = app.test_client().get("/search?kind=odd_job").get_data(as_text=True)
    assert "扇贝分拣" in page
    assert "水产加工工" not in page
    assert "零工 (1)" in page


def test_search_is_503_in_chinese_when_the_index_is_missing(app: Flask) -> None:
    response = app.test_client().get("/search?q=普工")
    assert response.status_code == 503
    assert "搜索服务暂时不可用" in response.get_data(as_text=True)


def test_suggestions_complete_a_typed_title(app: Flask) -> None:
    publish_and_index(app)
    body = app.test_client().get("/search/suggest?q=水产").get_json()
    assert body == {"suggestions": ["水产加工工"]}


def test_suggestions_are_empty_without_an_index(app: Flask) -> None:
    assert app.test_client().get("/search/suggest?q=水产").get_json() == {"suggestions": []}


def test_each_result_says_why_it_was_shown(app: Flask) -> None:
    publish_and_index(app)
    page = app.test_client().get("/search?q=水产加工工").get_data(as_text=True)
    assert "职位名称与搜索一致" in page
    assert "天发布" in page
