"""A dashboard table: the one shape that a chart, an HTML table and a CSV export all read."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

Cell = str | int | float | None


@dataclass
class Table:
    """Rows under Chinese headers; `note` says what the figures mean (shown and exported)."""

    name: str  # the CSV file name and URL part, e.g. "vacancies-by-district"
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""

    def column(self, index: int) -> list[Cell]:
        return [row[index] for row in self.rows]

    @property
    def empty(self) -> bool:
        return not self.rows


def csv_text(table: Table) -> str:
    """The table as CSV with a UTF-8 byte-order mark, so that Excel reads the Chinese right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([_plain(cell) for cell in row] for row in table.rows)
    return "\ufeff" + out.getvalue()


def _plain(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return f"{cell:g}" if cell == int(cell) else f"{cell:.2f}"
    text = str(cell)
    # a leading = + - @ makes spreadsheets evaluate the cell: keep it text
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def numbers(cells: Sequence[Cell]) -> list[float]:
    """The numeric cells of a column (blanks as 0), for a chart."""
    return [float(cell) if isinstance(cell, int | float) else 0.0 for cell in cells]
