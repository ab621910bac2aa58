"""Every built-in policy against a handful of people, evaluated as the site does (no database)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from marketplace.policies import rules, spec

DAY = date(2026, 6, 1)
POLICIES = {item.code: item for item in spec.read_file(spec.BUILTIN_FILE)}
RONGCHENG = "371082"
RUSHAN = "371083"
JINAN = "370102"


def outcome(code: str, **profile: Any) -> tuple[str, tuple[str, ...]]:
    """('eligible' | 'missing' | 'ineligible', what is missing or why not)."""
    declared = profile.pop("declared", {})
    facts = rules.seeker_facts(
        day=profile.pop("day", DAY),
        birth_date=profile.get("birth_date"),
        education=profile.get("education"),
        graduation_year=profile.get("graduation_year"),
        target_groups=profile.get("target_groups", []),
        home_codes=(profile.get("home"),),
        declared=declared,
    )
    verdict = rules.evaluate(POLICIES[code].rule, facts)
    if verdict.value is True:
        return "eligible", ()
    if verdict.value is None:
        return "missing", rules.missing_words(verdict.unknown)
    return "ineligible", verdict.failures


PHD_2025 = {
    "birth_date": date(1996, 5, 4),
    "education": "doctorate",
    "graduation_year": 2025,
    "target_groups": ["graduate"],
    "home": RONGCHENG,
}
EMPLOYED = {"employer.non_public": True, "employer.social_insurance": True}
YOUTH_20 = {
    "birth_date": date(2006, 3, 1),
    "education": "senior_high",
    "target_groups": ["youth_16_24"],
    "home": RUSHAN,
}
MIGRANT_40 = {
    "birth_date": date(1986, 2, 1),
    "education": "junior_middle",
    "target_groups": ["migrant_worker"],
    "home": RUSHAN,
}
BACHELOR_2020_JINAN = {
    "birth_date": date(1998, 9, 1),
    "education": "bachelor",
    "graduation_year": 2020,
    "target_groups": ["graduate"],
    "home": JINAN,
}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("graduate-living-allowance", ("eligible", ())),
        ("return-stay-subsidy", ("eligible", ())),
        ("internship-subsidy", ("missing", ("见习协议",))),
        (
            "hire-difficulty-social-insurance",
            ("ineligible", ("要求属于就业困难人员，您的资料中未选择该人群",)),
        ),
        ("hire-graduate-social-insurance", ("eligible", ())),
        ("flexible-accident-insurance", ("missing", ("平台从业证明",))),
        ("startup-guarantee-loan", ("missing", ("营业执照或创业计划书",))),
        ("incubator-free-space", ("missing", ("营业执照或创业计划书",))),
    ],
)
def test_a_phd_of_2025_from_rongcheng_working_in_a_private_firm(
    code: str, expected: tuple[str, tuple[str, ...]]
) -> None:
    assert outcome(code, **PHD_2025, declared=EMPLOYED) == expected


def test_the_phd_gets_the_top_tiers() -> None:
    assert spec.amount_words(POLICIES["graduate-living-allowance"].amount, "doctorate") == (
        "每月 5000 元（博士）"
    )
    assert spec.amount_words(POLICIES["return-stay-subsidy"].amount, "doctorate") == (
        "一次性 1 万元（博士）"
    )
    assert spec.amount_words(POLICIES["return-stay-subsidy"].amount, "bachelor") == (
        "一次性 3000 元（本科）"
    )


def test_without_declaring_the_job_the_living_allowance_says_what_is_missing() -> None:
    assert outcome("graduate-living-allowance", **PHD_2025) == (
        "missing",
        ("劳动合同", "社保缴纳证明"),
    )


def test_a_public_sector_job_rules_out_the_living_allowance() -> None:
    status, reasons = outcome(
        "graduate-living-allowance",
        **PHD_2025,
        declared={"employer.non_public": False, "employer.social_insurance": True},
    )
    assert status == "ineligible"
    assert reasons == ("要求在威海市非公有制企业就业，您的情况为“否”",)


def test_public_welfare_posts_are_not_for_the_phd() -> None:
    status, reasons = outcome("public-welfare-posts", **PHD_2025)
    assert status == "ineligible"
    assert reasons[0].startswith("须满足其一：属于就业困难人员")


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("graduate-living-allowance", "ineligible"),
        ("return-stay-subsidy", "ineligible"),
        ("internship-subsidy", "missing"),
        ("public-welfare-posts", "eligible"),
        ("startup-guarantee-loan", "ineligible"),
        ("incubator-free-space", "ineligible"),
        ("flexible-accident-insurance", "missing"),
    ],
)
def test_an_unemployed_twenty_year_old(code: str, status: str) -> None:
    assert outcome(code, **YOUTH_20)[0] == status


def test_the_youth_post_ends_on_the_25th_birthday() -> None:
    born = {**YOUTH_20, "birth_date": date(2001, 11, 26)}
    assert outcome("public-welfare-posts", **born, day=date(2026, 11, 25))[0] == "eligible"
    status, reasons = outcome("public-welfare-posts", **born, day=date(2026, 11, 26))
    assert status == "ineligible"
    assert "年龄在 16–24 岁之间" in reasons[0]


def test_a_youth_without_a_birth_date_is_asked_for_it() -> None:
    assert outcome("public-welfare-posts", **{**YOUTH_20, "birth_date": None}) == (
        "missing",
        ("出生日期",),
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("graduate-living-allowance", "ineligible"),
        ("return-stay-subsidy", "ineligible"),
        ("internship-subsidy", "ineligible"),
        ("public-welfare-posts", "ineligible"),
        ("startup-guarantee-loan", "missing"),
        ("incubator-free-space", "missing"),
        ("flexible-accident-insurance", "missing"),
    ],
)
def test_a_forty_year_old_migrant_worker(code: str, status: str) -> None:
    assert outcome(code, **MIGRANT_40)[0] == status


@pytest.mark.parametrize(
    "code", ["startup-guarantee-loan", "incubator-free-space", "flexible-accident-insurance"]
)
def test_the_migrant_worker_starting_a_business_and_riding_for_a_platform(code: str) -> None:
    declared = {"starting_business": True, "flexible_employment": True}
    assert outcome(code, **MIGRANT_40, declared=declared) == ("eligible", ())


def test_a_jinan_graduate_of_2020_needs_a_weihai_university_for_the_stay_subsidy() -> None:
    assert outcome("return-stay-subsidy", **BACHELOR_2020_JINAN) == (
        "missing",
        ("毕业证书（驻威高校）",),
    )
    declared = {"graduated_in_weihai": False}
    assert outcome("return-stay-subsidy", **BACHELOR_2020_JINAN, declared=declared) == (
        "ineligible",
        ("须满足其一：家乡在威海；或 毕业于驻威高校",),
    )
    declared = {"graduated_in_weihai": True}
    assert outcome("return-stay-subsidy", **BACHELOR_2020_JINAN, declared=declared)[0] == (
        "eligible"
    )


@pytest.mark.parametrize(("graduated", "status"), [(2024, "eligible"), (2023, "ineligible")])
def test_hiring_a_graduate_counts_within_two_years_of_leaving_school(
    graduated: int, status: str
) -> None:
    profile = {**BACHELOR_2020_JINAN, "graduation_year": graduated}
    assert outcome("hire-graduate-social-insurance", **profile)[0] == status


def test_a_graduate_without_a_graduation_year_is_asked_for_it() -> None:
    profile = {**BACHELOR_2020_JINAN, "graduation_year": None}
    assert outcome("hire-graduate-social-insurance", **profile) == ("missing", ("毕业年份",))


def test_the_employer_side_policies_end_with_the_tax_measures_and_the_rest_run_to_2026() -> None:
    today = date(2026, 11, 26)
    for item in POLICIES.values():
        offered = spec.in_force(item.valid_from, item.valid_to, today)
        assert offered is (item.side == "seeker"), item.code
    assert POLICIES["hire-graduate-social-insurance"].valid_to == date(2025, 12, 31)
