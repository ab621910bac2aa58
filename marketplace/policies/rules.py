"""Eligibility rules as data: a small condition language over a seeker's facts, and its evaluation.

Pure: no flask, no SQL. A condition is `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}` or a
predicate `{"field": ..., "op": ..., "value": ...}`. Evaluation is three-valued: a fact nobody
has stated makes a predicate *unknown*, so a policy can say "missing" instead of "not eligible".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from indexer.education import EducationLevel


class Kind(Enum):
    NUMBER = "number"
    EDUCATION = "education"  # an EducationLevel code, compared by the scale's order
    GROUPS = "groups"  # a list of TargetGroup values
    FLAG = "flag"  # yes / no


@dataclass(frozen=True)
class Fact:
    """A fact a condition may test: how it reads in Chinese and where it comes from."""

    name: str
    label: str
    kind: Kind
    # "profile": read from the seeker's profile; "declared": the seeker states it on the policy page
    source: str = "profile"
    unit: str = ""
    # what the seeker is asked for when the fact is unknown: a profile field or a proof document
    missing: str = ""


FACTS: dict[str, Fact] = {
    fact.name: fact
    for fact in (
        Fact("age", "年龄", Kind.NUMBER, unit=" 岁", missing="出生日期"),
        Fact("education", "学历", Kind.EDUCATION, missing="学历"),
        Fact("graduation_year", "毕业年份", Kind.NUMBER, missing="毕业年份"),
        Fact("graduation_years_ago", "毕业年限", Kind.NUMBER, unit=" 年", missing="毕业年份"),
        Fact("target_groups", "人群类别", Kind.GROUPS, missing="人群类别"),
        Fact("home_in_weihai", "家乡在威海", Kind.FLAG, missing="家乡所在地"),
        Fact(
            "graduated_in_weihai",
            "毕业于驻威高校",
            Kind.FLAG,
            source="declared",
            missing="毕业证书（驻威高校）",
        ),
        Fact(
            "employer.non_public",
            "在威海市非公有制企业就业",
            Kind.FLAG,
            source="declared",
            missing="劳动合同",
        ),
        Fact(
            "employer.social_insurance",
            "单位为本人缴纳社会保险",
            Kind.FLAG,
            source="declared",
            missing="社保缴纳证明",
        ),
        Fact(
            "flexible_employment",
            "从事新就业形态灵活就业（外卖、快递、网约车等）",
            Kind.FLAG,
            source="declared",
            missing="平台从业证明",
        ),
        Fact(
            "starting_business",
            "正在创业或已办理营业执照",
            Kind.FLAG,
            source="declared",
            missing="营业执照或创业计划书",
        ),
        Fact(
            "internship_base",
            "在本市见习基地参加见习",
            Kind.FLAG,
            source="declared",
            missing="见习协议",
        ),
    )
}

DECLARED_FACTS = tuple(fact for fact in FACTS.values() if fact.source == "declared")

# Labels of the target groups (the values of SeekerProfile.target_groups); kept here so that
# the rules stay free of the web layer.
GROUP_LABELS = {
    "graduate": "高校毕业生",
    "migrant_worker": "农民工",
    "employment_difficulty": "就业困难人员",
    "youth_16_24": "16–24 岁失业青年",
    "zero_employment_household": "零就业家庭成员",
    "disabled": "残疾人",
    "veteran": "退役军人",
}

EDUCATION_CODES = tuple(level.code for level in EducationLevel)

OPS_BY_KIND = {
    Kind.NUMBER: {"==", "!=", "<", "<=", ">", ">=", "between", "in"},
    Kind.EDUCATION: {"==", "!=", "<", "<=", ">", ">=", "between", "in"},
    Kind.GROUPS: {"contains"},
    Kind.FLAG: {"==", "!="},
}


class RuleError(ValueError):
    """A condition that is not well formed; `path` says where (e.g. "all[1].value")."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


# --- validation ---------------------------------------------------------------------------------


def validate(condition: Any, path: str = "rule") -> None:
    """Raise RuleError unless `condition` is a well-formed condition."""
    if not isinstance(condition, Mapping):
        raise RuleError(path, "须为对象（all / any / not 或 field/op/value）")
    combinators = [key for key in ("all", "any", "not") if key in condition]
    if combinators:
        if len(condition) != 1:
            raise RuleError(path, f"{combinators[0]} 不能与其他键并列：{sorted(condition)}")
        key = combinators[0]
        if key == "not":
            validate(condition["not"], f"{path}.not")
            return
        children = condition[key]
        if not isinstance(children, list) or not children:
            raise RuleError(f"{path}.{key}", "须为非空列表")
        for index, child in enumerate(children):
            validate(child, f"{path}.{key}[{index}]")
        return
    _validate_predicate(condition, path)


def _validate_predicate(predicate: Mapping[str, Any], path: str) -> None:
    extra = set(predicate) - {"field", "op", "value", "text"}
    if extra:
        raise RuleError(path, f"未知的键：{sorted(extra)}")
    for key in ("field", "op", "value"):
        if key not in predicate:
            raise RuleError(path, f"缺少 {key}")
    name = predicate["field"]
    if name not in FACTS:
        raise RuleError(f"{path}.field", f"未知的条件字段 {name!r}（可用：{', '.join(FACTS)}）")
    kind = FACTS[name].kind
    op = predicate["op"]
    if op not in OPS_BY_KIND[kind]:
        allowed = ", ".join(sorted(OPS_BY_KIND[kind]))
        raise RuleError(f"{path}.op", f"{name} 不支持运算 {op!r}（可用：{allowed}）")
    value = predicate["value"]
    values_path = f"{path}.value"
    if op == "between":
        if not isinstance(value, list) or len(value) != 2:
            raise RuleError(values_path, "between 须为两个值的列表 [下限, 上限]")
        for item in value:
            _validate_scalar(kind, item, values_path)
        if _order(kind, value[0]) > _order(kind, value[1]):
            raise RuleError(values_path, "between 的下限大于上限")
    elif op == "in":
        if not isinstance(value, list) or not value:
            raise RuleError(values_path, "in 须为非空列表")
        for item in value:
            _validate_scalar(kind, item, values_path)
    else:
        _validate_scalar(kind, value, values_path)
    if "text" in predicate and not isinstance(predicate["text"], str):
        raise RuleError(f"{path}.text", "须为文字")


def _validate_scalar(kind: Kind, value: Any, path: str) -> None:
    if kind is Kind.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RuleError(path, f"须为数字，而不是 {value!r}")
    elif kind is Kind.EDUCATION:
        if value not in EDUCATION_CODES:
            codes = ", ".join(EDUCATION_CODES)
            raise RuleError(path, f"未知的学历 {value!r}（可用：{codes}）")
    elif kind is Kind.GROUPS:
        if value not in GROUP_LABELS:
            raise RuleError(path, f"未知的人群 {value!r}（可用：{', '.join(GROUP_LABELS)}）")
    elif not isinstance(value, bool):
        raise RuleError(path, f"须为 true 或 false，而不是 {value!r}")


def _order(kind: Kind, value: Any) -> float:
    if kind is Kind.EDUCATION:
        return float(EducationLevel.from_code(value))
    return float(value)


# --- evaluation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """True, False or None (undecided for want of facts), and why."""

    value: bool | None
    # facts whose absence left the condition undecided (only when value is None)
    unknown: tuple[str, ...] = ()
    # the unmet requirements in Chinese (only when value is False)
    failures: tuple[str, ...] = field(default=())


def evaluate(condition: Mapping[str, Any], facts: Mapping[str, Any]) -> Verdict:
    """Evaluate a validated condition; a fact that is absent or None is unknown."""
    if "all" in condition:
        verdicts = [evaluate(child, facts) for child in condition["all"]]
        failed = [v for v in verdicts if v.value is False]
        if failed:
            return Verdict(False, failures=_merge(v.failures for v in failed))
        undecided = [v for v in verdicts if v.value is None]
        if undecided:
            return Verdict(None, unknown=_merge(v.unknown for v in undecided))
        return Verdict(True)
    if "any" in condition:
        verdicts = [evaluate(child, facts) for child in condition["any"]]
        if any(v.value is True for v in verdicts):
            return Verdict(True)
        undecided = [v for v in verdicts if v.value is None]
        if undecided:
            return Verdict(None, unknown=_merge(v.unknown for v in undecided))
        options = "；或 ".join(describe(child) for child in condition["any"])
        return Verdict(False, failures=(f"须满足其一：{options}",))
    if "not" in condition:
        inner = evaluate(condition["not"], facts)
        if inner.value is None:
            return inner
        if inner.value:
            return Verdict(False, failures=(f"不得满足：{describe(condition['not'])}",))
        return Verdict(True)
    return _evaluate_predicate(condition, facts)


def _merge(groups: Any) -> tuple[str, ...]:
    merged: dict[str, None] = {}
    for group in groups:
        merged.update(dict.fromkeys(group))
    return tuple(merged)


def _evaluate_predicate(predicate: Mapping[str, Any], facts: Mapping[str, Any]) -> Verdict:
    name = predicate["field"]
    fact = FACTS[name]
    actual = facts.get(name)
    if actual is None:
        return Verdict(None, unknown=(name,))
    if _holds(fact.kind, predicate["op"], actual, predicate["value"]):
        return Verdict(True)
    reason = f"要求{describe(predicate)}，{_actual_words(fact, actual)}"
    return Verdict(False, failures=(reason,))


def _holds(kind: Kind, op: str, actual: Any, expected: Any) -> bool:
    if kind is Kind.GROUPS:
        return expected in actual
    if kind is Kind.FLAG:
        return (bool(actual) == expected) is (op == "==")
    left = _order(kind, actual)
    if op == "between":
        return _order(kind, expected[0]) <= left <= _order(kind, expected[1])
    if op == "in":
        return any(left == _order(kind, item) for item in expected)
    right = _order(kind, expected)
    comparisons = {
        "==": left == right,
        "!=": left != right,
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }
    return comparisons[op]


# --- Chinese words ------------------------------------------------------------------------------


def _value_words(kind: Kind, value: Any, unit: str = "") -> str:
    if kind is Kind.EDUCATION:
        return EducationLevel.from_code(value).label
    if kind is Kind.GROUPS:
        return GROUP_LABELS.get(value, str(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}{unit}"


def describe(condition: Mapping[str, Any]) -> str:
    """A condition as a Chinese requirement: 学历为本科及以上, 年龄在 16–24 岁之间 ..."""
    if "text" in condition:
        return str(condition["text"])
    if "all" in condition:
        return "，且".join(describe(child) for child in condition["all"])
    if "any" in condition:
        return "（" + "，或".join(describe(child) for child in condition["any"]) + "）"
    if "not" in condition:
        return f"不满足（{describe(condition['not'])}）"
    fact = FACTS[condition["field"]]
    op, value = condition["op"], condition["value"]
    if fact.kind is Kind.FLAG:
        return fact.label if (op == "==") is value else f"不{fact.label}"
    if fact.kind is Kind.GROUPS:
        return f"属于{_value_words(fact.kind, value)}"
    if op == "between":
        low = _value_words(fact.kind, value[0])
        high = _value_words(fact.kind, value[1], fact.unit)
        return f"{fact.label}在 {low}–{high}之间"
    if op == "in":
        options = "、".join(_value_words(fact.kind, item, fact.unit) for item in value)
        return f"{fact.label}为{_gap(fact)}{options}之一"
    words = _value_words(fact.kind, value, fact.unit)
    if fact.kind is Kind.EDUCATION:
        phrases = {
            ">=": f"{fact.label}为{words}及以上",
            ">": f"{fact.label}高于{words}",
            "<=": f"{fact.label}为{words}及以下",
            "<": f"{fact.label}低于{words}",
        }
    else:
        phrases = {
            ">=": f"{fact.label}不低于 {words}",
            ">": f"{fact.label}高于 {words}",
            "<=": f"{fact.label}不超过 {words}",
            "<": f"{fact.label}低于 {words}",
        }
    phrases["=="] = f"{fact.label}为{_gap(fact)}{words}"
    phrases["!="] = f"{fact.label}不为{_gap(fact)}{words}"
    return phrases[op]


def _actual_words(fact: Fact, actual: Any) -> str:
    if fact.kind is Kind.GROUPS:
        return "您的资料中未选择该人群"
    if fact.kind is Kind.FLAG:
        return "您的情况为“是”" if actual else "您的情况为“否”"
    return f"您的{fact.label}为{_gap(fact)}{_value_words(fact.kind, actual, fact.unit)}"


def _gap(fact: Fact) -> str:
    # a space between Chinese and digits (为 40 岁), none before a word (为本科)
    return " " if fact.kind is Kind.NUMBER else ""


def missing_words(unknown: Sequence[str]) -> tuple[str, ...]:
    """What to ask for, in Chinese, for the unknown facts (duplicates folded: 毕业年份 once)."""
    return tuple(dict.fromkeys(FACTS[name].missing or FACTS[name].label for name in unknown))


# --- facts --------------------------------------------------------------------------------------


def age_on(birth_date: date, day: date) -> int:
    """Full years on `day`: one more on the birthday itself (29 Feb birthdays turn on 1 Mar)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def seeker_facts(
    *,
    day: date,
    birth_date: date | None,
    education: str | None,
    graduation_year: int | None,
    target_groups: Sequence[str] | None,
    home_codes: Sequence[str | None] = (),
    declared: Mapping[str, bool] | None = None,
    weihai_prefix: str = "3710",
) -> dict[str, Any]:
    """The facts rules test, from a profile's values on `day`; None marks what nobody has stated."""
    codes = [code for code in home_codes if code]
    facts: dict[str, Any] = {
        "age": age_on(birth_date, day) if birth_date else None,
        # a code off the scale (an old value) counts as not stated rather than breaking the page
        "education": education if education in EDUCATION_CODES else None,
        "graduation_year": graduation_year,
        "graduation_years_ago": day.year - graduation_year if graduation_year else None,
        # an empty list is a stated answer ("none of these"), not an unknown
        "target_groups": list(target_groups or []),
        "home_in_weihai": any(code.startswith(weihai_prefix) for code in codes) if codes else None,
    }
    for name, value in (declared or {}).items():
        if name in FACTS and FACTS[name].source == "declared":
            facts[name] = bool(value)
    return facts
