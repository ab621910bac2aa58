"""The dashboard pages: charts with their numbers as text, CSV downloads, who may see what."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from indexer.salary import Salary, SalaryUnit
from marketplace.accounts.models import Role
from marketplace.jobs.models import JobStatus
from marketplace.occupations.models import Occupation
from marketplace.seekers.models import SeekerProfile
from tests.marketplace import factories
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.accounts.helpers import log_in


def _postings(session: Session) -> None:
    shipyard = factories.employer(session, industry="船舶制造")
    factories.job(
        session, employer=shipyard, status=JobStatus.PUBLISHED, district="环翠区", headcount=12
    )
    factories.job(session, status=JobStatus.PUBLISHED, district="荣成市", headcount=3)
    session.commit()


def test_dashboard_draws_each_panel_with_its_numbers_as_text(
    staff_client: FlaskClient, session: Session
) -> None:
    _postings(session)
    page = staff_client.get("/staff/dashboard/?weeks=4").get_data(as_text=True)

    assert page.count("<svg") >= 5
    assert "按区县：在招岗位与录用人数" in page
    assert '<text class="value"' in page
    assert ">12</text>" in page
    assert "船舶制造" in page
    assert "<desc" in page
    assert "<details" in page
    assert "最近 4 周" in page
    assert 'value="4" selected' in page
    assert "/staff/dashboard/vacancies-by-district.csv?weeks=4" in page
    # the events panels are there; with no districts loaded they say so rather than draw zeros
    assert "按区县：近4周招聘活动与目标" in page
    assert "暂无数据" in page


def test_an_unknown_period_falls_back_to_twelve_weeks(staff_client: FlaskClient) -> None:
    page = staff_client.get("/staff/dashboard/?weeks=7").get_data(as_text=True)
    assert 'value="12" selected' in page


def test_each_table_downloads_as_csv_with_bom_and_chinese_headers(
    staff_client: FlaskClient, session: Session
) -> None:
    _postings(session)
    response = staff_client.get("/staff/dashboard/vacancies-by-district.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["区县", "在招职位数", "招聘人数", "近12周录用人数"]
    assert ["环翠区", "1", "12", "0"] in rows
    for name in (
        "vacancies-by-industry",
        "gigs-by-week",
        "key-enterprise-trend",
        "service-coverage",
    ):
        assert staff_client.get(f"/staff/dashboard/{name}.csv").status_code == 200
    assert staff_client.get("/staff/dashboard/nothing.csv").status_code == 404


def test_other_roles_get_403_and_visitors_the_login_page(
    client: FlaskClient, session: Session
) -> None:
    assert client.get("/staff/dashboard/").status_code == 302
    seeker = accounts.user(session, role=Role.SEEKER)
    session.commit()
    assert log_in(client, seeker.username, accounts.PASSWORD).status_code == 302
    for path in (
        "/staff/dashboard/",
        "/staff/dashboard/wages",
        "/staff/dashboard/gigs-by-week.csv",
    ):
        assert client.get(path).status_code == 403, path


def test_coverage_map_is_an_svg_for_staff(staff_client: FlaskClient) -> None:
    response = staff_client.get("/staff/dashboard/coverage.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "<title" in response.get_data(as_text=True)


def _wage_postings(session: Session, count: int, district: str, city: str = "威海市") -> None:
    owner = factories.employer(session)
    for n in range(count):
        factories.job(
            session,
            employer=owner,
            status=JobStatus.PUBLISHED,
            city=city,
            district=district,
            occupation_code="4-07-05-01",
            occupation_name="保安员",
            salary=Salary(min=4000 + 100 * n, max=4000 + 100 * n, unit=SalaryUnit.MONTH),
        )
    session.commit()


def test_wage_levels_show_quartiles_and_say_how_many_cells_were_suppressed(
    app: Flask, staff_client: FlaskClient, session: Session
) -> None:
    app.config["WAGE_MIN_COUNT"] = 5
    _wage_postings(session, 5, "环翠区")
    _wage_postings(session, 2, "荣成市")
    page = staff_client.get("/staff/dashboard/wages").get_data(as_text=True)

    assert "使用 7 个标明工资的岗位" in page
    assert "公布 1 个，隐去 1 个" in page
    assert "4,200" in page  # the median of 环翠区's 4000..4400
    assert "最少 5 个岗位" in page
    staff_csv = staff_client.get("/staff/dashboard/wages.csv").get_data().decode("utf-8-sig")
    assert "环翠区,5,4100,4200,4300" in staff_csv
    assert "荣成市" not in staff_csv


def test_public_wage_page_needs_no_login_and_shows_no_employer(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    app.config["WAGE_MIN_COUNT"] = 3
    _wage_postings(session, 3, "文登区")
    session.add(SeekerProfile(name="张三丰", target_groups=[]))
    session.commit()
    response = client.get("/staff/dashboard/wages/public")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "文登区" in page
    assert "4,100" in page
    assert "威海测试水产食品有限公司" not in page
    assert "张三丰" not in page
    assert "staff-nav" not in page


def test_wage_pages_name_each_occupation_group_and_keep_its_code(
    app: Flask, staff_client: FlaskClient, session: Session
) -> None:
    app.config["WAGE_MIN_COUNT"] = 3
    session.add_all(
        [
            Occupation(code="4-00-00-00", name="社会生产服务和生活服务人员", level=1),
            Occupation(
                code="4-07-00-00", name="租赁和商务服务人员", level=2, parent_code="4-00-00-00"
            ),
            Occupation(
                code="4-07-05-00", name="安全保护服务人员", level=3, parent_code="4-07-00-00"
            ),
        ]
    )
    _wage_postings(session, 3, "环翠区")
    public = app.test_client().get("/staff/dashboard/wages/public").get_data(as_text=True)
    staff = staff_client.get("/staff/dashboard/wages").get_data(as_text=True)
    for page in (public, staff):
        assert '<th scope="row">安全保护服务人员（4-07-05-00）</th>' in page
        assert '<th scope="row">4-07-05-00</th>' not in page


def test_wage_csv_lists_only_cells_that_pass_and_takes_a_city(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    app.config["WAGE_MIN_COUNT"] = 3
    _wage_postings(session, 3, "历下区", city="济南市")
    _wage_postings(session, 1, "环翠区")

    weihai = client.get("/staff/dashboard/wages/public.csv").get_data().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(weihai))) == [
        ["职业编码", "职业", "区县", "岗位数", "P25", "中位数", "P75"]
    ]
    jinan = client.get("/staff/dashboard/wages/public.csv?city=济南市").get_data()
    rows = list(csv.reader(io.StringIO(jinan.decode("utf-8-sig"))))
    assert ["4-07-05-00", "4-07-05-00", "全部区县", "3", "4050", "4100", "4150"] in rows
    everywhere = client.get("/staff/dashboard/wages/public.csv?city=all").get_data()
    assert "济南市·历下区".encode() in everywhere
