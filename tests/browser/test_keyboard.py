"""Keyboard-only use: the skip link comes first, and whatever has focus is visibly outlined."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

# the computed styles that can show focus; 'none' or a zero width shows nothing
FOCUS_STYLE = """element => {
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none" && style.boxShadow !== "";
  return outline || shadow;
}"""
MAX_TABS = 8  # the header holds the brand and two account links before the search box


def expect_focus_visible(element: Locator) -> None:
    expect(element).to_be_focused()
    expect(element).to_be_in_viewport()
    assert element.evaluate(FOCUS_STYLE), f"no visible focus on {element}"


def test_tab_from_the_top_reaches_skip_link_then_search_box_with_visible_focus(
    desktop_page: Page,
) -> None:
    page = desktop_page
    page.goto("/")
    page.keyboard.press("Tab")
    expect_focus_visible(page.get_by_role("link", name="跳到正文"))

    box = page.get_by_label("职位、技能或地点")
    focused = page.locator("*:focus")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        expect_focus_visible(focused)  # the brand and account links on the way show focus too
        if box.evaluate("element => element === document.activeElement"):
            break
    expect_focus_visible(box)


def test_skip_link_takes_the_keyboard_past_the_header(desktop_page: Page) -> None:
    page = desktop_page
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    page.keyboard.press("Tab")
    expect_focus_visible(page.get_by_label("职位、技能或地点"))
