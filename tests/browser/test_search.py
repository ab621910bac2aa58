"""A seeker's search in the browser: the home page's box, suggestions, results, a filter."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import screenshot, viewport_name

pytestmark = pytest.mark.browser

WORD = "保洁"  # the demo has 保洁 postings of all three kinds, in several districts
TOTAL = re.compile(r"共 (\d+)")


def shown_total(page: Page) -> int:
    """The number of jobs the results page says it found."""
    status = page.get_by_role("status").filter(has_text="共")
    expect(status).to_contain_text(TOTAL)
    found = TOTAL.search(status.inner_text())
    assert found is not None
    return int(found.group(1))


def test_seeker_searches_from_the_home_page_and_narrows_by_kind(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("找工作、找零工，就在家门口")
    expect(page.get_by_text(re.compile(r"共有 \d+ 个在招职位"))).to_be_visible()
    screenshot(page, "home")

    box = page.get_by_label("职位、技能或地点")
    box.fill(WORD)
    # search-as-you-type offers titles that start with what was typed
    expect(page.locator("#q-suggestions option").first).to_have_attribute(
        "value", re.compile(f"^{WORD}")
    )
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search\?q="))
    expect(page).to_have_title(re.compile(WORD))
    expect(box).to_have_value(WORD)
    total = shown_total(page)
    assert total > 1
    results = page.locator("ol.jobs > li")
    expect(results.first.get_by_role("heading")).to_contain_text(WORD)
    # each result says why it is there, in words
    expect(results.first).to_contain_text(re.compile("职位名称(与搜索一致|包含搜索词)"))
    screenshot(page, "results")

    facets = page.get_by_role("complementary", name="筛选")
    odd_jobs = facets.get_by_role("link", name=re.compile(r"^零工 \(\d+\)$"))
    if viewport_name(page) == "phone":
        # the jobs come first: the filters are folded under 筛选条件 until asked for
        box_of_first = results.first.bounding_box()
        assert box_of_first is not None
        assert box_of_first["y"] < 844
        expect(odd_jobs).to_be_hidden()
        facets.get_by_text("筛选条件").click()
    label = odd_jobs.inner_text()
    expected = int(label[label.index("(") + 1 : label.index(")")])
    assert 0 < expected < total
    odd_jobs.click()

    expect(page).to_have_url(re.compile(r"kind=odd_job"))
    # the chosen filter shows as selected: a chip that takes it off, the facet marked current
    expect(page.get_by_role("link", name="去掉条件：零工")).to_be_visible()
    expect(facets.locator("[aria-current=true]")).to_have_text(re.compile(r"^零工 \(\d+\)$"))
    expect(page.get_by_role("status").filter(has_text="共")).to_contain_text(f"共 {expected} 个")
    expect(results).to_have_count(min(expected, 20))
    for result in results.all():
        expect(result).to_contain_text("零工")
    expect(box).to_have_value(WORD)  # the words stay when a filter is added
    screenshot(page, "results-odd-jobs")


def test_a_pasted_paragraph_is_searched_by_its_first_words(page: Page) -> None:
    # 500 characters pasted into the box once made a URL gunicorn refused (414, in English)
    page.goto("/")
    box = page.get_by_label("职位、技能或地点")
    box.fill(WORD * 250)
    expect(box).to_have_value(WORD * 50)  # the box keeps what is searched: 100 characters
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q="))
    expect(page.get_by_role("status").filter(has_text="共")).to_contain_text(WORD * 50)
    assert shown_total(page) > 0


def test_long_unbroken_words_wrap_within_the_screen(page: Page) -> None:
    # a query of one long "word" and a pasted link, and a long district chip, once made the
    # results page 714 px wide on a 390 px phone
    for query in ("a" * 100, "https://example.com/" + "x" * 80):
        page.goto(f"/search?q={query}&district={'区' * 40}")
        expect(page.get_by_role("status").filter(has_text="共")).to_contain_text(query)
        expect(page.get_by_role("link", name=re.compile("^去掉条件：区"))).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert page.viewport_size is not None
        assert width <= page.viewport_size["width"], query
