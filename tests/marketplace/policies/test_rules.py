"""The condition language: every operator, three-valued logic, Chinese explanations, facts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from marketplace.policies import rules
from marketplace.policies.rules import RuleError, Verdict, evaluate


def pred(field: str, op: str, value: Any) -> dict[str, Any]:
    return {"field": field, "op": op, "value": value}


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        ("==", 30, 30, True),
        ("==", 30, 31, False),
        ("!=", 30, 31, True),
        ("!=", 30, 30, False),
        ("<", 30, 29, True),
        ("<", 30, 30, False),
        ("<=", 30, 30, True),
        ("<=", 30, 31, False),
        (">", 30, 31, True),
        (">", 30, 30, False),
        (">=", 30, 30, True),
        (">=", 30, 29, False),
        ("between", [16, 24], 16, True),
        ("between", [16, 24], 24, True),
        ("between", [16, 24], 15, False),
        ("between", [16, 24], 25, False),
        ("in", [18, 20], 20, True),
        ("in", [18, 20], 19, False),
    ],
)
def test_number_operators(op: str, value: Any, actual: int, expected: bool) -> None:
    assert evaluate(pred("age", op, value), {"age": actual}).value is expected


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        (">=", "bachelor", "doctorate", True),
        (">=", "bachelor", "bachelor", True),
        (">=", "bachelor", "associate", False),
        (">", "bachelor", "bachelor", False),
        ("<=", "senior_high", "junior_middle", True),
        ("<", "senior_high", "senior_high", False),
        ("==", "master", "master", True),
        ("!=", "master", "master", False),
        ("between", ["bachelor", "master"], "master", True),
        ("between", ["bachelor", "master"], "doctorate", False),
        ("in", ["master", "doctorate"], "bachelor", False),
    ],
)
def test_education_compares_by_the_scale_not_the_spelling(
    op: str, value: Any, actual: str, expected: bool
) -> None:
    assert evaluate(pred("education", op, value), {"education": actual}).value is expected


def test_contains_on_target_groups() -> None:
    rule = pred("target_groups", "contains", "graduate")
    assert evaluate(rule, {"target_groups": ["migrant_worker", "graduate"]}).value is True
    failed = evaluate(rule, {"target_groups": ["migrant_worker"]})
    assert failed.value is False
    assert failed.failures == ("要求属于高校毕业生，您的资料中未选择该人群",)


def test_flags_compare_with_true_and_false() -> None:
    rule = pred("employer.social_insurance", "==", True)
    assert evaluate(rule, {"employer.social_insurance": True}).value is True
    failed = evaluate(rule, {"employer.social_insurance": False})
    assert failed.value is False
    assert failed.failures == ("要求单位为本人缴纳社会保险，您的情况为“否”",)
    assert evaluate(pred("starting_business", "!=", True), {"starting_business": False}).value


def test_an_unknown_fact_leaves_the_predicate_undecided_and_named() -> None:
    verdict = evaluate(pred("graduation_years_ago", "<=", 2), {})
    assert verdict == Verdict(None, unknown=("graduation_years_ago",))
    assert rules.missing_words(verdict.unknown) == ("毕业年份",)


def test_all_is_false_when_one_fails_even_if_others_are_unknown() -> None:
    rule = {"all": [pred("age", "<=", 24), pred("graduation_year", ">=", 2024)]}
    verdict = evaluate(rule, {"age": 40})
    assert verdict.value is False
    assert verdict.failures == ("要求年龄不超过 24 岁，您的年龄为 40 岁",)


def test_all_is_undecided_when_nothing_fails_and_something_is_unknown() -> None:
    rule = {
        "all": [
            pred("education", ">=", "bachelor"),
            pred("graduation_year", ">=", 2024),
            pred("employer.social_insurance", "==", True),
        ]
    }
    verdict = evaluate(rule, {"education": "master"})
    assert verdict.value is None
    assert rules.missing_words(verdict.unknown) == ("毕业年份", "社保缴纳证明")


def test_any_is_true_when_one_holds_whatever_the_others() -> None:
    rule = {"any": [pred("home_in_weihai", "==", True), pred("graduated_in_weihai", "==", True)]}
    assert evaluate(rule, {"graduated_in_weihai": True}).value is True
    assert evaluate(rule, {"home_in_weihai": False}).unknown == ("graduated_in_weihai",)
    failed = evaluate(rule, {"home_in_weihai": False, "graduated_in_weihai": False})
    assert failed.value is False
    assert failed.failures == ("须满足其一：家乡在威海；或 毕业于驻威高校",)


def test_not_inverts_and_explains_what_must_not_hold() -> None:
    rule = {"not": pred("target_groups", "contains", "veteran")}
    assert evaluate(rule, {"target_groups": []}).value is True
    failed = evaluate(rule, {"target_groups": ["veteran"]})
    assert failed.value is False
    assert failed.failures == ("不得满足：属于退役军人",)
    assert evaluate({"not": pred("age", ">", 60)}, {}).value is None


def test_a_predicate_may_carry_its_own_wording() -> None:
    rule = {**pred("age", "between", [16, 24]), "text": "16–24 岁青年"}
    assert evaluate(rule, {"age": 30}).failures == ("要求16–24 岁青年，您的年龄为 30 岁",)


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        (pred("education", ">=", "bachelor"), "学历为本科及以上"),
        (pred("age", "between", [16, 24]), "年龄在 16–24 岁之间"),
        (pred("graduation_years_ago", "<=", 2), "毕业年限不超过 2 年"),
        (pred("age", "in", [18, 20]), "年龄为 18 岁、20 岁之一"),
        (pred("employer.non_public", "==", False), "不在威海市非公有制企业就业"),
        (
            {"all": [pred("age", ">=", 16), pred("age", "<", 25)]},
            "年龄不低于 16 岁，且年龄低于 25 岁",
        ),
    ],
)
def test_conditions_read_as_chinese_requirements(condition: dict[str, Any], words: str) -> None:
    assert rules.describe(condition) == words


@pytest.mark.parametrize(
    ("condition", "path"),
    [
        ([], "rule"),
        ({"all": []}, "rule.all"),
        ({"all": [pred("age", ">=", 16)], "any": []}, "rule"),
        ({"any": [{"field": "age", "op": ">="}]}, "rule.any[0]"),
        (pred("salary", ">=", 1), "rule.field"),
        (pred("target_groups", ">=", "graduate"), "rule.op"),
        (pred("age", ">=", "16"), "rule.value"),
        (pred("age", "between", [24, 16]), "rule.value"),
        (pred("age", "between", [16]), "rule.value"),
        (pred("age", "in", []), "rule.value"),
        (pred("education", ">=", "本科"), "rule.value"),
        (pred("target_groups", "contains", "students"), "rule.value"),
        (pred("employer.non_public", "==", "yes"), "rule.value"),
        ({**pred("age", ">=", 16), "extra": 1}, "rule"),
        ({"not": pred("age", ">=", True)}, "rule.not.value"),
        ({**pred("age", ">=", 16), "text": 3}, "rule.text"),
    ],
)
def test_malformed_conditions_are_refused_with_their_place(condition: Any, path: str) -> None:
    with pytest.raises(RuleError) as caught:
        rules.validate(condition)
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(2002, 11, 26), date(2026, 11, 25), 23),
        (date(2002, 11, 26), date(2026, 11, 26), 24),  # the birthday itself
        (date(2001, 11, 26), date(2026, 11, 25), 24),
        (date(2001, 11, 26), date(2026, 11, 26), 25),  # 24 → 25 on the birthday
        (date(2010, 11, 26), date(2026, 11, 25), 15),
        (date(2010, 11, 26), date(2026, 11, 26), 16),  # turning 16
        (date(2004, 2, 29), date(2025, 2, 28), 20),
        (date(2004, 2, 29), date(2025, 3, 1), 21),
    ],
)
def test_age_counts_full_years_and_turns_on_the_birthday(born: date, day: date, age: int) -> None:
    assert rules.age_on(born, day) == age


def test_youth_rule_holds_from_the_16th_birthday_to_the_day_before_the_25th() -> None:
    rule = pred("age", "between", [16, 24])
    born = date(2001, 11, 26)

    def on(day: date) -> bool | None:
        facts = rules.seeker_facts(
            day=day, birth_date=born, education=None, graduation_year=None, target_groups=[]
        )
        return evaluate(rule, facts).value

    assert on(date(2017, 11, 25)) is False
    assert on(date(2017, 11, 26)) is True
    assert on(date(2026, 11, 25)) is True
    assert on(date(2026, 11, 26)) is False


def test_seeker_facts_mark_the_unstated_as_unknown() -> None:
    facts = rules.seeker_facts(
        day=date(2026, 11, 26),
        birth_date=None,
        education="not-a-level",
        graduation_year=2024,
        target_groups=None,
        home_codes=(None, "371082104"),
        declared={"employer.non_public": True, "age": True, "bogus": True},
    )
    assert facts["age"] is None
    assert facts["education"] is None
    assert facts["graduation_years_ago"] == 2
    assert facts["target_groups"] == []
    assert facts["home_in_weihai"] is True
    assert facts["employer.non_public"] is True
    assert "bogus" not in facts
    elsewhere = rules.seeker_facts(
        day=date(2026, 11, 26),
        birth_date=None,
        education=None,
        graduation_year=None,
        target_groups=[],
        home_codes=("370602",),
    )
    assert elsewhere["home_in_weihai"] is False
    assert elsewhere["graduation_years_ago"] is None
    no_home = rules.seeker_facts(
        day=date(2026, 11, 26),
        birth_date=None,
        education=None,
        graduation_year=None,
        target_groups=[],
    )
    assert no_home["home_in_weihai"] is None
