"""Education labels of the job sites mapped to the ordered EducationLevel scale."""

from __future__ import annotations

import csv

import pytest

from indexer.education import EducationLevel, parse_education
from tests.datafiles import data_file

L = EducationLevel

EXAMPLES = [
    ("学历不限", L.NONE),
    ("不限", L.NONE),
    ("不限制", L.NONE),
    ("其他", L.NONE),
    ("小学", L.JUNIOR_MIDDLE),
    ("初中", L.JUNIOR_MIDDLE),
    ("初中及以下", L.JUNIOR_MIDDLE),
    ("高中", L.SENIOR_HIGH),
    ("普通高中", L.SENIOR_HIGH),
    ("高中及以上", L.SENIOR_HIGH),
    ("中专", L.SECONDARY_VOCATIONAL),
    ("中技", L.SECONDARY_VOCATIONAL),
    ("中专/中技", L.SECONDARY_VOCATIONAL),
    ("中技/中专", L.SECONDARY_VOCATIONAL),
    ("中等专科", L.SECONDARY_VOCATIONAL),
    ("职业高中", L.SECONDARY_VOCATIONAL),
    ("职高", L.SECONDARY_VOCATIONAL),
    ("技工学校", L.SECONDARY_VOCATIONAL),
    ("中专以上", L.SECONDARY_VOCATIONAL),
    ("大专", L.ASSOCIATE),
    ("大学专科", L.ASSOCIATE),
    ("大专及以上", L.ASSOCIATE),
    ("本科", L.BACHELOR),
    ("大学本科", L.BACHELOR),
    ("统招本科", L.BACHELOR),
    ("全日制本科及以上学历", L.BACHELOR),
    (" 本科 ", L.BACHELOR),
    ("硕士", L.MASTER),
    ("研究生", L.MASTER),
    ("硕士研究生", L.MASTER),
    ("MBA/EMBA", L.MASTER),
    ("ＭＢＡ", L.MASTER),
    ("博士", L.DOCTORATE),
    ("博士研究生", L.DOCTORATE),
]


@pytest.mark.parametrize(("raw", "level"), EXAMPLES)
def test_raw_label_maps_to_its_level(raw: str, level: EducationLevel) -> None:
    assert parse_education(raw) is level


@pytest.mark.parametrize(
    "raw", [None, "", "   ", "招若干人", "普通话良好", "英语熟练", "以上", "本科生物"]
)
def test_empty_or_foreign_labels_give_none(raw: str | None) -> None:
    assert parse_education(raw) is None


def test_every_real_label_in_the_job_postings_maps_to_a_level() -> None:
    csv.field_size_limit(10**8)
    path = data_file("jobs_jobhunting/jobs.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        labels = {row["education"] for row in csv.DictReader(handle)}
    unmapped = {label for label in labels if label.strip() and parse_education(label) is None}
    assert unmapped == set()
    # The corpus has 23 distinct non-empty labels; a much smaller set means the column moved.
    assert len({label for label in labels if label.strip()}) >= 20


def test_no_requirement_is_a_level_not_a_missing_value() -> None:
    assert parse_education("学历不限") is L.NONE
    assert parse_education("学历不限") is not None


def test_levels_are_ordered_from_no_requirement_to_doctorate() -> None:
    assert L.BACHELOR > L.ASSOCIATE
    assert L.ASSOCIATE > L.SECONDARY_VOCATIONAL > L.SENIOR_HIGH > L.JUNIOR_MIDDLE > L.NONE
    assert L.DOCTORATE > L.MASTER > L.BACHELOR
    assert sorted(L) == list(L)


def test_a_seeker_with_a_higher_degree_meets_a_lower_requirement() -> None:
    seeker, required = parse_education("硕士"), parse_education("统招本科")
    assert seeker is not None
    assert required is not None
    assert seeker >= required


@pytest.mark.parametrize(
    ("level", "label", "code"),
    [
        (L.NONE, "学历不限", "none"),
        (L.JUNIOR_MIDDLE, "初中及以下", "junior_middle"),
        (L.SENIOR_HIGH, "高中", "senior_high"),
        (L.SECONDARY_VOCATIONAL, "中专/中技", "secondary_vocational"),
        (L.ASSOCIATE, "大专", "associate"),
        (L.BACHELOR, "本科", "bachelor"),
        (L.MASTER, "硕士", "master"),
        (L.DOCTORATE, "博士", "doctorate"),
    ],
)
def test_each_level_has_a_chinese_label_and_a_stable_code(
    level: EducationLevel, label: str, code: str
) -> None:
    assert level.label == label
    assert level.code == code
    assert L.from_code(code) is level


def test_each_label_parses_back_to_its_level() -> None:
    assert all(parse_education(level.label) is level for level in L)


@pytest.mark.parametrize("code", ["", "phd", "BACHELOR", "bachelor ", "label"])
def test_unknown_code_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match="unknown education code"):
        L.from_code(code)
