"""The policy file: validation errors name the entry and field; amounts in words; date windows."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from marketplace.policies import spec
from marketplace.policies.spec import PolicyFileError
from tests.marketplace.policies.conftest import policy_entry


def errors_of(*entries: Any) -> list[str]:
    with pytest.raises(PolicyFileError) as caught:
        spec.parse({"policies": list(entries)})
    return caught.value.errors


def test_the_built_in_file_is_valid_and_has_the_plans_policies() -> None:
    specs = {item.code: item for item in spec.read_file(spec.BUILTIN_FILE)}
    assert set(specs) == {
        "graduate-living-allowance",
        "return-stay-subsidy",
        "internship-subsidy",
        "hire-difficulty-social-insurance",
        "hire-graduate-social-insurance",
        "flexible-accident-insurance",
        "startup-guarantee-loan",
        "incubator-free-space",
        "public-welfare-posts",
    }
    assert {code for code, item in specs.items() if item.side == "employer"} == {
        "hire-difficulty-social-insurance",
        "hire-graduate-social-insurance",
    }
    for item in specs.values():
        assert item.documents
        assert item.office
        assert item.phone
        assert item.valid_from == date(2023, 4, 20)
    living = specs["graduate-living-allowance"].amount
    assert [tier["yuan"] for tier in living["tiers"]] == [5000, 2000, 1000]
    assert living["unit"] == "month"
    stay = specs["return-stay-subsidy"].amount
    assert [tier["yuan"] for tier in stay["tiers"]] == [10000, 5000, 3000]
    assert stay["unit"] == "once"
    assert specs["flexible-accident-insurance"].amount == {"unit": "year", "up_to": 100}


def test_a_good_entry_parses_into_a_spec() -> None:
    (item,) = spec.parse({"policies": [policy_entry(code="good-one", note="说明")]})
    assert item.code == "good-one"
    assert item.valid_to == date(2026, 12, 31)
    assert item.documents == ("居民身份证", "毕业证书")
    assert item.office == "威海市就业人才中心"
    assert item.note == "说明"


def test_an_entry_without_a_rule_is_open_to_its_whole_side() -> None:
    entry = policy_entry(code="open-one")
    del entry["rule"]
    (item,) = spec.parse({"policies": [entry]})
    assert item.rule == {"all": []}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": "Bad Code"}, "policies[0] (Bad Code) code: 须为 2–40 位小写字母、数字或连字符"),
        ({"name": " "}, "policies[0] (x-1) name: 须为非空文字"),
        ({"side": "company"}, "policies[0] (x-1) side: 须为 seeker 或 employer，而不是 'company'"),
        ({"valid_to": "2026-13-01"}, "policies[0] (x-1) valid_to: 须为 YYYY-MM-DD 日期"),
        ({"valid_from": 20230420}, "policies[0] (x-1) valid_from: 须为 YYYY-MM-DD 日期"),
        ({"valid_from": "2027-01-01"}, "policies[0] (x-1) valid_to: 早于 valid_from"),
        ({"amount": {"unit": "week", "yuan": 5}}, "policies[0] (x-1) amount.unit:"),
        ({"amount": {"unit": "month"}}, "policies[0] (x-1) amount: 须有 tiers"),
        ({"amount": {"unit": "once", "yuan": -5}}, "policies[0] (x-1) amount.yuan: 须为正整数"),
        ({"amount": {"unit": "once", "yuan": 5, "cap": 1}}, "policies[0] (x-1) amount: 未知的字段"),
        ({"amount": "1000元"}, "policies[0] (x-1) amount: 须为对象"),
        ({"amount": {"unit": "once", "description": 5}}, "amount.description: 须为文字"),
        (
            {"amount": {"unit": "once", "tiers": [{"education": "phd", "yuan": 1}]}},
            "policies[0] (x-1) amount.tiers[0].education: 须为学历编码",
        ),
        (
            {"amount": {"unit": "once", "tiers": [{"education": "master", "yuan": "5千"}]}},
            "policies[0] (x-1) amount.tiers[0].yuan: 须为正整数",
        ),
        ({"amount": {"unit": "once", "tiers": []}}, "amount.tiers: 须为非空列表"),
        ({"documents": "身份证"}, "policies[0] (x-1) documents: 须为文字列表"),
        ({"handled_by": {"office": "中心"}}, "policies[0] (x-1) handled_by: 须为 {office, phone}"),
        ({"note": 5}, "policies[0] (x-1) note: 须为文字"),
        ({"colour": "red"}, "policies[0] (x-1) 未知的字段：colour"),
        (
            {"rule": {"field": "age", "op": "between", "value": [24, 16]}},
            "policies[0] (x-1) rule.value: between 的下限大于上限",
        ),
        (
            {"rule": {"all": [{"field": "wage", "op": ">=", "value": 1}]}},
            "policies[0] (x-1) rule.all[0].field: 未知的条件字段 'wage'",
        ),
    ],
)
def test_errors_name_the_entry_and_the_field(fields: dict[str, Any], message: str) -> None:
    errors = errors_of(policy_entry(**{"code": "x-1", **fields}))
    assert any(message in error for error in errors), errors


def test_a_missing_field_is_named() -> None:
    entry = policy_entry(code="no-dates")
    del entry["valid_to"]
    assert errors_of(entry) == ["policies[0] (no-dates) valid_to: 缺少此字段"]


def test_every_bad_entry_is_reported_at_once_and_duplicates_are_caught() -> None:
    errors = errors_of(
        policy_entry(code="twin"),
        "not an object",
        policy_entry(code="twin"),
        policy_entry(side="x"),
    )
    assert "policies[1] 须为对象" in errors
    assert "policies[2] (twin) code: 重复的编码 'twin'" in errors
    assert any(error.startswith("policies[3]") and "side" in error for error in errors)


@pytest.mark.parametrize("data", [[], {"policy": []}, {"policies": {}}])
def test_a_file_of_the_wrong_shape_is_refused(data: Any) -> None:
    with pytest.raises(PolicyFileError, match="policies"):
        spec.parse(data)


def test_read_file_reports_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match="文件不存在"):
        spec.read_file(tmp_path / "none.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"policies": [', encoding="utf-8")
    with pytest.raises(PolicyFileError, match="不是有效的 JSON"):
        spec.read_file(broken)
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"policies": [policy_entry()]}), encoding="utf-8")
    assert len(spec.read_file(good)) == 1


@pytest.mark.parametrize(
    ("day", "offered"),
    [
        (date(2023, 4, 19), False),  # the day before valid_from
        (date(2023, 4, 20), True),  # valid_from
        (date(2026, 12, 31), True),  # valid_to
        (date(2027, 1, 1), False),  # the day after valid_to
    ],
)
def test_validity_is_inclusive_at_both_ends(day: date, offered: bool) -> None:
    assert spec.in_force(date(2023, 4, 20), date(2026, 12, 31), day) is offered


TIERS = {
    "unit": "month",
    "tiers": [
        {"education": "doctorate", "yuan": 5000},
        {"education": "master", "yuan": 2000},
        {"education": "bachelor", "yuan": 1000},
    ],
}


@pytest.mark.parametrize(
    ("amount", "education", "words"),
    [
        (TIERS, "master", "每月 2000 元（硕士）"),
        (TIERS, "doctorate", "每月 5000 元（博士）"),
        (TIERS, None, "每月：博士 5000 元 / 硕士 2000 元 / 本科 1000 元"),
        (TIERS, "associate", "每月：博士 5000 元 / 硕士 2000 元 / 本科 1000 元"),
        ({**TIERS, "unit": "once"}, "doctorate", "一次性 5000 元（博士）"),
        ({"unit": "once", "yuan": 10000}, None, "一次性 1 万元"),
        ({"unit": "year", "up_to": 100}, None, "每年最高 100 元"),
        ({"unit": "month", "yuan": 800, "max_periods": 12}, None, "每月 800 元，最长 12 个月"),
        ({"unit": "none", "description": "免费场地"}, None, "免费场地"),
        (
            {"unit": "none", "tiers": TIERS["tiers"]},
            None,
            "博士 5000 元 / 硕士 2000 元 / 本科 1000 元",
        ),
    ],
)
def test_amounts_read_in_words(amount: dict[str, Any], education: str | None, words: str) -> None:
    assert spec.amount_words(amount, education) == words
