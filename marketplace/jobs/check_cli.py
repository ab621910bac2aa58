"""`flask jobs check-postings FILE`: run the posting checks over a postings CSV and report.

Reads the same two CSV schemas as `flask jobs import` with the importer's own reader; the pay
reference is built in memory from the same file (city + normalised title, the rule of
`pay_reference`). Writes nothing anywhere: it is a way to see what the checks would flag.
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from indexer.salary import monthly_equivalent
from marketplace.jobs.checks import Finding, PayRange, PostingDraft, Severity, check_posting
from marketplace.jobs.importer import BadRow, _from_jobhunting, _from_own, detect_schema, read_rows
from marketplace.jobs.pay_reference import midpoint, normalize_title, pay_range


@dataclass(frozen=True)
class CheckedRow:
    line: int
    source_id: str
    draft: PostingDraft
    findings: tuple[Finding, ...]

    @property
    def blocking(self) -> bool:
        return any(finding.severity is Severity.BLOCK for finding in self.findings)


@dataclass
class CheckReport:
    rows: int = 0
    unreadable: int = 0
    blocking: int = 0
    review: int = 0  # rows with warnings only
    codes: Counter[str] = field(default_factory=Counter)
    flagged: list[CheckedRow] = field(default_factory=list)

    def add(self, row: CheckedRow) -> None:
        if not row.findings:
            return
        self.flagged.append(row)
        if row.blocking:
            self.blocking += 1
        else:
            self.review += 1
        self.codes.update(finding.code for finding in row.findings)

    def counts(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "unreadable": self.unreadable,
            "flagged": len(self.flagged),
            "blocking": self.blocking,
            "review": self.review,
            "codes": dict(self.codes.most_common()),
        }


def _draft(parsed: dict[str, Any]) -> PostingDraft:
    salary = parsed["salary"]
    low = high = unit = None
    monthly_low = monthly_high = None
    if salary is not None and parsed["salary_unit_known"]:
        low, high, unit = salary.min, salary.max, str(salary.unit)
        monthly_low = monthly_equivalent(low, unit, salary.months)
        monthly_high = monthly_equivalent(high, unit, salary.months)
    return PostingDraft(
        title=parsed["title"],
        description=parsed["description"],
        skills=parsed["skills"],
        benefits=parsed["benefits"],
        salary_min=low,
        salary_max=high,
        salary_unit=unit,
        monthly_min=monthly_low,
        monthly_max=monthly_high,
        city=parsed["city"],
    )


def read_drafts(path: Path) -> tuple[list[tuple[int, str, PostingDraft]], int]:
    """(line, source id, draft) for every readable row, and how many rows were unreadable."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        schema = detect_schema(next(csv.reader(handle), []))
    parse = _from_jobhunting if schema == "jobhunting" else _from_own
    drafts: list[tuple[int, str, PostingDraft]] = []
    unreadable = 0
    for line, row in read_rows(path):
        try:
            if None in row:
                raise BadRow("more fields than the header")
            parsed = parse(row)
        except BadRow:
            unreadable += 1
            continue
        drafts.append((line, parsed["source_id"], _draft(parsed)))
    return drafts, unreadable


def pay_references(drafts: Iterable[PostingDraft]) -> dict[tuple[str, str], PayRange]:
    """The pay range of every (city, normalised title) with enough postings in `drafts`."""
    midpoints: defaultdict[tuple[str, str], list[float]] = defaultdict(list)
    for draft in drafts:
        value = midpoint(draft.monthly_min, draft.monthly_max)
        if draft.city and value is not None:
            midpoints[(draft.city, normalize_title(draft.title))].append(value)
    references = {}
    for key, values in midpoints.items():
        reference = pay_range(values)
        if reference is not None:
            references[key] = reference
    return references


def check_file(path: Path, progress: Any = None) -> CheckReport:
    """Check every readable posting in `path`; `progress.update(1)` is called per row."""
    drafts, unreadable = read_drafts(path)
    references = pay_references(draft for _line, _id, draft in drafts)
    report = CheckReport(rows=len(drafts) + unreadable, unreadable=unreadable)
    for line, source_id, draft in drafts:
        key = (draft.city or "", normalize_title(draft.title))
        findings = check_posting(draft, references.get(key))
        report.add(CheckedRow(line, source_id, draft, tuple(findings)))
        if progress is not None:
            progress.update(1)
    return report


def _excerpt(text: str, word: str, width: int = 12) -> str:
    at = text.find(word)
    if at < 0:
        return word
    start, end = max(0, at - width), at + len(word) + width
    return f"{text[start:at]}【{word}】{text[at + len(word) : end]}".replace("\n", " ")


def sample_lines(report: CheckReport, size: int, seed: int) -> Iterator[str]:
    rows = report.flagged
    chosen = random.Random(seed).sample(rows, min(size, len(rows)))  # noqa: S311 (not security)
    for row in sorted(chosen, key=lambda checked: checked.line):
        yield f"line {row.line} {row.source_id}  {row.draft.title[:40]}"
        for finding in row.findings:
            text = getattr(row.draft, finding.field, "")
            shown = " / ".join(_excerpt(text, word) for word in finding.words[:3])
            if not finding.words:
                shown = finding.message
            yield f"    {finding.severity.value:6} {finding.code:28} {finding.field}: {shown}"


@click.command("check-postings")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--sample", "sample_size", default=10, show_default=True, help="Flagged rows shown.")
@click.option("--seed", default=0, show_default=True, help="Seed of the sample.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line of the counts only.")
def check_postings_command(path: Path, sample_size: int, seed: int, as_json: bool) -> None:
    """Run the posting checks over PATH (a postings CSV) and report what they flag."""
    if as_json:
        report = check_file(path)
        click.echo(json.dumps(report.counts(), ensure_ascii=False, sort_keys=True))
        return
    rows = sum(1 for _ in read_rows(path))
    with click.progressbar(length=rows, label=f"checking {path.name}") as bar:
        report = check_file(path, progress=bar)
    flagged = len(report.flagged)
    share = flagged / report.rows if report.rows else 0.0
    click.echo(f"rows: {report.rows} (unreadable: {report.unreadable})")
    click.echo(
        f"flagged: {flagged} ({share:.1%}); blocking: {report.blocking}, "
        f"review only: {report.review}"
    )
    click.echo("findings by code:")
    for code, count in report.codes.most_common():
        click.echo(f"  {count:6} {code}")
    if sample_size > 0 and report.flagged:
        click.echo(f"sample of {min(sample_size, flagged)} flagged rows (seed {seed}):")
        for line in sample_lines(report, sample_size, seed):
            click.echo(line)
