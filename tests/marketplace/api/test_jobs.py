"""Public job data through the API: search with facets and highlights, a published job."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from indexer.salary import Salary, SalaryUnit
from marketplace.jobs.models import Job, JobKind, JobStatus
from marketplace.jobs.services import change_status
from marketplace.search.engine import get_search, rebuild_index
from tests.marketplace import factories
from tests.marketplace.api.contract import PREFIX, ApiClient


def _publish(session: Session, job: Job) -> Job:
    change_status(session, job, JobStatus.PENDING_REVIEW)
    change_status(session, job, JobStatus.PUBLISHED)
    return job


def _jobs(app: Flask, session: Session) -> dict[str, Job]:
    key = factories.employer(session, name="威海测试船舶有限公司", is_key_enterprise=True)
    jobs = {
        "fish": _publish(
            session,
            factories.job(
                session,
                title="水产加工工",
                employer=key,
                salary=Salary(6000, 8000, SalaryUnit.MONTH, 13),
            ),
        ),
        "odd": _publish(
            session,
            factories.job(
                session,
                title="扇贝分拣",
                kind=JobKind.ODD_JOB,
                salary=Salary(200, None, SalaryUnit.DAY, None),
            ),
        ),
        "draft": factories.job(session, title="水产质检员"),
    }
    session.commit()
    rebuild_index(get_search(app), session)
    return jobs


def test_search_returns_hits_with_employer_pay_reasons_and_highlights(
    app: Flask, api: ApiClient, session: Session
) -> None:
    jobs = _jobs(app, session)
    body = api.get(f"{PREFIX}/jobs", query_string={"q": "水产加工"}).get_json()
    assert body["total"] == 1
    assert body["page"] == 1
    (hit,) = body["hits"]
    assert hit["id"] == jobs["fish"].id
    assert hit["employer"] == {
        "id": jobs["fish"].employer_id,
        "name": "威海测试船舶有限公司",
        "verified": True,
        "key_enterprise": True,
    }
    assert hit["pay"] == {
        "min": 6000,
        "max": 8000,
        "unit": "month",
        "months": 13,
        "text": "月薪 6000–8000 元 · 13薪",
    }
    assert hit["place"]["district"] == "荣成市"
    assert hit["posted_at"].endswith("Z")
    assert "职位名称与搜索一致" in hit["reasons"]
    assert {"text": "水产加工", "match": True} in hit["highlights"]["title"]


def test_search_filters_by_kind_pages_and_counts_facets(
    app: Flask, api: ApiClient, session: Session
) -> None:
    _jobs(app, session)
    body = api.get(f"{PREFIX}/jobs", query_string={"kind": "odd_job"}).get_json()
    assert [hit["title"] for hit in body["hits"]] == ["扇贝分拣"]
    assert body["facets"]["kind"] == {"odd_job": 1}
    assert body["hits"][0]["pay"]["text"] == "日薪 200 元/天以上"

    page = api.get(f"{PREFIX}/jobs", query_string={"per_page": 1, "page": 2}).get_json()
    assert page["total"] == 2
    assert len(page["hits"]) == 1
    assert page["per_page"] == 1


def test_bad_search_parameters_are_422_naming_the_parameter(api: ApiClient) -> None:
    for name, value in [("per_page", "51"), ("page", "0"), ("kind", "gig"), ("sort", "distance")]:
        response = api.get(f"{PREFIX}/jobs", query_string={name: value})
        assert response.status_code == 422
        assert response.get_json()["error"]["message"].startswith(f"{name}：")


def test_search_without_an_index_is_503(api: ApiClient) -> None:
    response = api.get(f"{PREFIX}/jobs", query_string={"q": "普工"})
    assert response.status_code == 503
    assert response.get_json()["error"]["message"] == "搜索服务暂时不可用，请稍后再试"


def test_a_published_job_is_shown_in_full(app: Flask, api: ApiClient, session: Session) -> None:
    jobs = _jobs(app, session)
    body = api.get(f"{PREFIX}/jobs/{jobs['fish'].id}").get_json()
    assert body["title"] == "水产加工工"
    assert body["description"].startswith("负责海参")
    assert body["pay"]["text"] == "月薪 6000–8000 元 · 13薪"
    assert body["source"] == "platform"


def test_an_unpublished_or_unknown_job_is_404(app: Flask, api: ApiClient, session: Session) -> None:
    jobs = _jobs(app, session)
    for job_id in (jobs["draft"].id, 999_999):
        response = api.get(f"{PREFIX}/jobs/{job_id}")
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    change_status(session, jobs["odd"], JobStatus.CLOSED)
    session.commit()
    assert api.get(f"{PREFIX}/jobs/{jobs['odd'].id}").status_code == 404
