"""下载我的数据: a seeker's copy of everything held about them, and only about them."""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from marketplace.seekers import services
from marketplace.seekers.models import Invitation
from tests.marketplace.seekers.helpers import (
    employer_account,
    profile_of,
    published_job,
    seeker,
    sign_in,
)


def test_a_seeker_downloads_all_their_data_and_nobody_elses(
    client: FlaskClient, session: Session
) -> None:
    me = seeker(session, phone="13900001111", id_number="370102199001011234")
    other = seeker(session, name="李四", phone="13900002222")
    applied = published_job(session, title="海参育苗工")
    invited = published_job(session, title="扇贝分拣工")
    services.apply(session, profile_of(session, me), applied, user_id=me.id)
    services.apply(session, profile_of(session, other), applied, user_id=other.id)
    session.add(Invitation(job_id=invited.id, seeker_id=profile_of(session, me).id))
    session.commit()
    sign_in(client, me)
    assert "下载我的数据" in client.get("/profile").get_data(as_text=True)

    response = client.get("/me/data")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="jiuye-my-data.json"'
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["求职资料"]["phone"] == "13900001111"  # their own copy: nothing masked
    assert data["求职资料"]["id_number"] == "370102199001011234"
    assert [a["职位"] for a in data["申请记录"]] == ["海参育苗工"]
    assert data["申请记录"][0]["进度"][0]["to_status"] == "applied"
    assert [i["职位"] for i in data["投递邀请"]] == ["扇贝分拣工"]
    assert data["零工登记"] is None
    text = response.get_data(as_text=True)
    assert "李四" not in text
    assert "13900002222" not in text


def test_only_a_signed_in_seeker_has_a_copy_to_download(
    client: FlaskClient, session: Session
) -> None:
    assert client.get("/me/data").status_code == 302  # to the login page
    job = published_job(session)
    boss = employer_account(session, job.employer_id)
    session.commit()
    sign_in(client, boss)
    assert client.get("/me/data").status_code == 403
