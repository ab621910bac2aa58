"""The search results page as a seeker sees it."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from urllib.parse import quote as url_quote

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.queries import GeoPoint, Sort
from indexer.salary import Salary, SalaryUnit
from marketplace.accounts.models import Role, User
from marketplace.database import get_database, utcnow
from marketplace.jobs.models import Job, JobKind, JobStatus
from marketplace.jobs.services import change_status
from marketplace.occupations.models import Occupation
from marketplace.occupations.services import import_builtin_occupations
from marketplace.places.models import Place, PlaceLevel
from marketplace.search.engine import get_search, rebuild_index
from marketplace.search.filters import (
    MAX_QUERY_CHARS,
    facet_groups,
    occupation_names,
    read_filters,
)
from marketplace.seekers.models import SeekerProfile
from tests.marketplace import factories
from tests.marketplace.accounts import factories as account_factories
from tests.marketplace.accounts.helpers import log_in


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


def test_every_search_box_takes_no_more_than_is_searched(app: Flask) -> None:
    publish_and_index(app)
    client = app.test_client()
    for url in ("/", "/search", "/search?q=水产&kind=full_time"):
        page = client.get(url).get_data(as_text=True)
        boxes = re.findall(r'<input[^>]* type="search"[^>]*>', page)
        assert boxes, url
        for box in boxes:
            assert f'maxlength="{MAX_QUERY_CHARS}"' in box, url


def test_an_over_long_query_is_searched_by_its_first_characters(app: Flask) -> None:
    publish_and_index(app)
    words = "水产加工" * 100  # 400 characters in a crafted link, past what the box takes
    response = app.test_client().get(f"/search?q={words}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    cut = words[:MAX_QUERY_CHARS]
    assert f"“{cut}”：共 1 个" in page
    assert f'value="{cut}"' in page
    assert words[: MAX_QUERY_CHARS + 1] not in page


def test_the_examples_offered_are_words_that_find_postings(app: Flask) -> None:
    with postings(app) as session:
        for title, count in (("搬运工（日结）", 3), ("水产加工工", 2), ("扇贝分拣工（旺季）", 1)):
            for _ in range(count):
                _publish(session, title=title)
        factories.job(session, title="叉车司机")  # not published: no example can find it
    client = app.test_client()
    home = client.get("/").get_data(as_text=True)
    assert 'placeholder="例如：搬运工、水产加工工"' in home
    nothing = client.get("/search?q=叉车").get_data(as_text=True)
    assert 'placeholder="例如：搬运工、水产加工工"' in nothing
    assert "共 0 个" in nothing
    assert "换个说法试试，例如“" in nothing
    examples = re.findall(r'“<a href="([^"]+)">([^<]+)</a>”', nothing)
    assert [word for _, word in examples] == ["搬运工", "水产加工工", "扇贝分拣工"]
    for href, word in examples:
        found = client.get(href.replace("&amp;", "&")).get_data(as_text=True)
        assert re.search(rf"“{word}”：共 [1-9]\d* 个", found), word


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


# --- filters, chips, facets, distance (the seeker side of the results page) ---


def _publish(session: Session, *, days_ago: float = 0, **fields: Any) -> Job:
    job = factories.job(session, **fields)
    at = utcnow() - timedelta(days=days_ago)
    change_status(session, job, JobStatus.PENDING_REVIEW, at=at)
    change_status(session, job, JobStatus.PUBLISHED, at=at)
    return job


@contextmanager
def postings(app: Flask) -> Iterator[Session]:
    """A session to publish postings in, committed and indexed at the end of the block."""
    session = get_database(app).session()
    try:
        yield session
        session.commit()
        rebuild_index(get_search(app), session)
    finally:
        session.close()


def filtered_jobs(app: Flask) -> None:
    """Three postings that differ in pay, schooling asked, age, employer and place."""
    session = get_database(app).session()
    key = factories.employer(session, is_key_enterprise=True)
    _publish(
        session,
        title="海参加工工",
        employer=key,
        salary=Salary(6000, 8000, SalaryUnit.MONTH, None),
        education="senior_high",
        occupation_code="6-01-02-01",
        district="荣成市",
    )
    _publish(
        session,
        title="扇贝分拣临时工",
        kind=JobKind.ODD_JOB,
        salary=Salary(200, None, SalaryUnit.DAY, None),
        district="文登区",
        days_ago=10,
    )
    _publish(
        session,
        title="外贸业务文员",
        salary=Salary(3000, 4000, SalaryUnit.MONTH, None),
        education="bachelor",
        occupation_code="3-01-02-01",
        district="荣成市",
    )
    session.commit()
    rebuild_index(get_search(app), session)
    session.close()


def _titles(page: str) -> set[str]:
    return {t for t in ("海参加工工", "扇贝分拣临时工", "外贸业务文员") if t in page}


def test_filters_narrow_the_results(app: Flask) -> None:
    filtered_jobs(app)
    client = app.test_client()

    def shown(query: str) -> set[str]:
        return _titles(client.get(f"/search?{query}").get_data(as_text=True))

    assert shown("") == {"海参加工工", "扇贝分拣临时工", "外贸业务文员"}
    assert shown("pay=6000") == {"海参加工工"}
    # 200 a day is about 4350 a month: the monthly job paying up to 4000 falls out
    assert shown("pay=200/day") == {"海参加工工", "扇贝分拣临时工"}
    assert shown("edu=senior_high") == {"海参加工工", "扇贝分拣临时工"}
    assert shown("days=7") == {"海参加工工", "外贸业务文员"}
    assert shown("key=1") == {"海参加工工"}
    assert shown("occ=6-01") == {"海参加工工"}
    assert shown("district=荣成市&edu=bachelor&days=3") == {"海参加工工", "外贸业务文员"}


def test_active_filters_are_chips_that_remove_themselves(app: Flask) -> None:
    filtered_jobs(app)
    page = app.test_client().get("/search?kind=full_time&pay=6000&key=1").get_data(as_text=True)
    assert "月薪 6000 元以上" in page
    assert "只看重点企业" in page
    assert 'href="/search?kind=full_time&amp;key=1" aria-label="去掉条件：月薪 6000 元以上"' in page
    assert "清除全部条件" in page


def test_facet_counts_follow_the_filters(app: Flask) -> None:
    filtered_jobs(app)
    client = app.test_client()
    page = client.get("/search").get_data(as_text=True)
    assert "荣成市 (2)" in page
    assert "文登区 (1)" in page
    assert "6000–8000 元 (1)" in page
    narrowed = client.get("/search?kind=full_time").get_data(as_text=True)
    assert "荣成市 (2)" in narrowed
    assert "文登区" not in narrowed
    # a salary band links to its range, keeping the other filters
    assert 'href="/search?kind=full_time&amp;pay=6000-8000"' in narrowed
    assert _titles(client.get("/search?pay=6000-8000").get_data(as_text=True)) == {"海参加工工"}


def test_the_pay_filters_say_day_and_hour_rates_count_by_the_month(app: Flask) -> None:
    filtered_jobs(app)
    page = app.test_client().get("/search?kind=odd_job").get_data(as_text=True)
    assert _titles(page) == {"扇贝分拣临时工"}
    assert "日薪 200 元/天以上" in page
    # 200 a day is about 4350 a month: the day rate is counted in the 4000–6000 band, and the
    # band's heading says why
    band = re.search(r"<h2>(.*?)</h2>\s*<ul>\s*<li><a [^>]*pay=4000-6000[^>]*>(.*?)</a>", page)
    assert band is not None
    assert band.groups() == ("月薪（日薪、时薪按月折算）", "4000–6000 元 (1)")
    assert 'aria-describedby="f-pay-hint"' in page
    assert '<p class="hint" id="f-pay-hint">日薪、时薪按月折算：日薪 × 21.75 天，' in page


def _with_a_middle_group(app: Flask) -> None:
    """The postings of `filtered_jobs`, and the 中类 6-01 stored in full, as `flask occupation
    import` stores every level (none for 3-01)."""
    filtered_jobs(app)  # one posting under 6-01, one under 3-01
    session = get_database(app).session()
    session.add(Occupation(code="6-01-00-00", name="农副产品加工人员", level=2))
    session.commit()
    session.close()


def test_an_occupation_filter_shows_the_occupations_name(app: Flask) -> None:
    _with_a_middle_group(app)
    page = app.test_client().get("/search?occ=6-01").get_data(as_text=True)
    assert "职业：农副产品加工人员" in page


def test_the_occupation_facet_names_each_middle_group_and_keeps_unknown_codes(
    app: Flask,
) -> None:
    _with_a_middle_group(app)
    page = app.test_client().get("/search").get_data(as_text=True)
    assert '<a href="/search?occ=6-01">农副产品加工人员 (1)</a>' in page
    # no 中类 row for 3-01: the code, not a guessed name
    assert '<a href="/search?occ=3-01">3-01 (1)</a>' in page


def test_the_demos_occupation_list_names_every_middle_group_in_the_facet(app: Flask) -> None:
    with postings(app) as session:
        import_builtin_occupations(session)  # what `make setup` loads: no published file
        _publish(session, title="货车司机", occupation_code="4-02-02-02")
        _publish(session, title="电焊工", occupation_code="6-18-02-04")
    page = app.test_client().get("/search").get_data(as_text=True)
    assert '<a href="/search?occ=4-02">交通运输、仓储物流和邮政业服务人员 (1)</a>' in page
    assert '<a href="/search?occ=6-18">机械制造基础加工人员 (1)</a>' in page
    assert not re.search(r">\d-\d{2} \(\d+\)<", page)  # no bare code left


def test_occupation_names_find_prefixes_and_full_codes_alike(session: Session) -> None:
    session.add_all(
        [
            Occupation(code="6-00-00-00", name="生产制造及有关人员", level=1),
            Occupation(code="6-18-00-00", name="机械制造基础加工人员", level=2),
            Occupation(code="6-18-02-04", name="焊工", level=4),
        ]
    )
    session.flush()
    codes = ["6-18", "6-18-02-04", "6", "6-31", "6-18", ""]
    assert occupation_names(session, codes) == {
        "6-18": "机械制造基础加工人员",
        "6-18-02-04": "焊工",
        "6": "生产制造及有关人员",
    }


def test_bad_filter_values_are_ignored(app: Flask) -> None:
    filtered_jobs(app)
    client = app.test_client()
    for query in (
        "pay=abc",
        "pay=8000-6000",
        "pay=-5",
        "pay=100/week",
        "edu=phd",
        "edu=99",
        "days=5",
        "days=-1",
        "key=yes",
        "occ=6-01';--",
        "sort=distance",
        "sort=nonsense",
        "page=-3",
        "page=abc",
        "kind=robot",
    ):
        response = client.get(f"/search?{query}")
        assert response.status_code == 200, query
        assert len(_titles(response.get_data(as_text=True))) == 3, query


def test_pages_keep_the_filters(app: Flask) -> None:
    with postings(app) as session:
        for number in range(22):
            _publish(session, title=f"水产加工工{number}", district="荣成市")
    page = app.test_client().get("/search?district=荣成市&days=7").get_data(as_text=True)
    assert "第 1 / 2 页" in page
    assert 'href="/search?district=%E8%8D%A3%E6%88%90%E5%B8%82&amp;days=7&amp;page=2"' in page


def test_a_page_past_the_last_shows_the_last(app: Flask) -> None:
    with postings(app) as session:
        for number in range(22):
            _publish(session, title=f"水产加工工{number}", district="荣成市")
    client = app.test_client()
    past = client.get("/search?q=水产加工工&district=荣成市&page=14")
    assert past.status_code == 302
    assert parse_qs(urlsplit(past.location).query) == {
        "q": ["水产加工工"],
        "district": ["荣成市"],
        "page": ["2"],
    }
    page = client.get(past.location).get_data(as_text=True)
    assert "第 2 / 2 页" in page
    assert "第 14" not in page
    assert 'rel="prev"' in page
    # nothing found at all: page 1 and its hint, not an empty page 5
    nothing = client.get("/search?q=叉车&page=5")
    assert nothing.location == url_quote("/search?q=叉车", safe="/?=")


def _job_id(app: Flask, title: str) -> int | None:
    session = get_database(app).session()
    try:
        return session.scalar(select(Job.id).where(Job.title == title))
    finally:
        session.close()


def test_each_result_links_to_its_detail_page(app: Flask) -> None:
    filtered_jobs(app)
    job_id = _job_id(app, "海参加工工")
    page = app.test_client().get("/search?q=海参").get_data(as_text=True)
    # with the search and position it was shown at, for the interaction log
    assert f'href="/jobs/{job_id}?q=' in page


def _back_link(page: str) -> str:
    found = re.search(r'<a href="([^"]*)">← 返回职位搜索</a>', page)
    assert found is not None
    return html.unescape(found.group(1))


def test_the_job_page_leads_back_to_the_search_it_was_opened_from(app: Flask) -> None:
    filtered_jobs(app)
    client = app.test_client()
    results = client.get("/search?q=海参&district=荣成市&key=1").get_data(as_text=True)
    opened = re.search(r'<h3><a href="([^"]+)">', results)
    assert opened is not None
    back = _back_link(client.get(html.unescape(opened.group(1))).get_data(as_text=True))
    assert back == "/search?q=%E6%B5%B7%E5%8F%82&district=%E8%8D%A3%E6%88%90%E5%B8%82&key=1"
    again = client.get(back).get_data(as_text=True)
    assert "“海参”：共 1 个" in again
    assert "去掉条件：只看重点企业" in again


def test_the_way_back_to_search_keeps_only_what_the_search_reads(app: Flask) -> None:
    filtered_jobs(app)
    job_id = _job_id(app, "海参加工工")
    client = app.test_client()
    crafted = client.get(
        f'/jobs/{job_id}?q="><script>x</script>&pay=abc&next=//evil.example&page=3&pos=1'
    ).get_data(as_text=True)
    assert "<script>x" not in crafted
    assert _back_link(crafted) == "/search?q=%22%3E%3Cscript%3Ex%3C/script%3E&page=3"
    # opened from elsewhere (the home page, my applications): the plain search
    assert _back_link(client.get(f"/jobs/{job_id}").get_data(as_text=True)) == "/search"


def _seeker_at(app: Flask, lat: float, lng: float) -> User:
    session = get_database(app).session()
    user = account_factories.user(session, role=Role.SEEKER)
    session.add(SeekerProfile(user_id=user.id, name="王海燕", lat=lat, lng=lng))
    session.commit()
    session.close()
    return user


def test_distance_sort_orders_by_distance_from_the_seekers_home(app: Flask) -> None:
    session = get_database(app).session()
    # north of the home: 11 km, 2 km, 6 km; one posting has no point and goes last
    for title, lat in (("远处普工", 37.60), ("近处普工", 37.52), ("中间普工", 37.555)):
        _publish(session, title=title, lat=lat, lng=122.12)
    _publish(session, title="无坐标普工", lat=None, lng=None)
    session.commit()
    rebuild_index(get_search(app), session)
    session.close()
    user = _seeker_at(app, 37.50, 122.12)
    client = app.test_client()
    anonymous = client.get("/search").get_data(as_text=True)
    assert "离家最近" not in anonymous
    log_in(client, user.username, account_factories.PASSWORD)
    page = client.get("/search?sort=distance").get_data(as_text=True)
    assert "离家最近" in page
    order = [page.index(title) for title in ("近处普工", "中间普工", "远处普工", "无坐标普工")]
    assert order == sorted(order)
    assert "距您家约 2.2 公里" in page


def test_a_home_town_point_stands_in_for_the_seekers_own(app: Flask) -> None:
    session = get_database(app).session()
    account_factories.weihai_places(session)
    town = session.scalar(select(Place).where(Place.level == PlaceLevel.TOWN))
    assert town is not None
    assert town.lat is not None
    user = account_factories.user(session, role=Role.SEEKER)
    session.add(SeekerProfile(user_id=user.id, name="王海燕", home_town_code=town.code))
    _publish(session, title="镇上普工", lat=town.lat, lng=town.lng)
    session.commit()
    rebuild_index(get_search(app), session)
    session.close()
    client = app.test_client()
    log_in(client, user.username, account_factories.PASSWORD)
    page = client.get("/search?sort=distance").get_data(as_text=True)
    assert "距您家约 0.0 公里" in page


def test_new_facets_are_shown_with_names_counts_and_filter_links() -> None:
    # the engines' occupation and education facets, as the page renders any facet present
    filters = read_filters({"kind": "full_time"}, home=None, now=utcnow())
    groups = facet_groups(
        {
            "occupation": {"6-01": 5, "3-01": 2},
            "education": {"bachelor": 3, "2": 1},
            "shift": {"白班": 4},
        },
        filters,
        lambda **changes: "/search?" + "&".join(f"{k}={v}" for k, v in changes.items()),
        {"6-01": "农副产品加工人员"},
    )
    by_name = {group.name: group for group in groups}
    occupation = by_name["occupation"]
    assert occupation.title == "职业"
    assert [(c.label, c.count, c.url) for c in occupation.choices] == [
        ("农副产品加工人员", 5, "/search?occ=6-01"),
        ("3-01", 2, "/search?occ=3-01"),
    ]
    education = by_name["education"]
    assert [(c.label, c.url) for c in education.choices] == [
        ("本科", "/search?edu=bachelor"),
        ("高中", "/search?edu=senior_high"),
    ]
    # a facet this page does not know: counts, no link
    assert [(c.label, c.count, c.url) for c in by_name["shift"].choices] == [("白班", 4, None)]


def test_the_distance_sort_needs_a_home_point() -> None:
    without = read_filters({"sort": "distance"}, home=None, now=utcnow())
    assert "sort" not in without.query
    assert "distance" not in without.sorts
    home = GeoPoint(37.5, 122.1)
    with_home = read_filters({"sort": "distance"}, home=home, now=utcnow())
    assert with_home.query["sort"] == Sort.DISTANCE
    assert with_home.query["near"] == home
