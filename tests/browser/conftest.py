"""Browser fixtures: the demo served by gunicorn (`live_server`), Chromium, a page per screen size.

    pytestmark = pytest.mark.browser

    def test_home(page: Page) -> None:  # runs twice: on `phone_page` and on `desktop_page`
        page.goto("/")  # relative to live_server's URL
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        screenshot(page, "home")  # artifacts/screenshots/home-phone.png, home-desktop.png

The server and its demo data are shared by the whole session: a test that changes them should
use data no other test reads. A failing test that used a page leaves
artifacts/screenshots/failed/<test>-<viewport>.png.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.browser.harness import (
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    VIEWPORTS,
    GunicornServer,
    artifacts_dir,
    chromium_path,
    prepare_instance,
    screenshot,
)
from tests.services import RedisServer, free_port

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # keep each phase's report on the item, so that page fixtures know at teardown if it failed
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def chromium() -> str:
    """Chromium's path; asked first, so a missing browser skips before the server starts."""
    return chromium_path()


@pytest.fixture(scope="session")
def live_server(
    chromium: str, redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The base URL of the demo (migrated, seeded, indexed) served by gunicorn on a free port."""
    if redis_server.process is None:  # another test may have killed it
        redis_server.start()
    settings = prepare_instance(tmp_path_factory.mktemp("instance"), redis_server.url)
    server = GunicornServer(settings, free_port(), artifacts_dir() / "gunicorn.log")
    try:
        server.start()
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright, chromium: str) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(
        executable_path=chromium, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def _open_page(
    browser: Browser, base_url: str, viewport: str, request: pytest.FixtureRequest
) -> Iterator[Page]:
    # a fresh context per test: no cookies or storage carried from one test to the next
    context = browser.new_context(
        base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **VIEWPORTS[viewport]
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        reports = request.node.stash.get(_REPORTS, {})
        if any(report.failed for report in reports.values()):
            screenshot(page, f"failed/{request.node.name}")
        context.close()


@pytest.fixture
def phone_page(
    browser: Browser, live_server: str, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A page 390×844 (a phone, touch, scale 2) on the live server, in Chinese, Shanghai time."""
    yield from _open_page(browser, live_server, "phone", request)


@pytest.fixture
def desktop_page(
    browser: Browser, live_server: str, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A page 1366×900 (a desktop) on the live server, in Chinese, Shanghai time."""
    yield from _open_page(browser, live_server, "desktop", request)


@pytest.fixture(params=["phone", "desktop"])
def page(request: pytest.FixtureRequest) -> Page:
    """The test runs twice: on `phone_page` and on `desktop_page`."""
    page: Page = request.getfixturevalue(f"{request.param}_page")
    return page
