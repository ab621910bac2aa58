"""A seeker's recommendations in the browser: jobs from their profile, each with why."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import SEEKER, log_in, screenshot

pytestmark = pytest.mark.browser


def test_demo_seeker_sees_recommended_jobs_with_reasons(page: Page) -> None:
    username, password, _name = SEEKER
    page.goto("/me/recommendations")
    expect(page).to_have_url(re.compile(r"/login\?next="))  # only the seeker sees them
    log_in(page, username, password)
    expect(page).to_have_url(re.compile(r"/me/recommendations$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("为您推荐")

    first = page.locator("ol.jobs > li.job").first
    expect(first.get_by_role("heading").get_by_role("link")).to_have_attribute(
        "href", re.compile(r"^/jobs/\d+$")
    )
    expect(first.locator("p.pay")).not_to_be_empty()
    expect(first.locator("p.reasons")).to_contain_text(re.compile(r"推荐理由：\S+"))
    screenshot(page, "recommendations")
