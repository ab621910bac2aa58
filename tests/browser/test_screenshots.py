"""Full-page screenshots of the main pages as each demo role sees them, at phone and desktop
sizes (artifacts/screenshots/pages/<name>-<size>.png): for people to look at, and a smoke test
that each page answers and shows its heading. Nothing here changes the shared demo.

The home page, search results, login and the seeker's profile are shot by test_search and
test_accounts already (artifacts/screenshots/home-*.png, results-*, login-*, profile-*).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import SEEKER, log_in, screenshot

pytestmark = pytest.mark.browser

STAFF = ("staff", "staff-demo-2023")
EMPLOYER = ("employer", "employer-demo-2023")
STATION = ("station", "station-demo-2023")
WORD = "保洁"  # the demo has postings of every kind with it


def visit(page: Page, path: str, name: str, heading: str | re.Pattern[str]) -> None:
    """Open `path`, check it answered and shows its heading, save its screenshot."""
    response = page.goto(path)
    assert response is not None
    assert response.ok, f"{path}: {response.status}"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    screenshot(page, f"pages/{name}")
    # nothing pushes the page wider than the screen (a phone would scroll sideways)
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} is too wide"


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    log_in(page, username, password)
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def test_pages_anyone_sees(page: Page) -> None:
    page.goto(f"/search?q={WORD}")
    expect(page.get_by_role("status").filter(has_text="共")).to_contain_text(f"“{WORD}”：共")
    first = page.locator("ol.jobs > li").first.get_by_role("heading").get_by_role("link")
    job = first.get_attribute("href")
    assert job is not None
    visit(page, job, "job-detail", first.inner_text().strip())
    visit(page, "/signup", "signup", "免费注册")
    visit(page, "/signup/seeker", "signup-seeker", "求职者注册")
    visit(page, "/signup/employer", "signup-employer", "用人单位注册")
    visit(page, "/gigs/", "gigs", re.compile("^零工市场"))


def test_pages_a_seeker_sees(page: Page) -> None:
    sign_in(page, *SEEKER[:2])
    visit(page, "/me/applications", "seeker-applications", "我的申请")
    visit(page, "/gigs/", "seeker-gigs", re.compile("^零工市场"))
    visit(page, "/gigs/offers", "seeker-gig-offers", "我的派单")


def test_pages_an_employer_sees(page: Page) -> None:
    sign_in(page, *EMPLOYER)
    visit(page, "/employer/", "employer-dashboard", re.compile("^招聘管理"))
    # the demo's applications fall on random postings: a list with someone in it if there is one
    applicants = page.get_by_role("link", name=re.compile(r"^申请人 [1-9]\d* 位$"))
    if not applicants.count():
        applicants = page.get_by_role("link", name=re.compile(r"^申请人 \d+ 位$"))
    applicants = applicants.first
    path = applicants.get_attribute("href")
    assert path is not None
    visit(page, "/employer/jobs/new", "employer-job-form", "发布职位或零工")
    visit(page, path, "employer-applicants", re.compile("的申请人$"))
    candidates = path.replace("/applicants", "/candidates")
    visit(page, candidates, "employer-candidates", re.compile("的推荐人选$"))
    visit(page, "/gigs/requests", "employer-gig-requests", "我发布的用工需求")


def test_pages_staff_see(page: Page) -> None:
    sign_in(page, *STAFF)
    visit(page, "/staff/", "staff-home", "工作台")
    visit(page, "/staff/reviews", "staff-review-queue", "职位审核")
    visit(page, "/staff/employers?status=all", "staff-employers", "单位核验")
    visit(page, "/staff/employers?key=1", "staff-key-enterprises", "重点企业")
    visit(page, "/staff/dashboard/wages", "staff-wages", "人力资源市场工资价位")


def test_pages_a_service_point_sees(page: Page) -> None:
    sign_in(page, *STATION)
    visit(page, "/gigs/desk", "station-gig-desk", re.compile("^服务站代办"))
