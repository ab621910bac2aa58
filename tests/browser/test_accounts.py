"""Signing in through the login form and seeing one's own profile."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import SEEKER, log_in, screenshot

pytestmark = pytest.mark.browser


def test_demo_seeker_logs_in_and_sees_their_profile(page: Page) -> None:
    username, password, name = SEEKER
    page.goto("/")
    page.get_by_role("navigation", name="账号").get_by_role("link", name="登录").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    screenshot(page, "login")

    log_in(page, username, password)

    expect(page.get_by_text(f"欢迎回来，{name}")).to_be_visible()
    page.get_by_role("link", name="我的资料").click()
    expect(page).to_have_url(re.compile(r"/profile$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("我的求职资料")
    expect(page.get_by_role("main")).to_contain_text(name)
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    screenshot(page, "profile")
