"""The JSON feed and CSV download a base reads with its token."""

from __future__ import annotations

import csv
import hmac
import io
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from indexer.salary import Salary, SalaryUnit
from marketplace.accounts.models import User
from marketplace.bases import services
from marketplace.database import utcnow
from tests.marketplace import factories
from tests.marketplace.bases import helpers

# database-layer: these also run on PostgreSQL
pytestmark = pytest.mark.postgres


def test_the_json_feed_lists_wanted_vacancies_key_enterprises_first(
    client: FlaskClient, session: Session, staff: User
) -> None:
    plain = helpers.published(session, days_ago=0, title="包装工", headcount=5)
    key = helpers.published(session, days_ago=3, key=True, title="船舶电焊工", headcount=40)
    helpers.published(session, title="文员", kind="part_time")
    factories.job(session, title="草稿里的职位")  # not published: never in a feed
    created = helpers.base(session, staff, kinds=["full_time"])
    response = client.get(
        f"/bases/feed/{created.base.id}.json", query_string={"token": created.feed_token}
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert data["base"] == {"id": created.base.id, "name": "甘肃定西劳务合作基地"}
    assert [item["job_id"] for item in data["vacancies"]] == [key.id, plain.id]
    first = data["vacancies"][0]
    assert first["employer"]["key_enterprise"] is True
    assert first["pay"] == "月薪 5000–7000 元"
    assert first["headcount"] == 40
    assert first["url"] == f"http://localhost/jobs/{key.id}"
    assert first["place"] == "威海市荣成市"


@pytest.mark.parametrize("suffix", ["json", "csv"])
@pytest.mark.parametrize("token", ["", "wrong-token", None])
def test_a_wrong_or_missing_token_is_404(
    client: FlaskClient, session: Session, staff: User, suffix: str, token: str | None
) -> None:
    created = helpers.base(session, staff)
    query = {} if token is None else {"token": token}
    response = client.get(f"/bases/feed/{created.base.id}.{suffix}", query_string=query)
    assert response.status_code == 404


def test_a_token_opens_only_its_own_base(
    client: FlaskClient, session: Session, staff: User
) -> None:
    first = helpers.base(session, staff)
    second = helpers.base(session, staff, name="贵州毕节劳务合作基地")
    url = f"/bases/feed/{second.base.id}.json"
    assert client.get(url, query_string={"token": first.feed_token}).status_code == 404
    assert client.get(url, query_string={"token": second.feed_token}).status_code == 200
    assert client.get("/bases/feed/9999.json", query_string={"token": "x"}).status_code == 404


def test_a_switched_off_base_has_no_feed(
    client: FlaskClient, session: Session, staff: User
) -> None:
    created = helpers.base(session, staff, active=False)
    url = f"/bases/feed/{created.base.id}.json"
    assert client.get(url, query_string={"token": created.feed_token}).status_code == 404


def test_the_token_is_compared_in_constant_time(
    client: FlaskClient, session: Session, staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = helpers.base(session, staff)
    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    client.get(f"/bases/feed/{created.base.id}.json", query_string={"token": "guess"})
    assert calls == [(services.token_hash("guess"), created.base.feed_token_hash)]


def test_the_token_is_stored_only_as_a_hash(session: Session, staff: User) -> None:
    created = helpers.base(session, staff)
    assert created.base.feed_token_hash != created.feed_token
    assert created.base.feed_token_hash == services.token_hash(created.feed_token)


def test_the_csv_has_a_bom_and_reads_as_chinese(
    client: FlaskClient, session: Session, staff: User
) -> None:
    job = helpers.published(session, key=True, title="海参加工工", headcount=12)
    created = helpers.base(session, staff)
    response = client.get(
        f"/bases/feed/{created.base.id}.csv", query_string={"token": created.feed_token}
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["职位编号", "职位", "单位"]
    assert rows[1][0] == str(job.id)
    assert rows[1][1] == "海参加工工"
    assert rows[1][3] == "是"
    assert rows[1][6] == "12"


def test_a_rotated_token_replaces_the_old_one(
    client: FlaskClient, session: Session, staff: User
) -> None:
    created = helpers.base(session, staff)
    token = services.rotate_feed_token(session, staff, created.base)
    session.commit()
    url = f"/bases/feed/{created.base.id}.json"
    assert client.get(url, query_string={"token": created.feed_token}).status_code == 404
    assert client.get(url, query_string={"token": token}).status_code == 200


def test_the_database_query_applies_every_want_like_the_pure_rules(
    session: Session, staff: User
) -> None:
    wanted = helpers.published(
        session, title="船舶电焊工", occupation_code="6-18-02-04", district="荣成市"
    )
    helpers.published(session, title="船舶电焊工", occupation_code="6-02-01-01", district="荣成市")
    helpers.published(session, title="船舶电焊工", occupation_code="6-18-02-04", district="文登区")
    helpers.published(session, title="包装工", occupation_code="6-18-02-04", district="荣成市")
    helpers.published(
        session,
        title="船舶电焊工",
        occupation_code="6-18-02-04",
        district="荣成市",
        salary=Salary(min=3000, max=3500, unit=SalaryUnit.MONTH, months=None),
    )
    helpers.published(
        session, title="电焊零工", occupation_code="6-18-02-04", district="荣成市", kind="odd_job"
    )
    created = helpers.base(
        session,
        staff,
        occupation_prefixes=["6-18"],
        kinds=["full_time"],
        min_monthly_pay=4500.0,
        keywords=["电焊", "100%"],
        districts=["荣成市"],
    )
    digest, jobs = services.build_digest(session, created.base, utcnow(), "")
    assert [job.id for job in jobs] == [wanted.id]
    assert [item.job_id for item in digest.items] == [wanted.id]


def test_rotating_the_token_on_the_page_shows_the_new_one_once(
    staff_client: FlaskClient, session: Session, staff: User
) -> None:
    created = helpers.base(session, staff)
    response = staff_client.post(f"/bases/{created.base.id}/token")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    session.expire_all()
    base = services.get_base(session, created.base.id)
    match = re.search(r'<code class="secret">([^<]+)</code>', response.get_data(as_text=True))
    assert match is not None
    token = match.group(1)
    assert services.token_hash(token) == base.feed_token_hash
