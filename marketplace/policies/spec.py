"""The policy file: its shape, its validation (errors name the entry and field), amounts in words.

Pure: no flask, no SQL. The file is JSON: `{"source": ..., "policies": [ {...}, ... ]}`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from indexer.education import EducationLevel
from marketplace.policies import rules

BUILTIN_FILE = Path(__file__).resolve().parent / "data" / "weihai_2023.json"

SIDES = {"seeker": "个人申领", "employer": "单位申领"}
UNITS = {"month": "每月", "once": "一次性", "year": "每年", "loan": "贷款", "none": ""}
CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,39}")
REQUIRED = ("code", "name", "summary", "side", "target", "amount", "valid_from", "valid_to")
OPTIONAL = ("documents", "handled_by", "rule", "note")
AMOUNT_KEYS = {"unit", "tiers", "yuan", "up_to", "max_periods", "description"}


class PolicyFileError(ValueError):
    """The file cannot be loaded; `errors` lists every problem found, each naming its place."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class PolicySpec:
    code: str
    name: str
    summary: str
    side: str  # seeker / employer
    target: str  # who it is for, in words
    amount: dict[str, Any]
    valid_from: date  # Asia/Shanghai calendar dates, both inclusive
    valid_to: date
    documents: tuple[str, ...]
    office: str
    phone: str
    rule: dict[str, Any]
    note: str | None = None


def in_force(valid_from: date, valid_to: date, day: date) -> bool:
    """Offered on `day` (a local calendar date): from and to are both inclusive."""
    return valid_from <= day <= valid_to


def read_file(path: Path) -> list[PolicySpec]:
    """Read and validate a policy file; PolicyFileError lists what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise PolicyFileError([f"{path}: 文件不存在"]) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PolicyFileError([f"{path}: 不是有效的 JSON（{error}）"]) from error
    return parse(data)


def parse(data: Any) -> list[PolicySpec]:
    """Validate the decoded file and build its specs, or raise PolicyFileError with every error."""
    if not isinstance(data, Mapping) or not isinstance(data.get("policies"), list):
        raise PolicyFileError(['文件须为 {"policies": [...]} 形式的对象'])
    errors: list[str] = []
    specs: list[PolicySpec] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["policies"]):
        where = f"policies[{index}]"
        if isinstance(entry, Mapping) and isinstance(entry.get("code"), str):
            where += f" ({entry['code']})"
        problems: list[str] = []
        spec = _parse_entry(entry, problems)
        errors.extend(f"{where} {problem}" for problem in problems)
        if spec is not None:
            if spec.code in seen:
                errors.append(f"{where} code: 重复的编码 {spec.code!r}")
            seen.add(spec.code)
            specs.append(spec)
    if errors:
        raise PolicyFileError(errors)
    return specs


def _parse_entry(entry: Any, problems: list[str]) -> PolicySpec | None:
    if not isinstance(entry, Mapping):
        problems.append("须为对象")
        return None
    for key in REQUIRED:
        if key not in entry:
            problems.append(f"{key}: 缺少此字段")
    unknown = set(entry) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        problems.append(f"未知的字段：{', '.join(sorted(unknown))}")
    if problems:
        return None
    code = entry["code"]
    if not isinstance(code, str) or not CODE.fullmatch(code):
        problems.append("code: 须为 2–40 位小写字母、数字或连字符")
    for key in ("name", "summary", "target"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            problems.append(f"{key}: 须为非空文字")
    if entry["side"] not in SIDES:
        problems.append(f"side: 须为 {' 或 '.join(SIDES)}，而不是 {entry['side']!r}")
    valid_from = _date(entry["valid_from"], "valid_from", problems)
    valid_to = _date(entry["valid_to"], "valid_to", problems)
    if valid_from and valid_to and valid_from > valid_to:
        problems.append("valid_to: 早于 valid_from")
    _check_amount(entry["amount"], problems)
    documents = entry.get("documents", [])
    if not isinstance(documents, list) or not all(isinstance(d, str) and d for d in documents):
        problems.append("documents: 须为文字列表")
    handled_by = entry.get("handled_by", {})
    if not isinstance(handled_by, Mapping) or not all(
        isinstance(handled_by.get(key), str) and handled_by[key] for key in ("office", "phone")
    ):
        problems.append("handled_by: 须为 {office, phone} 两项文字")
    rule = entry.get("rule", {"all": []})
    try:
        if rule != {"all": []}:  # no rule: open to everyone in the policy's side
            rules.validate(rule)
    except rules.RuleError as error:
        problems.append(f"{error.path}: {error.message}")
    note = entry.get("note")
    if note is not None and not isinstance(note, str):
        problems.append("note: 须为文字")
    if problems or valid_from is None or valid_to is None:
        return None
    return PolicySpec(
        code=code,
        name=entry["name"].strip(),
        summary=entry["summary"].strip(),
        side=entry["side"],
        target=entry["target"].strip(),
        amount=dict(entry["amount"]),
        valid_from=valid_from,
        valid_to=valid_to,
        documents=tuple(documents),
        office=handled_by["office"],
        phone=handled_by["phone"],
        rule=dict(rule),
        note=note,
    )


def _date(value: Any, key: str, problems: list[str]) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(f"{key}: 须为 YYYY-MM-DD 日期，而不是 {value!r}")
    return None


def _check_amount(amount: Any, problems: list[str]) -> None:
    if not isinstance(amount, Mapping):
        problems.append("amount: 须为对象")
        return
    unknown = set(amount) - AMOUNT_KEYS
    if unknown:
        problems.append(f"amount: 未知的字段：{', '.join(sorted(unknown))}")
    if amount.get("unit") not in UNITS:
        problems.append(f"amount.unit: 须为 {', '.join(UNITS)} 之一")
    if not any(key in amount for key in ("tiers", "yuan", "up_to", "description")):
        problems.append("amount: 须有 tiers、yuan、up_to 或 description 之一")
    for key in ("yuan", "up_to", "max_periods"):
        if key in amount and not _positive_int(amount[key]):
            problems.append(f"amount.{key}: 须为正整数")
    if "description" in amount and not isinstance(amount["description"], str):
        problems.append("amount.description: 须为文字")
    tiers = amount.get("tiers")
    if tiers is None:
        return
    if not isinstance(tiers, list) or not tiers:
        problems.append("amount.tiers: 须为非空列表")
        return
    for index, tier in enumerate(tiers):
        where = f"amount.tiers[{index}]"
        if not isinstance(tier, Mapping) or tier.get("education") not in rules.EDUCATION_CODES:
            problems.append(
                f"{where}.education: 须为学历编码（{', '.join(rules.EDUCATION_CODES)}）"
            )
        elif not _positive_int(tier.get("yuan")):
            problems.append(f"{where}.yuan: 须为正整数")


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


# --- amounts in words ---------------------------------------------------------------------------


def money_words(yuan: int) -> str:
    """10000 → '1 万元', 2500 → '2500 元'."""
    if yuan >= 10000 and yuan % 10000 == 0:
        return f"{yuan // 10000} 万元"
    return f"{yuan} 元"


def tier_for(amount: Mapping[str, Any], education: str | None) -> dict[str, Any] | None:
    """The education tier that applies: the highest tier at or below the seeker's level."""
    if education not in rules.EDUCATION_CODES or "tiers" not in amount:
        return None
    level = EducationLevel.from_code(str(education))
    fitting = [
        tier for tier in amount["tiers"] if EducationLevel.from_code(tier["education"]) <= level
    ]
    return max(fitting, key=lambda tier: EducationLevel.from_code(tier["education"]), default=None)


def amount_words(amount: Mapping[str, Any], education: str | None = None) -> str:
    """The amount as people read it: 每月 2000 元（硕士），一次性 1 万元, 每年最高 100 元 ..."""
    prefix = UNITS.get(amount.get("unit", ""), "")
    parts: list[str] = []
    tier = tier_for(amount, education)
    if tier is not None:
        label = EducationLevel.from_code(tier["education"]).label
        parts.append(f"{prefix} {money_words(tier['yuan'])}（{label}）".strip())
    elif "tiers" in amount:
        tiers = " / ".join(
            f"{EducationLevel.from_code(t['education']).label} {money_words(t['yuan'])}"
            for t in amount["tiers"]
        )
        parts.append(f"{prefix}：{tiers}" if prefix else tiers)
    if "yuan" in amount:
        parts.append(f"{prefix} {money_words(amount['yuan'])}".strip())
    if "up_to" in amount:
        parts.append(f"{prefix}最高 {money_words(amount['up_to'])}")
    if "max_periods" in amount and amount.get("unit") in ("month", "year"):
        span = "个月" if amount["unit"] == "month" else "年"
        parts.append(f"最长 {amount['max_periods']} {span}")
    if "description" in amount:
        parts.append(amount["description"])
    return "，".join(parts)
