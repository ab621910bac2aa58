"""Kiosk mode in Chromium at the terminal's sizes (1080×1920 portrait, 1920×1080 landscape):
walk-in flows by touch, print preview, idle reset, the weak-link banner, and an axe audit.

The terminal is enrolled as staff would do it: the demo's station staff registers a device at
/kiosk/devices and the token is typed on the terminal's enrol page.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.harness import ROOT, artifacts_dir, log_in, screenshot

pytestmark = pytest.mark.browser

KIOSK_VIEWPORTS: dict[str, dict[str, Any]] = {
    "portrait": {"viewport": {"width": 1080, "height": 1920}, "has_touch": True},
    "landscape": {"viewport": {"width": 1920, "height": 1080}, "has_touch": True},
}
STATION = ("station", "station-demo-2023")  # marketplace/demo/seed.py
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 15_000
# phone numbers no other test uses (virtual-operator range), one per registration
_phones = itertools.count(1)


def phone(viewport: str) -> str:
    return f"1709{1 if viewport == 'portrait' else 2}{next(_phones):06d}"


@pytest.fixture(scope="module")
def kiosk_token(browser: Browser, live_server: str) -> str:
    """A terminal token registered by the demo's station staff through /kiosk/devices."""
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto("/login")
        log_in(page, *STATION)
        page.goto("/kiosk/devices")
        page.get_by_label("终端名称").fill("浏览器测试终端")
        page.get_by_role("button", name="登记新终端").click()
        token = page.locator(".token").inner_text()
        screenshot(page, "kiosk/devices")
    finally:
        context.close()
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", token), token
    return token


@pytest.fixture(params=list(KIOSK_VIEWPORTS))
def kiosk(
    request: pytest.FixtureRequest, browser: Browser, live_server: str, kiosk_token: str
) -> Iterator[Page]:
    """An enrolled terminal at one of the two kiosk screen sizes, on the kiosk home screen."""
    context = browser.new_context(
        base_url=live_server,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        **KIOSK_VIEWPORTS[request.param],
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto("/kiosk/")
        expect(page).to_have_url(re.compile(r"/kiosk/enroll$"))
        page.get_by_label("终端口令").fill(kiosk_token)
        page.get_by_role("button", name="登记本机").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("您好，请选择要办的事")
        yield page
    except BaseException:
        screenshot(page, f"failed/{request.node.name}")
        raise
    finally:
        context.close()


def viewport(page: Page) -> str:
    size = page.viewport_size or {"width": 0}
    return "portrait" if size["width"] == 1080 else "landscape"


def audit(page: Page, name: str) -> None:
    """axe-core on the page: no serious or critical violations."""
    if not AXE.is_file():
        reason = f"axe-core not found at {AXE} (run `make axe`)"
        if os.environ.get("JIUYE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"axe on {name}:\n" + "\n".join(bad)


def register_worker(
    page: Page, number: str, skills: tuple[str, ...] = ("搬运", "装卸"), shift: str = "上午"
) -> None:
    """Home → 登记找工作 → type name and phone, touch the rest → 登记."""
    page.get_by_role("link", name=re.compile("登记找工作")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("登记找工作")
    page.get_by_label("姓名").fill("测试大姐")
    page.get_by_label("手机号").fill(number)
    for skill in skills:
        page.locator("label.k-pick", has_text=skill).click()
    page.locator("label.k-pick", has_text=shift).click()
    page.get_by_role("button", name="登记", exact=True).click()


def test_a_worker_registers_by_touch(kiosk: Page) -> None:
    page = kiosk
    screenshot(page, "kiosk/home")
    number = phone(viewport(page))
    page.get_by_role("link", name=re.compile("登记找工作")).click()
    expect(page.get_by_label("搬运")).not_to_be_checked()
    page.locator("label.k-pick", has_text="搬运").click()
    expect(page.get_by_label("搬运")).to_be_checked()
    screenshot(page, "kiosk/register")
    page.goto("/kiosk/")
    register_worker(page, number)
    expect(page.get_by_role("heading", level=1)).to_contain_text("登记成功")
    masked = f"{number[:3]}****{number[-4:]}"
    expect(page.get_by_role("main")).to_contain_text(masked)
    expect(page.get_by_role("main")).not_to_contain_text(number)
    screenshot(page, "kiosk/registered")
    page.get_by_role("link", name="完成，回首页").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您好，请选择要办的事")


def test_a_request_for_a_villager_is_dispatched(kiosk: Page) -> None:
    page = kiosk
    register_worker(page, phone(viewport(page)), skills=("装卸",), shift="全天都行")
    page.get_by_role("link", name="完成，回首页").click()
    page.get_by_role("link", name=re.compile("我要招人")).click()
    page.get_by_label("用工人姓名").fill("张大爷")
    page.get_by_label("用工人手机号").fill(phone(viewport(page)))
    page.locator("label.k-pick", has_text="装卸").click()
    page.locator("label.k-pick", has_text="明天").click()
    page.locator("fieldset", has_text="几点开始").locator("label", has_text="08:00").click()
    page.locator("fieldset", has_text="几点结束").locator("label", has_text="17:00").click()
    page.locator("label.k-pick", has_text="1 人").click()
    page.locator("label.k-pick", has_text="200 元").click()
    expect(page.get_by_label(re.compile("马上派单"))).to_be_checked()
    screenshot(page, "kiosk/request")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已发布：装卸零工")
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"已派给附近 \d+ 位零工"))
    screenshot(page, "kiosk/dispatched")


def open_first_job(page: Page) -> None:
    page.get_by_role("link", name=re.compile("附近的工作")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("附近的工作")
    page.locator("a.k-card[href*='/kiosk/jobs/']").first.click()
    expect(page.get_by_role("link", name="打印招工单")).to_be_visible()


def test_a_job_slip_prints_without_the_screens_buttons(kiosk: Page) -> None:
    page = kiosk
    open_first_job(page)
    expect(page.get_by_role("button", name="朗读")).to_be_visible()
    page.get_by_role("link", name="打印招工单").click()
    expect(page.locator("svg.qr")).to_be_visible()
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    for paper in ("a5", "receipt"):
        if paper == "receipt":
            page.get_by_role("link", name=re.compile("小票")).click()
        page.emulate_media(media="print")
        expect(page.locator("svg.qr")).to_be_visible()
        expect(page.locator(".slip-url")).to_contain_text("/jobs/")
        expect(page.locator(".k-bar")).to_be_hidden()
        expect(page.get_by_role("button", name="打印")).to_be_hidden()
        expect(page.get_by_role("link", name="返回")).to_be_hidden()
        screenshot(page, f"kiosk/slip-{paper}-print")
        page.emulate_media(media="screen")
    # the receipt as Chromium would print it (its @page size), kept beside the screenshots
    pdf = artifacts_dir() / "screenshots" / "kiosk" / f"slip-receipt-{viewport(page)}.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    assert pdf.stat().st_size > 0


def test_idle_returns_home_and_forgets_what_was_typed(kiosk: Page) -> None:
    page = kiosk
    page.get_by_role("link", name=re.compile("登记找工作")).click()
    expect(page.locator("body")).to_have_attribute("data-idle", "90")
    page.get_by_label("姓名").fill("不该留下的名字")
    # a short idle time for the test: kiosk.js reads data-idle on every tick
    page.evaluate("document.body.dataset.idle = '4'")
    expect(page.get_by_text("即将返回首页")).to_be_visible(timeout=6_000)
    screenshot(page, "kiosk/idle-warning")
    expect(page.get_by_role("heading", level=1)).to_have_text("您好，请选择要办的事", timeout=8_000)
    assert "不该留下的名字" not in page.content()
    storage = page.evaluate("[localStorage.length, sessionStorage.length]")
    assert storage == [0, 0]
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert names <= {"jiuye_kiosk", "session"}, names
    page.go_back()  # no-store: the form comes back empty, if at all
    assert "不该留下的名字" not in page.content()


def test_the_job_list_stays_readable_when_the_link_drops(kiosk: Page) -> None:
    page = kiosk
    page.get_by_role("link", name=re.compile("附近的工作")).click()
    cards = page.locator("a.k-card")
    expect(cards.first).to_be_visible()
    page.context.set_offline(True)
    try:
        cards.first.click()
        expect(page.get_by_text("网络不稳定，显示的是上次的结果")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("附近的工作")
        expect(cards.first).to_be_visible()
        screenshot(page, "kiosk/offline")
    finally:
        page.context.set_offline(False)


def test_a_kiosk_cannot_open_staff_pages(kiosk: Page) -> None:
    page = kiosk
    for path in ("/staff/", "/employer/", "/gigs/desk"):
        response = page.goto(path)
        assert response is not None
        assert response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_contain_text("不能在自助终端上打开")


def test_kiosk_pages_pass_an_accessibility_audit(kiosk: Page) -> None:
    page = kiosk
    audit(page, "home")
    page.get_by_role("link", name=re.compile("附近的工作")).click()
    audit(page, "job list")
    page.goto("/kiosk/")
    open_first_job(page)
    audit(page, "job detail")
    page.get_by_role("link", name="打印招工单").click()
    audit(page, "job slip")
    page.goto("/kiosk/workers/new")
    audit(page, "worker registration")
    page.goto("/kiosk/requests/new")
    audit(page, "request form")
