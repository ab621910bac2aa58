"""Posting checks: each rule flags the right words, negations pass, pay outliers, the CLI."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from itertools import islice
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from indexer.salary import Salary, SalaryUnit, monthly_equivalent
from marketplace.jobs.check_cli import check_file
from marketplace.jobs.checks import (
    Finding,
    PayRange,
    PostingDraft,
    Severity,
    check_posting,
)
from marketplace.jobs.models import JobStatus
from marketplace.jobs.pay_reference import normalize_title, pay_range, reference_for
from tests.datafiles import data_file
from tests.marketplace import factories
from tests.marketplace.test_importer import posting, write_csv


def findings_for(description: str, title: str = "普工") -> list[Finding]:
    return check_posting(PostingDraft(title=title, description=description))


def codes(findings: list[Finding]) -> set[str]:
    return {finding.code for finding in findings}


# -- each rule flags the words that triggered it ---------------------------------------

BLOCKED = [
    ("任职要求：限男性，能吃苦耐劳", "discrimination.gender", "限男性"),
    ("生熟手均可，限女性", "discrimination.gender", "限女性"),
    ("包住，只要女性，薪资8000", "discrimination.gender", "只要女性"),
    ("只限招广东省内女性;相关经验优先", "discrimination.gender", "只限招广东省内女性"),
    ("性别：男\n学历：大专", "discrimination.gender", "性别：男"),
    ("1、男，25-45岁，身体健康，包吃包住。", "discrimination.gender", "男，25-45"),
    ("招聘要求：男18-40岁、女18-38岁。", "discrimination.gender", "女18-38"),
    ("1.18-30岁，女性，中医或者康复专业", "discrimination.gender", "女性"),
    ("负责产品包装，认真细致。女士优先", "discrimination.gender", "女士优先"),
    ("三年以上临床经验，男性医生优先聘用", "discrimination.gender", "男性医生优先"),
    ("因为没有女生宿舍，所以只要男孩子。", "discrimination.gender", "只要男孩子"),
    ("急招女普工，长白班", "discrimination.gender", "女普工"),
    ("居住在市区，限上海户籍，熟悉本地", "discrimination.household", "户籍"),
    ("要求本地户口，有驾照", "discrimination.household", "本地户口"),
    ("本地人优先，包吃住", "discrimination.household", "本地人优先"),
    ("不招河南人，包吃住", "discrimination.household", "河南人"),
    ("限汉族，身体健康", "discrimination.ethnicity", "汉族"),
    ("不招少数民族", "discrimination.ethnicity", "少数民族"),
    ("民族：汉，身体健康", "discrimination.ethnicity", "民族：汉"),
    ("要求已婚已育，形象好", "discrimination.marital", "已婚已育"),
    ("男女不限，未婚优先。", "discrimination.marital", "未婚优先"),
    ("限未婚，25岁以上", "discrimination.marital", "未婚"),
    ("女性，三年内无生育计划", "discrimination.marital", "生育计划"),
    ("孕妇勿扰", "discrimination.marital", "孕妇"),
    ("入职体检含乙肝五项", "discrimination.hepatitis_b", "乙肝五项"),
    ("需提供两对半检查报告", "discrimination.hepatitis_b", "两对半"),
    ("残疾人勿扰，需站立作业", "discrimination.disability", "残疾人"),
    ("身体健康，四肢健全", "discrimination.disability", "健全"),
    ("当天安排宿舍。押金100", "fee.deposit", "押金"),
    ("入职需交保证金500元", "fee.deposit", "保证金"),
    ("饭卡工服住宿押金共：50元 随走随退", "fee.deposit", "押金"),
    ("吃多少扣多少✅体检费45元✅商保90元/月", "fee.charge", "体检费"),
    ("入职收取服装费200元", "fee.charge", "服装费"),
    ("培训费自理，学成上岗", "fee.charge", "培训费"),
    ("工装费从工资中扣除", "fee.charge", "工装费"),
    ("居家兼职刷单，日赚300", "scam.brushing", "刷单"),
    ("帮商家刷信誉，一单一结", "scam.brushing", "刷信誉"),
]


@pytest.mark.parametrize(("text", "code", "word"), BLOCKED)
def test_a_forbidden_phrase_is_blocked_with_its_words(text: str, code: str, word: str) -> None:
    found = [f for f in findings_for(text) if f.code == code]
    assert found, findings_for(text)
    assert found[0].severity is Severity.BLOCK
    assert found[0].field == "description"
    assert word in found[0].words
    assert all(w in text for w in found[0].words)
    assert found[0].message


NOT_FLAGGED = [
    "男女不限，年龄18-45岁",
    "性别不限，学历不限",
    "不限男女，有口播经验优先",
    "性别：男女不限；有1年以上烹饪经验",
    "要求：男、女。有敬业精神",
    "男生站班为主操机，女生坐班为主外检",
    "男生165以上，女生160以上",
    "不限户籍，包吃住",
    "户籍不限，学历不限",
    "工作地点：户籍地就近安排",
    "外地户籍可落户，周末双休",
    "应届毕业生可给予上海户口",
    "民族不限，身体健康",
    "面试地址：郑州市管城回族区",
    "已婚未婚均可",
    "已婚已育、未婚未育均可",
    "婚育不限",
    "缴纳五险：养老保险、医疗保险、生育保险、工伤保险、失业保险",
    "结婚礼金、生育礼金",
    "退役军人优先，有驾照优先",
    "教职工子女优先入学",
    "退休人员：女50岁以上，男60岁以上",
    "无需押金，包吃住",
    "0押金入职，提供车辆",
    "入职无需押金，违章保证金，保险保养公司负责",
    "不收取任何费用及押金，当天入职",
    "本工作无任何报名费，培训费，入会费，保证金等，完全免费。",
    "不收推荐费！！中介费！！",
    "从未要求应聘者缴纳任何形式的押金、保证金、介绍费",
    "免费培训，带薪上岗",
    "公司提供工装，免费工装",
    "免费提供服装被褥",
    "入职满一个月报销体检费198元",
    "转正后随工资发放100元体检费",
    "推荐朋友一起入职的，你有介绍费2000元",
    "多元化福利（培训费、健身费、补充医疗保险）",
    "负责投标保证金、履约保证金的缴纳及退还",
    "此岗位仅限残疾人申请，可接受肢体残疾/听力残疾",
    "持有国家残疾证，能完成组装等简单工作",
    "公司制度健全，晋升通道清晰",
    "负责乙肝疫苗接种工作",
    "不查乙肝，包吃住",
    "风控岗：识别刷单行为",
    "谨防刷单诈骗",
    "年龄18-45岁，身体健康",
    "16-50周岁，经验不限",
    "面向3-12岁儿童的编程课",
    "团队平均年龄28岁",
    "3-5年工作经验，月薪20-30万",
    "资料录入员，五险一金，双休",
]


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_negations_and_neutral_phrasing_are_not_flagged(text: str) -> None:
    assert findings_for(text) == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("年龄18-35岁，男女不限", "年龄18-35岁"),
        ("1、35岁以下，本科", "35岁以下"),
        ("年龄：20-28岁，男女不限", "年龄：20-28岁"),
        ("18-26周岁，大专及以上学历", "18-26周岁"),
        ("年龄不超过30周岁", "年龄不超过30"),
    ],
)
def test_a_young_only_age_limit_goes_to_review(text: str, word: str) -> None:
    found = findings_for(text)
    assert [(f.code, f.severity) for f in found] == [("discrimination.age", Severity.REVIEW)]
    assert found[0].words == (word,)


@pytest.mark.parametrize("text", ["年龄18-36岁", "年龄16-50周岁", "40岁以下", "年满18周岁"])
def test_an_age_limit_above_35_is_not_flagged(text: str) -> None:
    assert findings_for(text) == []


def test_a_fee_mentioned_without_saying_who_pays_goes_to_review() -> None:
    found = findings_for("【入职费用】有三个月内体检报告可不用体检")
    assert [(f.code, f.severity, f.words) for f in found] == [
        ("fee.unclear", Severity.REVIEW, ("入职费",))
    ]


def test_fees_in_the_benefits_field_are_what_the_employer_gives() -> None:
    draft = PostingDraft(title="文员", benefits="培训费,体检费,五险一金")
    assert check_posting(draft) == []


def test_a_typing_job_asking_money_up_front_is_a_scam() -> None:
    draft = PostingDraft(title="居家打字员", description="日结200元，先交99元会费开通账号")
    found = check_posting(draft)
    scam = {f.field: f for f in found if f.code == "scam.typing_upfront"}
    assert scam["title"].severity is Severity.BLOCK
    assert scam["title"].words == ("居家打字员",)
    assert {"先交", "会费"} <= set(scam["description"].words)
    assert "scam.typing_daily_pay" not in codes(found)


def test_a_typing_job_paid_daily_goes_to_review() -> None:
    found = check_posting(PostingDraft(title="手机打字员", description="在家可做，日结"))
    assert [(f.code, f.severity, f.field, f.words) for f in found] == [
        ("scam.typing_daily_pay", Severity.REVIEW, "title", ("手机打字员",)),
        ("scam.typing_daily_pay", Severity.REVIEW, "description", ("日结",)),
    ]


def test_findings_come_blocking_first_and_name_their_field() -> None:
    draft = PostingDraft(
        title="女普工",
        description="年龄18-30岁，入职需交押金300元",
        monthly_min=800,
        monthly_max=900,
    )
    found = check_posting(draft, PayRange(low=4000, high=8000, postings=30))
    assert [f.severity for f in found] == [Severity.BLOCK] * 2 + [Severity.REVIEW] * 2
    assert [(f.code, f.field) for f in found] == [
        ("discrimination.gender", "title"),
        ("fee.deposit", "description"),
        ("discrimination.age", "description"),
        ("pay.outlier_low", "salary"),
    ]
    assert found[1].as_dict()["severity"] == "block"
    assert found[1].as_dict()["words"] == ["押金"]


# -- the words always come from the text -------------------------------------------------

TRIGGERS = [
    "男", "女", "性", "限", "只要", "优先", "岁", "年龄", "18", "35", "-", "，", "。", "\n", "以下",
    "户籍", "本地", "汉族", "已婚", "未婚", "乙肝", "残疾", "押金", "培训费", "交", "100", "元",
    "无", "不", "刷单", "打字员", "日结", "先交", "会费", "：", "人",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TRIGGERS), max_size=30).map("".join))
def test_every_finding_quotes_words_of_its_own_field(text: str) -> None:
    draft = PostingDraft(title=text[:10], description=text, skills=text[::-1])
    for finding in check_posting(draft):
        assert finding.words
        for word in finding.words:
            assert word in getattr(draft, finding.field)


# -- pay ---------------------------------------------------------------------------------------

REFERENCE = PayRange(low=4000, high=9000, postings=40)


@pytest.mark.parametrize(
    ("monthly", "code"),
    [
        ((1500, 1900), "pay.outlier_low"),
        ((19000, 25000), "pay.outlier_high"),
        ((None, 1800), "pay.outlier_low"),
        ((20000, None), "pay.outlier_high"),
        ((2000, 2500), None),  # low, but not below half the low percentile
        ((9000, 18000), None),
        ((None, None), None),
    ],
)
def test_pay_far_outside_the_reference_goes_to_review(
    monthly: tuple[float | None, float | None], code: str | None
) -> None:
    draft = PostingDraft(title="普工", monthly_min=monthly[0], monthly_max=monthly[1])
    found = check_posting(draft, REFERENCE)
    assert [f.code for f in found] == ([code] if code else [])
    if code:
        assert found[0].severity is Severity.REVIEW
        assert found[0].field == "salary"
        assert found[0].words == ()
        assert "4000–9000" in found[0].message
        assert "40 个职位" in found[0].message


def test_without_a_reference_ordinary_pay_is_not_judged() -> None:
    assert check_posting(stated_pay(4000, 6000, SalaryUnit.MONTH)) == []
    assert check_posting(stated_pay(1820, None, SalaryUnit.MONTH)) == []
    assert check_posting(stated_pay(18, 25, SalaryUnit.HOUR)) == []


def stated_pay(
    low: float | None, high: float | None, unit: SalaryUnit, city: str | None = "威海市"
) -> PostingDraft:
    """A draft with pay as postings.draft_of builds it (the monthly equivalent beside it)."""
    return PostingDraft(
        title="普工",
        salary_min=low,
        salary_max=high,
        salary_unit=str(unit),
        monthly_min=monthly_equivalent(low, unit),
        monthly_max=monthly_equivalent(high, unit),
        city=city,
    )


@pytest.mark.parametrize(
    ("low", "high", "unit", "shown"),
    [
        (1, 2, SalaryUnit.MONTH, "1 元/月"),
        (100, 200, SalaryUnit.MONTH, "100 元/月"),
        (1500, 3000, SalaryUnit.MONTH, "1,500 元/月"),  # a range may not start below it either
        (None, 1700, SalaryUnit.MONTH, "1,700 元/月"),
        (20_000, 21_000, SalaryUnit.YEAR, "20,000 元/年（折合每月 1,667 元）"),
        (15, None, SalaryUnit.HOUR, "15 元/小时"),
        (12.5, 20, SalaryUnit.HOUR, "12.5 元/小时"),
    ],
)
def test_pay_below_the_minimum_wage_goes_to_review_without_a_reference(
    low: float | None, high: float | None, unit: SalaryUnit, shown: str
) -> None:
    found = check_posting(stated_pay(low, high, unit))
    assert [(f.code, f.severity, f.field, f.words) for f in found] == [
        ("pay.below_minimum_wage", Severity.REVIEW, "salary", ())
    ]
    assert f"薪资 {shown} 低于山东省最低工资标准" in found[0].message
    assert "每月 1,820 元" in found[0].message
    assert "每小时 18 元" in found[0].message


def test_day_and_piece_rates_have_no_minimum_wage_floor() -> None:
    assert check_posting(stated_pay(1, 2, SalaryUnit.DAY)) == []
    assert check_posting(stated_pay(0.5, 1, SalaryUnit.PIECE)) == []


def test_part_time_monthly_pay_has_no_full_time_floor_but_the_hourly_one_holds() -> None:
    part_time = replace(stated_pay(1000, 1500, SalaryUnit.MONTH), kind="part_time")
    assert check_posting(part_time) == []
    hourly = replace(stated_pay(15, None, SalaryUnit.HOUR), kind="part_time")
    assert codes(check_posting(hourly)) == {"pay.below_minimum_wage"}
    full_time = replace(stated_pay(1000, 1500, SalaryUnit.MONTH), kind="full_time")
    assert codes(check_posting(full_time)) == {"pay.below_minimum_wage"}


def test_the_shandong_minimum_wage_is_not_applied_to_other_provinces() -> None:
    assert check_posting(stated_pay(1500, 3000, SalaryUnit.MONTH, city="广州市")) == []
    assert codes(check_posting(stated_pay(1500, 3000, SalaryUnit.MONTH, city=None))) == {
        "pay.below_minimum_wage"
    }


@pytest.mark.parametrize(
    ("low", "high", "unit", "shown"),
    [
        (80_000, 90_000, SalaryUnit.MONTH, "薪资 80,000 元/月 远高于"),
        (150_000, 200_000, SalaryUnit.MONTH, "薪资 150,000 元/月 远高于"),
        (700_000, None, SalaryUnit.YEAR, "（超过 600,000 元/年）"),
        (2500, 3000, SalaryUnit.DAY, "薪资 2,500 元/天 远高于"),
        (200, 300, SalaryUnit.HOUR, "（超过 150 元/小时）"),
    ],
)
def test_implausibly_high_pay_goes_to_review_without_a_reference(
    low: float, high: float | None, unit: SalaryUnit, shown: str
) -> None:
    found = check_posting(stated_pay(low, high, unit))
    assert [(f.code, f.severity, f.field) for f in found] == [
        ("pay.implausible_high", Severity.REVIEW, "salary")
    ]
    assert shown in found[0].message
    assert "请核实金额" in found[0].message


@pytest.mark.parametrize(
    ("low", "high", "unit"),
    [
        (30_000, 50_000, SalaryUnit.MONTH),  # only the least pay promised counts
        (None, 50_000, SalaryUnit.MONTH),
        (600_000, 800_000, SalaryUnit.YEAR),
        (800, 2000, SalaryUnit.DAY),
        (100, 150, SalaryUnit.HOUR),
        (5000, 9000, SalaryUnit.PIECE),
    ],
)
def test_high_but_believable_pay_is_not_flagged(
    low: float | None, high: float, unit: SalaryUnit
) -> None:
    assert check_posting(stated_pay(low, high, unit)) == []


def test_one_pay_finding_at_most_the_legal_floor_first_then_the_reference() -> None:
    below = check_posting(stated_pay(100, 200, SalaryUnit.MONTH), REFERENCE)
    assert codes(below) == {"pay.below_minimum_wage"}
    above = check_posting(stated_pay(150_000, 200_000, SalaryUnit.MONTH), REFERENCE)
    assert codes(above) == {"pay.outlier_high"}  # says what similar jobs pay: more specific
    assert "4000–9000" in above[0].message


def test_titles_are_normalised_to_the_job_name() -> None:
    assert normalize_title("急招Java开发工程师（广州）") == "java开发工程师"
    assert normalize_title("普工-包吃住-长白班") == "普工"
    assert normalize_title("【急聘】 水产加工工") == "水产加工工"
    assert normalize_title("（）") == ""


def test_a_pay_range_needs_twenty_postings() -> None:
    assert pay_range([5000.0] * 19) is None
    reference = pay_range([float(v) for v in range(1000, 21000, 1000)])
    assert reference == PayRange(low=1950.0, high=19050.0, postings=20)


def _jobs(session: Session, count: int, start: int = 3000, **fields: object) -> None:
    for n in range(count):
        pay = start + 100 * n
        factories.job(
            session, salary=Salary(min=pay, max=pay + 1000, unit=SalaryUnit.MONTH), **fields
        )


def test_reference_is_drawn_from_real_postings_with_the_same_title_in_the_city(
    session: Session,
) -> None:
    published = {"status": JobStatus.PUBLISHED}
    _jobs(session, 15, title="水产加工工", **published)
    _jobs(session, 5, title="急招水产加工工（包吃住）", status=JobStatus.CLOSED)
    _jobs(session, 5, start=50_000, title="水产加工工")  # drafts: never real postings
    _jobs(session, 5, start=50_000, title="水产加工工", status=JobStatus.REJECTED)
    _jobs(session, 5, start=50_000, title="水产加工工", city="烟台市", **published)
    _jobs(session, 5, start=50_000, title="水产加工工组长", **published)
    session.commit()

    reference = reference_for(session, "水产加工工", "威海市")

    assert reference is not None
    assert reference.postings == 20
    assert 3500 <= reference.low < 3700
    assert 4700 < reference.high <= 4900
    assert reference_for(session, "水产加工工", "青岛市") is None
    assert reference_for(session, "水产加工工", None) is None


def test_reference_prefers_the_occupation_when_it_has_enough_postings(session: Session) -> None:
    published = {"status": JobStatus.PUBLISHED}
    _jobs(session, 20, start=8000, title="焊工", occupation_code="6-18-02-04", **published)
    _jobs(session, 20, start=4000, title="船舶电焊工", **published)
    _jobs(session, 3, start=4000, title="船舶电焊工", occupation_code="6-23-03-01", **published)
    session.commit()

    by_code = reference_for(session, "船舶电焊工", "威海市", "6-18-02-04")
    by_title = reference_for(session, "船舶电焊工", "威海市", "6-23-03-01")

    assert by_code is not None
    assert by_code.postings == 20
    assert by_code.low > 8000
    assert by_title is not None  # three coded postings are too few: the title decides
    assert by_title.postings == 23
    assert by_title.high < 8000
    assert reference_for(session, "船舶电焊工", "威海市") == by_title
    assert reference_for(session, "船舶装配工", "威海市") is None


# -- the CLI -----------------------------------------------------------------------------------


def test_cli_reports_counts_and_a_sample_with_the_words(app: Flask, tmp_path: Path) -> None:
    rows = [posting(n, title="水产加工工") for n in range(1, 25)]
    rows.append(posting(30, title="水产加工工", description="限男性，入职需交押金200元"))
    rows.append(posting(31, title="水产加工工", description="年龄18-30岁，男女不限"))
    rows.append(posting(32, title="水产加工工", salary_min="2000", salary_max="2400"))
    path = write_csv(tmp_path / "jobs.csv", rows)
    runner = app.test_cli_runner()

    result = runner.invoke(args=["jobs", "check-postings", str(path), "--sample", "5"])
    assert result.exit_code == 0, result.output
    assert "rows: 27 (unreadable: 0)" in result.output
    assert "flagged: 3 (11.1%); blocking: 1, review only: 2" in result.output
    assert "【限男性】" in result.output
    assert "【押金】" in result.output
    assert "pay.outlier_low" in result.output

    result = runner.invoke(args=["jobs", "check-postings", str(path), "--json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert counts["codes"] == {
        "discrimination.gender": 1,
        "fee.deposit": 1,
        "discrimination.age": 1,
        "pay.outlier_low": 1,
    }
    assert (counts["rows"], counts["flagged"], counts["blocking"]) == (27, 3, 1)


# -- real postings -------------------------------------------------------------------------------


def test_cli_runs_on_real_postings(app: Flask, tmp_path: Path) -> None:
    """A few thousand real rows through the command a user runs (the copy stays in tmp_path)."""
    jobs_csv = data_file("jobs_jobhunting/jobs.csv")
    subset = tmp_path / "jobs_subset.csv"
    with (
        jobs_csv.open(encoding="utf-8", newline="") as source,
        subset.open("w", encoding="utf-8", newline="") as target,
    ):
        writer = csv.writer(target)
        writer.writerows(islice(csv.reader(source), 5001))
    result = app.test_cli_runner().invoke(args=["jobs", "check-postings", str(subset), "--json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert counts["rows"] == 5000
    assert 0 < counts["flagged"] < 0.10 * counts["rows"]


def test_checks_on_all_real_postings_flag_few_and_quote_their_text() -> None:
    report = check_file(data_file("jobs_jobhunting/jobs.csv"))
    assert report.rows > 35_000
    assert report.unreadable < 20
    flagged = len(report.flagged)
    # young-only age limits are common in real postings; everything else is rare
    assert 0.01 * report.rows < flagged < 0.08 * report.rows
    assert 20 < report.blocking < 0.01 * report.rows
    assert report.codes["discrimination.gender"] >= 20
    assert report.codes["discrimination.age"] > 500
    assert report.codes["fee.unclear"] < 20
    for row in report.flagged:
        for finding in row.findings:
            text = getattr(row.draft, finding.field, "")
            assert all(word in text for word in finding.words), (row.source_id, finding)
