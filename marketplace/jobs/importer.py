"""`flask jobs import`: real postings from CSV into the database, idempotent and in batches.

Two schemas: the job-hunting data set's (`job_id`, `platform`, ...) and our own simple one
(`source`, `source_id`, `title`, `company`, `salary`, ...; see README). Rows are read, checked
and written a batch per transaction, so an interrupted import leaves whole batches only.
"""

from __future__ import annotations

import csv
import hashlib
import html
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from indexer.education import parse_education
from indexer.salary import Salary, SalaryRejected, SalaryUnit, parse_salary
from marketplace.database import get_database, utcnow
from marketplace.employers.credit_code import InvalidCreditCode, normalize_credit_code
from marketplace.employers.models import Employer, Verification
from marketplace.jobs.models import Job, JobKind, JobStatus, JobStatusEvent
from marketplace.jobs.services import set_pay
from marketplace.places.models import Datum, Place, PlaceLevel
from marketplace.search.outbox import enqueue

csv.field_size_limit(10**8)

JOBHUNTING_COLUMNS = {"job_id", "platform", "title", "company", "salary_min", "salary_max"}
OWN_COLUMNS = {"source_id", "title", "company"}
UNNAMED_EMPLOYER = "（未署名单位）"
# the job-hunting set's unit guess → our unit; "unknown" stays unknown (DESIGN.md)
UNIT_GUESS = {"month": SalaryUnit.MONTH, "day": SalaryUnit.DAY, "hour_or_piece": SalaryUnit.HOUR}
PART_TIME_WORDS = ("兼职", "小时工", "钟点工", "寒假工", "暑假工")
ODD_JOB_WORDS = ("零工", "日结", "临时工", "短期工")


class BadRow(ValueError):
    """A row that cannot go in; the message is the reason shown in the report."""


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    employers_created: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: list[tuple[int, str]] = field(default_factory=list)

    def skip(self, line: int, reason: str) -> None:
        self.skipped[reason] += 1
        if len(self.examples) < 20:
            self.examples.append((line, reason))

    def lines(self) -> list[str]:
        out = [
            f"rows read: {self.rows}",
            f"jobs created: {self.created}, updated: {self.updated}, unchanged: {self.unchanged}",
            f"employers created: {self.employers_created}",
            f"rows skipped: {sum(self.skipped.values())}",
        ]
        out += [f"  {count} × {reason}" for reason, count in self.skipped.most_common()]
        out += [f"  line {line}: {reason}" for line, reason in self.examples]
        return out


@dataclass(frozen=True)
class CompanyInfo:
    credit_code: str | None
    industry: str | None
    insured_employees: int | None


# -- reading fields ----------------------------------------------------------------------


def _text(row: Mapping[str, str | None], name: str) -> str:
    return (row.get(name) or "").strip()


def _float(row: Mapping[str, str | None], name: str) -> float | None:
    raw = _text(row, name)
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise BadRow(f"{name} is not a number: {raw[:20]!r}") from None


def _int(row: Mapping[str, str | None], name: str) -> int | None:
    value = _float(row, name)
    if value is None:
        return None
    if value < 0 or value != int(value):
        raise BadRow(f"{name} is not a whole number ≥ 0: {value}")
    return int(value)


def _time(row: Mapping[str, str | None], name: str) -> datetime | None:
    raw = _text(row, name)
    if not raw:
        return None
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(raw, pattern)
        except ValueError:
            continue
    raise BadRow(f"{name} is not a date: {raw[:25]!r}")


def _point(row: Mapping[str, str | None]) -> tuple[float | None, float | None]:
    lng, lat = _float(row, "lng"), _float(row, "lat")
    if lng is None or lat is None:
        return None, None
    # the postings are in China: a point elsewhere is a reading error
    if not (73 <= lng <= 136 and 3 <= lat <= 54):
        raise BadRow(f"coordinates outside China: {lng}, {lat}")
    return lng, lat


def _kind(title: str, unit: str | None) -> JobKind:
    if any(word in title for word in ODD_JOB_WORDS):
        return JobKind.ODD_JOB
    if any(word in title for word in PART_TIME_WORDS) or unit in (SalaryUnit.DAY, SalaryUnit.HOUR):
        return JobKind.PART_TIME
    return JobKind.FULL_TIME


def _published(row: Mapping[str, str | None], first_seen: datetime | None) -> datetime | None:
    """The posting's date; a publish time after it was first seen is a source error."""
    published = _time(row, "first_publish_time")
    if published is None or (first_seen is not None and published > first_seen):
        return first_seen
    return published


def _row_hash(row: Mapping[str, str | None]) -> str:
    joined = "\x1f".join(f"{k}={v or ''}" for k, v in sorted(row.items()) if k is not None)
    return hashlib.sha1(joined.encode("utf-8"), usedforsecurity=False).hexdigest()


# -- the two schemas ---------------------------------------------------------------------


def _shared_fields(row: Mapping[str, str | None]) -> dict[str, Any]:
    """The columns both schemas name alike: education, experience, tags and place."""
    education_raw = _text(row, "education")
    level = parse_education(education_raw)
    return {
        "education": level.code if level is not None else None,
        "education_raw": education_raw[:40] or None,
        "experience_years": _int(row, "experience_years"),
        "skills": _text(row, "skills"),
        "benefits": _text(row, "benefits"),
        "province": _text(row, "province") or None,
        "city": _text(row, "city") or None,
        "city_code": _text(row, "city_code")[:6] or None,
        "district": _text(row, "district") or None,
        "address": _text(row, "address")[:300] or None,
    }


def _from_jobhunting(row: Mapping[str, str | None]) -> dict[str, Any]:
    title, source_id = _text(row, "title"), _text(row, "job_id")
    if not title:
        raise BadRow("no title")
    if not source_id:
        raise BadRow("no source id")
    lng, lat = _point(row)
    low, high = _float(row, "salary_min"), _float(row, "salary_max")
    unit = UNIT_GUESS.get(_text(row, "salary_unit_guess"))
    months = _int(row, "salary_months") or None
    salary: Salary | None = None
    if low or high:
        low, high = (low or None), (high or None)
        if low is not None and high is not None and low > high:
            low, high = high, low
        salary = Salary(min=low, max=high, unit=unit or SalaryUnit.MONTH, months=months)
    first_seen = _time(row, "first_scan_time")
    return {
        "source": _text(row, "platform") or "IMPORT",
        "source_id": source_id,
        "title": title,
        "company": _text(row, "company") or _text(row, "recruiter_company") or UNNAMED_EMPLOYER,
        "credit_code": None,
        "description": html.unescape(_text(row, "description")),
        "salary": salary,
        # the guess said nothing about the unit: the amounts stay, the unit stays unknown
        "salary_unit_known": unit is not None,
        "kind": _kind(title, unit),
        "headcount": None,
        **_shared_fields(row),
        "lng": lng,
        "lat": lat,
        "datum": Datum.GCJ02 if lng is not None else None,
        "published_at": _published(row, first_seen),
        "source_url": _text(row, "url")[:500] or None,
    }


def _from_own(row: Mapping[str, str | None]) -> dict[str, Any]:
    title, source_id = _text(row, "title"), _text(row, "source_id")
    if not title:
        raise BadRow("no title")
    if not source_id:
        raise BadRow("no source id")
    salary: Salary | None = None
    raw_salary = _text(row, "salary")
    if raw_salary:
        try:
            salary = parse_salary(raw_salary)
        except SalaryRejected:
            salary = None  # 面议 and unreadable pay mean "not stated" (DESIGN.md)
    kind_raw = _text(row, "kind") or JobKind.FULL_TIME.value
    try:
        kind = JobKind(kind_raw)
    except ValueError:
        raise BadRow(f"kind must be full_time, part_time or odd_job, not {kind_raw!r}") from None
    credit_code = _text(row, "credit_code") or None
    if credit_code:
        try:
            credit_code = normalize_credit_code(credit_code)
        except InvalidCreditCode as error:
            raise BadRow(f"credit_code: {error}") from None
    lng, lat = _point(row)
    datum = _text(row, "datum") or (Datum.WGS84 if lng is not None else None)
    if datum not in (None, Datum.WGS84, Datum.GCJ02):
        raise BadRow(f"datum must be WGS-84 or GCJ-02, not {datum!r}")
    return {
        "source": _text(row, "source") or "CSV",
        "source_id": source_id,
        "title": title,
        "company": _text(row, "company") or UNNAMED_EMPLOYER,
        "credit_code": credit_code,
        "description": _text(row, "description"),
        "salary": salary,
        "salary_unit_known": True,
        "kind": kind,
        "headcount": _int(row, "headcount"),
        **_shared_fields(row),
        "lng": lng,
        "lat": lat,
        "datum": datum,
        "published_at": _time(row, "published_at"),
        "source_url": _text(row, "url")[:500] or None,
    }


def detect_schema(header: list[str]) -> str:
    columns = set(header)
    if columns >= JOBHUNTING_COLUMNS:
        return "jobhunting"
    if columns >= OWN_COLUMNS:
        return "own"
    raise click.UsageError(
        "unknown CSV header: expected the job-hunting schema (job_id, platform, title, "
        "company, salary_min, salary_max, ...) or ours (source_id, title, company, ...)"
    )


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str | None]]]:
    """(line number where the row starts, row) for every data row."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        line = reader.line_num + 1
        for row in reader:
            yield line, row
            line = reader.line_num + 1


def read_companies(path: Path) -> dict[str, CompanyInfo]:
    """Company master data by name (credit code only when it is well-formed)."""
    companies: dict[str, CompanyInfo] = {}
    for _line, row in read_rows(path):
        name = _text(row, "company")
        if not name:
            continue
        try:
            code: str | None = normalize_credit_code(_text(row, "uscc"))
        except InvalidCreditCode:
            code = None
        try:
            insured = _int(row, "insured_employees")
        except BadRow:
            insured = None
        companies[name] = CompanyInfo(code, _text(row, "industry") or None, insured)
    return companies


# -- writing -----------------------------------------------------------------------------


class Importer:
    """Writes parsed rows a batch per transaction; remembers what is already stored."""

    def __init__(self, session: Session, companies: Mapping[str, CompanyInfo]) -> None:
        self.session = session
        self.companies = companies
        self.report = ImportReport()
        self.known: dict[tuple[str, str | None], tuple[int, str | None]] = {
            (source, source_id): (job_id, digest)
            for job_id, source, source_id, digest in session.execute(
                select(Job.id, Job.source, Job.source_id, Job.source_hash).where(
                    Job.source_id.is_not(None)
                )
            )
        }
        self.employers: dict[str, int] = {}
        self.employers_by_code: dict[str, int] = {}
        for employer_id, name, code in session.execute(
            select(Employer.id, Employer.name, Employer.credit_code)
        ):
            self.employers.setdefault(name, employer_id)
            if code:
                self.employers_by_code[code] = employer_id
        self.counties: dict[str, str] = {
            name: code
            for code, name in session.execute(
                select(Place.code, Place.name).where(Place.level == PlaceLevel.COUNTY)
            )
        }

    def _employer_id(self, name: str, credit_code: str | None) -> int:
        info = self.companies.get(name)
        code = credit_code or (info.credit_code if info else None)
        if code and code in self.employers_by_code:
            return self.employers_by_code[code]
        if name in self.employers:
            return self.employers[name]
        employer = Employer(
            name=name[:200],
            credit_code=code,
            verification=Verification.UNVERIFIED,
            imported=True,
            industry=info.industry if info else None,
            insured_employees=info.insured_employees if info else None,
        )
        self.session.add(employer)
        self.session.flush()
        self.employers[name] = employer.id
        if code:
            self.employers_by_code[code] = employer.id
        self.report.employers_created += 1
        return employer.id

    def _values(self, parsed: dict[str, Any], digest: str) -> dict[str, Any]:
        job = Job()
        set_pay(job, parsed["salary"])
        if not parsed["salary_unit_known"]:
            job.salary_unit = None
            job.salary_monthly_min = job.salary_monthly_max = None
        county = self.counties.get(parsed["district"] or "") if parsed["city_code"] else None
        return {
            "employer_id": self._employer_id(parsed["company"], parsed["credit_code"]),
            "kind": parsed["kind"].value,
            "title": parsed["title"][:200],
            "description": parsed["description"],
            "salary_min": job.salary_min,
            "salary_max": job.salary_max,
            "salary_unit": job.salary_unit,
            "salary_months": job.salary_months,
            "salary_monthly_min": job.salary_monthly_min,
            "salary_monthly_max": job.salary_monthly_max,
            "headcount": parsed["headcount"],
            "education": parsed["education"],
            "education_raw": parsed["education_raw"],
            "experience_years": parsed["experience_years"],
            "skills": parsed["skills"],
            "benefits": parsed["benefits"],
            "county_code": county,
            "province": parsed["province"],
            "city": parsed["city"],
            "city_code": parsed["city_code"],
            "district": parsed["district"],
            "address": parsed["address"],
            "lng": parsed["lng"],
            "lat": parsed["lat"],
            "datum": parsed["datum"],
            "status": JobStatus.PUBLISHED.value,
            "source": parsed["source"][:20],
            "source_id": parsed["source_id"][:80],
            "source_url": parsed["source_url"],
            "source_hash": digest,
            "published_at": parsed["published_at"],
            "updated_at": utcnow(),
        }

    def write_batch(self, batch: list[tuple[dict[str, Any], str]]) -> None:
        """Insert or update one batch inside the caller's transaction."""
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for parsed, digest in batch:
            key = (parsed["source"][:20], parsed["source_id"][:80])
            stored = self.known.get(key)
            if stored is not None and stored[1] == digest:
                self.report.unchanged += 1
                continue
            values = self._values(parsed, digest)
            if stored is None:
                values["created_at"] = values["updated_at"]
                inserts.append(values)
            else:
                values["id"] = stored[0]
                updates.append(values)
        if inserts:
            ids = self.session.scalars(insert(Job).returning(Job.id), inserts).all()
            self.session.execute(
                insert(JobStatusEvent),
                [
                    {"job_id": job_id, "to_status": JobStatus.PUBLISHED.value, "reason": "imported"}
                    for job_id in ids
                ],
            )
            enqueue(self.session, list(ids))
            for job_id, values in zip(ids, inserts, strict=True):
                self.known[(values["source"], values["source_id"])] = (
                    job_id,
                    values["source_hash"],
                )
        if updates:
            self.session.execute(update(Job), updates)
            enqueue(self.session, [values["id"] for values in updates])
            for values in updates:
                self.known[(values["source"], values["source_id"])] = (
                    values["id"],
                    values["source_hash"],
                )
        self.report.created += len(inserts)
        self.report.updated += len(updates)


def import_jobs(
    session_factory: Any,
    path: Path,
    batch_size: int = 1000,
    companies: Mapping[str, CompanyInfo] | None = None,
    progress: Any = None,
) -> ImportReport:
    """Import a postings CSV; each batch is committed whole, bad rows are reported."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        schema = detect_schema(next(csv.reader(handle), []))
    parse = _from_jobhunting if schema == "jobhunting" else _from_own
    session: Session = session_factory()
    try:
        importer = Importer(session, companies or {})
        batch: list[tuple[dict[str, Any], str]] = []
        seen: set[tuple[str, str]] = set()

        def flush() -> None:
            try:
                importer.write_batch(batch)
                session.commit()
            except BaseException:
                session.rollback()
                raise
            batch.clear()

        for line, row in read_rows(path):
            importer.report.rows += 1
            if progress is not None:
                progress.update(1)
            if None in row:
                importer.report.skip(line, "more fields than the header")
                continue
            try:
                parsed = parse(row)
            except BadRow as error:
                importer.report.skip(line, str(error))
                continue
            key = (parsed["source"][:20], parsed["source_id"][:80])
            if key in seen:
                importer.report.skip(line, "duplicate source id in this file")
                continue
            seen.add(key)
            batch.append((parsed, _row_hash(row)))
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        return importer.report
    finally:
        session.close()


def count_rows(path: Path) -> int:
    return sum(1 for _ in read_rows(path))


jobs_cli = AppGroup("jobs", help="Job postings.")


@jobs_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--companies",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Company master data CSV (company, uscc, industry, insured_employees).",
)
def import_command(path: Path, companies: Path | None) -> None:
    """Import postings from PATH (the job-hunting CSV schema or ours); safe to repeat."""
    company_info = read_companies(companies) if companies else {}
    database = get_database()
    with click.progressbar(length=count_rows(path), label=f"importing {path.name}") as bar:
        report = import_jobs(
            database.session,
            path,
            batch_size=current_app.config["IMPORT_BATCH_SIZE"],
            companies=company_info,
            progress=bar,
        )
    for line in report.lines():
        click.echo(line)
