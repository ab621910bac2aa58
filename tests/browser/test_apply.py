"""A seeker finds a job, opens it, signs in from it and applies; the application is listed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import SEEKER, log_in, screenshot

pytestmark = pytest.mark.browser


def test_seeker_opens_a_job_from_the_results_signs_in_and_applies(phone_page: Page) -> None:
    # phone only: applying changes the shared demo, and seekers mostly come by phone
    page = phone_page
    username, password, _name = SEEKER
    page.goto("/")
    box = page.get_by_label("职位、技能或地点")
    box.fill("保洁")
    box.press("Enter")
    facets = page.get_by_role("complementary", name="筛选")
    facets.get_by_text("筛选条件").click()  # folded on a phone
    facets.get_by_role("link", name=re.compile(r"^零工 \(\d+\)$")).click()
    expect(page).to_have_url(re.compile(r"kind=odd_job"))

    first = page.locator("ol.jobs > li").first
    title = first.get_by_role("heading").inner_text().strip()
    first.get_by_role("link", name=title).click()
    # the link carries the search (words, filters) and the position it was shown at (the
    # ranker's click log); the job page leads back to the same search
    expect(page).to_have_url(re.compile(r"/jobs/\d+\?q=[^&]+&kind=odd_job&pos=1$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("link", name="← 返回职位搜索")).to_have_attribute(
        "href", re.compile(r"^/search\?q=[^&]+&kind=odd_job$")
    )
    screenshot(page, "job")

    page.get_by_role("link", name="登录后申请").click()
    expect(page).to_have_url(re.compile(r"/login\?next="))
    log_in(page, username, password)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)  # back on the job
    page.get_by_role("button", name="申请", exact=True).click()

    expect(page.get_by_text("申请已提交")).to_be_visible()
    apply_box = page.get_by_role("region", name="申请")
    expect(apply_box).to_contain_text("您已申请此职位")
    apply_box.get_by_role("link", name="查看我的申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的申请")
    expect(page.get_by_role("listitem").filter(has_text=title).first).to_be_visible()
    screenshot(page, "applications")
