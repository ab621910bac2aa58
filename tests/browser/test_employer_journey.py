"""An employer's whole journey in the browser (issue #5): signs up, is verified by staff, posts a
job the checks block, fixes it, the job is found in search; a seeker applies, the employer
invites them to an interview, and the seeker sees it.

The demo instance is shared by the whole browser session, so the employer, its phone, credit
code and the job's title word are new on every run; the seeker is the demo seeker.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from marketplace.database import utcnow
from marketplace.employers.credit_code import check_character
from marketplace.localtime import LOCAL_OFFSET
from tests.browser.harness import SEEKER, log_in, person, screenshot, screenshot_both_sizes

pytestmark = pytest.mark.browser

STAFF = ("staff", "staff-demo-2023")
# the posting checks block a deposit charged to the seeker (《劳动合同法》第九条)
BLOCKED_WORDS = "押金"
DESCRIPTION = (
    "负责海参分拣、称重和装箱，早八点到晚五点，月休四天。入职需交押金200元，满三个月退还。"
)
FIXED_DESCRIPTION = "负责海参分拣、称重和装箱，早八点到晚五点，月休四天。不收取任何费用，包吃住。"
# how long the posted job may take to reach the search index (the outbox is drained after commit)
SEARCH_WAIT_S = 10


def new_credit_code() -> str:
    """A well-formed 统一社会信用代码 no other run will use (9 random digits as the body)."""
    body = f"91371002{secrets.randbelow(10**9):09d}"
    return body + check_character(body)


def new_phone() -> str:
    return f"139{secrets.randbelow(10**8):08d}"


def fill_job_form(page: Page, title: str, description: str) -> None:
    page.get_by_label("职位名称").fill(title)
    page.get_by_label("职位描述").fill(description)
    page.get_by_label("最低").fill("5000")
    page.get_by_label("最高").fill("6500")
    page.get_by_label("招聘人数").fill("3")
    page.get_by_label("详细地址").fill("荣成市石岛管理区海参加工园")


def sign_up_employer(page: Page, company: str, code: str, phone: str, password: str) -> None:
    page.goto("/signup/employer")
    expect(page.get_by_role("heading", level=1)).to_have_text("用人单位注册")
    page.get_by_label("单位名称").fill(company)
    page.get_by_label("统一社会信用代码").fill(code)
    page.get_by_label("联系人").fill("王海燕")
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("再次输入密码").fill(password)
    page.get_by_label(re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="提交注册").click()


def test_employer_signs_up_is_verified_fixes_a_blocked_job_and_invites_an_applicant(
    desktop_page: Page, browser: Browser, live_server: str
) -> None:
    page = desktop_page  # the employer, at a desk
    run = secrets.token_hex(3).upper()
    company = f"威海鑫海源水产食品有限公司{run}"
    code, phone, password = new_credit_code(), new_phone(), f"pw-{run}-2023"
    word = f"HS{run}"  # the title's unique word, found by search
    title = f"海参分拣工 {word}"

    # (1) signs up through the form: signed in, the company waiting for verification
    sign_up_employer(page, company, code, phone, password)
    expect(page.get_by_text("注册成功")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("单位信息")
    main = page.get_by_role("main")
    expect(main).to_contain_text(company)
    expect(main.locator(".status")).to_have_text("审核中")
    expect(main).to_contain_text(code)
    screenshot(page, "journey/employer-signed-up")
    page.get_by_role("link", name="进入招聘管理").click()
    expect(page.get_by_role("note")).to_contain_text("单位核验状态：审核中")
    screenshot(page, "journey/employer-dashboard-pending")

    # (2) staff finds the company among those waiting, checks its code and verifies it
    with person(browser, live_server, "desktop", "employer-journey-staff") as staff:
        staff.goto("/login")
        log_in(staff, *STAFF)
        staff.goto("/staff/employers?status=pending")
        expect(staff.get_by_role("heading", level=1)).to_have_text("单位核验")
        row = staff.get_by_role("row").filter(has=staff.get_by_role("link", name=company))
        expect(row).to_contain_text(code)
        expect(row).to_contain_text("审核中")
        screenshot(staff, "journey/staff-employers-pending")
        row.get_by_role("link", name=company).click()
        expect(staff.get_by_role("heading", level=1)).to_have_text(company)
        expect(staff.locator("#code-check")).to_contain_text("格式和校验位正确")
        expect(staff.get_by_role("main")).to_contain_text("王海燕")
        screenshot_both_sizes(staff, "journey/staff-employer-detail")
        staff.get_by_role("button", name="核验通过").click()
        expect(staff.get_by_text(f"已核验通过：{company}")).to_be_visible()
        expect(staff.locator("dl.summary .status")).to_have_text("已认证")
        expect(staff.get_by_role("button", name="核验通过")).to_have_count(0)
        screenshot(staff, "journey/staff-employer-verified")

    # (3) the employer signs in again, posts a job that charges a deposit: blocked, shown inline
    page.get_by_role("button", name="退出").click()
    page.goto("/login")
    log_in(page, phone, password)
    page.goto("/employer/")
    expect(page.get_by_role("note")).to_contain_text("单位核验状态：已核验")
    page.get_by_role("link", name="＋ 发布职位或零工").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("发布职位或零工")
    fill_job_form(page, title, DESCRIPTION)
    page.get_by_role("button", name="提交发布").click()
    expect(page.get_by_role("alert")).to_contain_text("职位内容未通过检查，未保存")
    description = page.get_by_label("职位描述")
    expect(description).to_have_attribute("aria-invalid", "true")
    findings = page.locator("#description-findings")
    expect(findings).to_contain_text("押金")
    expect(findings.locator("mark").first).to_have_text(re.compile(BLOCKED_WORDS))
    expect(description).to_have_value(DESCRIPTION)  # nothing typed is lost
    screenshot(page, "journey/job-form-blocked")
    # nothing was saved: the dashboard shows no job under that title
    page.goto("/employer/")
    expect(page.get_by_role("main")).not_to_contain_text(word)
    expect(page.get_by_role("main")).to_contain_text("还没有发布职位")
    # the same blocked submit on a phone, for its screenshot (blocked again, nothing saved)
    with person(
        browser, live_server, "phone", "employer-journey-employer-phone", like=page
    ) as phone_page:
        phone_page.goto("/employer/jobs/new")
        fill_job_form(phone_page, title, DESCRIPTION)
        phone_page.get_by_role("button", name="提交发布").click()
        expect(phone_page.locator("#description-findings mark").first).to_be_visible()
        screenshot(phone_page, "journey/job-form-blocked")

    # ... fixes the text and submits: verified and clean, so published at once
    page.get_by_role("link", name="＋ 发布职位或零工").click()
    fill_job_form(page, title, FIXED_DESCRIPTION)
    page.get_by_role("button", name="提交发布").click()
    expect(page.get_by_text("职位已发布，求职者现在可以搜索到。")).to_be_visible()
    published = page.get_by_role("region", name=re.compile("招聘中"))
    expect(published.get_by_role("heading", name=re.compile(word))).to_be_visible()
    screenshot(page, "journey/employer-dashboard-published")

    # ... and anyone searching for the title's word finds it
    with person(browser, live_server, "phone", "employer-journey-seeker") as seeker:
        hit = seeker.locator("ol.jobs > li").filter(has_text=word)
        for _attempt in range(SEARCH_WAIT_S * 2):
            seeker.goto(f"/search?q={quote(word)}")
            if hit.count():
                break
            seeker.wait_for_timeout(500)
        expect(hit).to_have_count(1)
        expect(hit).to_contain_text(company)
        screenshot(seeker, "journey/search-finds-the-new-job")

        # (4) the demo seeker opens it, signs in from it and applies
        hit.get_by_role("link", name=title).click()
        expect(seeker).to_have_url(re.compile(r"/jobs/\d+\?q=[^&]+&pos=1$"))
        job_path = urlsplit(seeker.url).path
        expect(seeker.get_by_role("heading", level=1)).to_have_text(title)
        seeker.get_by_role("link", name="登录后申请").click()
        username, seeker_password, seeker_name = SEEKER
        log_in(seeker, username, seeker_password)
        expect(seeker.get_by_role("heading", level=1)).to_have_text(title)
        seeker.get_by_role("button", name="申请", exact=True).click()
        expect(seeker.get_by_text("申请已提交")).to_be_visible()

        # (5) the employer sees the applicant and invites them to an interview
        job_id = job_path.rsplit("/", 1)[1]
        page.goto("/employer/")
        posting = page.locator("li.employer-job").filter(has_text=word)
        expect(posting).to_contain_text("1 位新申请")
        posting.get_by_role("link", name="申请人 1 位").click()
        expect(page).to_have_url(re.compile(f"/employer/jobs/{job_id}/applicants$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{title} 的申请人")
        applicant = page.get_by_role("row").filter(has_text=seeker_name)
        expect(applicant).to_contain_text("新申请")
        screenshot_both_sizes(page, "journey/employer-applicants")
        applicant.get_by_role("link", name=seeker_name).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(seeker_name)
        when = (utcnow() + LOCAL_OFFSET + timedelta(days=2)).replace(hour=14, minute=0)
        page.get_by_label("面试时间").fill(when.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_label("面试地点").fill("荣成市石岛镇工业园 3 号楼")
        page.get_by_role("button", name="邀请面试").click()
        expect(page.get_by_text("申请状态已改为“邀请面试”。")).to_be_visible()
        screenshot(page, "journey/employer-applicant-invited")

        # (6) the seeker's own list says 邀请面试, with the history to show how it got there
        seeker.goto("/me/applications")
        mine = seeker.locator("li.application").filter(has_text=title)
        expect(mine).to_contain_text("状态：邀请面试")
        expect(mine).to_contain_text(when.strftime("面试时间：%Y-%m-%d 14:00"))
        expect(mine).to_contain_text("地点：荣成市石岛镇工业园 3 号楼")
        expect(mine).to_contain_text(company)
        mine.get_by_text(re.compile("进度记录")).click()
        expect(mine.locator("ol.history")).to_contain_text("邀请面试")
        screenshot_both_sizes(seeker, "journey/seeker-applications-interview")
