"""The wage-level arithmetic: quartiles, the pay figure of a range, the minimum-count rule."""

from __future__ import annotations

import statistics

import pytest

from marketplace.dashboard.wages import (
    ALL_DISTRICTS,
    Posting,
    middle_code,
    minor_code,
    monthly_pay,
    percentile,
    wage_table,
)


def test_percentile_interpolates_between_closest_ranks() -> None:
    values = [1.0, 2.0, 3.0, 4.0]
    assert percentile(values, 0.25) == pytest.approx(1.75)
    assert percentile(values, 0.5) == pytest.approx(2.5)
    assert percentile(values, 0.75) == pytest.approx(3.25)
    assert percentile([5000.0], 0.75) == 5000
    assert percentile([3.0, 1.0, 2.0], 0.0) == 1
    assert percentile([3.0, 1.0, 2.0], 1.0) == 3


def test_percentile_agrees_with_the_inclusive_quartiles_of_the_standard_library() -> None:
    values = [4200.0, 5100.0, 3800.0, 6000.0, 7200.0, 5500.0, 4900.0, 8800.0, 3000.0, 6100.0]
    assert [percentile(values, p) for p in (0.25, 0.5, 0.75)] == pytest.approx(
        statistics.quantiles(values, n=4, method="inclusive")
    )


def test_percentile_refuses_no_values_and_p_outside_0_to_1() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)
    with pytest.raises(ValueError, match="within 0 and 1"):
        percentile([1.0], 1.5)


def test_monthly_pay_is_the_midpoint_or_the_one_end_stated() -> None:
    assert monthly_pay(4000, 6000) == 5000
    assert monthly_pay(None, 6000) == 6000
    assert monthly_pay(4000, None) == 4000
    assert monthly_pay(None, None) is None
    assert monthly_pay(0, 0) is None


def test_cells_below_the_minimum_count_keep_their_count_but_show_no_figures() -> None:
    postings = [Posting(float(4000 + 100 * n), "环翠区", "4-07-05-01", "保安员") for n in range(5)]
    postings += [Posting(6000.0, "荣成市", "4-07-05-01", "保安员") for _ in range(2)]
    table = wage_table(postings, min_count=5, names={"4-07-05-00": "安全保护服务人员"})

    by_cell = {(cell.occupation, cell.district): cell for cell in table.cells}
    shown = by_cell[("安全保护服务人员", "环翠区")]
    assert (shown.count, shown.p25, shown.median, shown.p75) == (5, 4100, 4200, 4300)
    hidden = by_cell[("安全保护服务人员", "荣成市")]
    assert hidden.suppressed
    assert hidden.count == 2
    assert (hidden.p25, hidden.median, hidden.p75) == (None, None, None)
    summary = table.summary()
    assert summary["cells_shown"] == 1
    assert summary["cells_suppressed"] == 1
    assert summary["districts_shown"] == 1  # 荣成市 has 2 postings in all
    assert summary["occupations_shown"] == 1
    assert table.by_occupation[0].district == ALL_DISTRICTS
    assert table.by_occupation[0].count == 7


def test_an_occupation_is_its_minor_group_when_that_has_enough_postings_else_its_middle() -> None:
    guards = [Posting(5000.0, "环翠区", "4-07-05-01", "保安员") for _ in range(3)]
    cooks = [Posting(4500.0, "环翠区", "4-03-02-01", "中式烹调师")]
    waiters = [Posting(4000.0, "环翠区", "4-03-02-05", "餐厅服务员")]
    names = {"4-07-05-00": "安全保护服务人员", "4-03-00-00": "住宿和餐饮服务人员"}
    table = wage_table(guards + cooks + waiters, min_count=3, names=names)

    groups = {cell.occupation_code: cell for cell in table.by_occupation}
    assert set(groups) == {"4-07-05-00", "4-03-00-00"}
    assert groups["4-07-05-00"].occupation == "安全保护服务人员"
    assert groups["4-03-00-00"].suppressed  # 2 postings < 3


def test_a_group_missing_from_the_classification_is_named_by_its_code() -> None:
    table = wage_table([Posting(5000.0, "环翠区", "6-18-02-04", "焊工")], min_count=2)
    assert table.by_occupation[0].occupation == "6-18-00-00"


def test_unclassified_postings_count_for_their_district_only() -> None:
    table = wage_table([Posting(5000.0, "文登区"), Posting(7000.0, None)], min_count=1)
    assert table.by_occupation == []
    assert table.cells == []
    assert [(c.district, c.median) for c in table.by_district] == [
        ("文登区", 5000),
        ("未注明", 7000),
    ]


def test_the_minimum_count_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        wage_table([], min_count=0)


def test_group_codes() -> None:
    assert minor_code("4-02-06-01") == "4-02-06-00"
    assert middle_code("4-02-06-01") == "4-02-00-00"
    assert middle_code("odd") == "odd"


def test_a_middle_group_beside_its_own_minor_groups_is_named_the_rest() -> None:
    guards = [Posting(5000.0, "环翠区", "4-07-05-01", "保安员") for _ in range(2)]
    others = [Posting(4000.0, "环翠区", "4-07-02-01", "咨询员")]
    names = {"4-07-05-00": "安全保护服务人员", "4-07-00-00": "租赁和商务服务人员"}
    table = wage_table(guards + others, min_count=2, names=names)
    assert [cell.occupation for cell in table.by_occupation] == [
        "租赁和商务服务人员（其他）",
        "安全保护服务人员",
    ]


def test_a_cell_is_labelled_with_its_name_and_code_or_the_code_alone() -> None:
    guards = [Posting(5000.0, "环翠区", "4-07-05-01", "保安员") for _ in range(2)]
    others = [Posting(4000.0, "环翠区", "4-07-02-01", "咨询员")]
    welder = [Posting(6000.0, "环翠区", "6-18-02-04", "焊工")]
    names = {"4-07-05-00": "安全保护服务人员", "4-07-00-00": "租赁和商务服务人员"}
    table = wage_table(guards + others + welder, min_count=2, names=names)
    assert [cell.label for cell in table.by_occupation] == [
        "租赁和商务服务人员（其他，4-07-00-00）",
        "安全保护服务人员（4-07-05-00）",
        "6-18-00-00",  # no name in the classification: the code once, not twice
    ]
    assert {cell.label for cell in table.by_district} == {"全部职业"}
