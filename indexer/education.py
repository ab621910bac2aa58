"""Education requirements: the raw labels of job sites mapped to one ordered scale.

Pure: no flask, no I/O. A label that is empty or not an education level gives None, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from enum import IntEnum


class EducationLevel(IntEnum):
    """Ordered so that a seeker meets a requirement when their level is >= the posting's.

    NONE is 0 and so falsy: test a parse result with `is None`, not by truthiness.
    """

    NONE = 0
    JUNIOR_MIDDLE = 1
    SENIOR_HIGH = 2
    SECONDARY_VOCATIONAL = 3
    ASSOCIATE = 4
    BACHELOR = 5
    MASTER = 6
    DOCTORATE = 7

    @property
    def label(self) -> str:
        """The Chinese label shown to people."""
        return _LABELS[self]

    @property
    def code(self) -> str:
        """A stable lower-case code for storage, URLs and index documents."""
        return self.name.lower()

    @classmethod
    def from_code(cls, code: str) -> EducationLevel:
        """The level for a stored code; ValueError for an unknown one."""
        for level in cls:
            if level.code == code:
                return level
        raise ValueError(f"unknown education code {code!r}")


_LABELS = {
    EducationLevel.NONE: "学历不限",
    EducationLevel.JUNIOR_MIDDLE: "初中及以下",
    EducationLevel.SENIOR_HIGH: "高中",
    EducationLevel.SECONDARY_VOCATIONAL: "中专/中技",
    EducationLevel.ASSOCIATE: "大专",
    EducationLevel.BACHELOR: "本科",
    EducationLevel.MASTER: "硕士",
    EducationLevel.DOCTORATE: "博士",
}

# Every label seen in the job data (jobs.csv, salary_strings_raw.csv) plus common variants.
_RAW_LABELS = {
    "不限": EducationLevel.NONE,
    "学历不限": EducationLevel.NONE,
    "不限制": EducationLevel.NONE,
    "无要求": EducationLevel.NONE,
    "无学历要求": EducationLevel.NONE,
    # JOBONLINE's 其他 is on cashier and shop jobs that ask for no schooling; reading it as
    # "no requirement" keeps them visible to everyone instead of hiding them.
    "其他": EducationLevel.NONE,
    "小学": EducationLevel.JUNIOR_MIDDLE,
    "初中": EducationLevel.JUNIOR_MIDDLE,
    "初中及以下": EducationLevel.JUNIOR_MIDDLE,
    "高中": EducationLevel.SENIOR_HIGH,
    "普通高中": EducationLevel.SENIOR_HIGH,
    "中专": EducationLevel.SECONDARY_VOCATIONAL,
    "中技": EducationLevel.SECONDARY_VOCATIONAL,
    "中专/中技": EducationLevel.SECONDARY_VOCATIONAL,
    "中技/中专": EducationLevel.SECONDARY_VOCATIONAL,
    "中等专科": EducationLevel.SECONDARY_VOCATIONAL,
    "职高": EducationLevel.SECONDARY_VOCATIONAL,
    "职业高中": EducationLevel.SECONDARY_VOCATIONAL,
    "技校": EducationLevel.SECONDARY_VOCATIONAL,
    "技工学校": EducationLevel.SECONDARY_VOCATIONAL,
    "大专": EducationLevel.ASSOCIATE,
    "专科": EducationLevel.ASSOCIATE,
    "大学专科": EducationLevel.ASSOCIATE,
    "高职": EducationLevel.ASSOCIATE,
    "本科": EducationLevel.BACHELOR,
    "大学本科": EducationLevel.BACHELOR,
    "学士": EducationLevel.BACHELOR,
    "硕士": EducationLevel.MASTER,
    "研究生": EducationLevel.MASTER,
    "硕士研究生": EducationLevel.MASTER,
    "mba": EducationLevel.MASTER,
    "emba": EducationLevel.MASTER,
    "mba/emba": EducationLevel.MASTER,
    "博士": EducationLevel.DOCTORATE,
    "博士研究生": EducationLevel.DOCTORATE,
    "博士后": EducationLevel.DOCTORATE,
}

# Qualifiers that do not change the level: 统招本科 and 本科及以上 both ask for a bachelor's degree.
_QUALIFIERS = re.compile(r"^(?:统招|全日制|普通|国家)|(?:及以上|或以上|以上|学历|毕业)$")


def parse_education(raw: str | None) -> EducationLevel | None:
    """The level of a raw label such as 本科, 大学专科 or 中专/中技; None when empty or unknown."""
    if raw is None:
        return None
    text = "".join(unicodedata.normalize("NFKC", raw).lower().split())
    while text and text not in _RAW_LABELS:
        shorter = _QUALIFIERS.sub("", text, count=1)
        if shorter == text:
            return None
        text = shorter
    return _RAW_LABELS.get(text)
