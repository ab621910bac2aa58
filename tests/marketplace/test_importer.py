"""`flask jobs import`: idempotent, batched, bad rows reported with their line and reason."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from marketplace.database import get_database
from marketplace.employers.models import Employer
from marketplace.jobs.importer import import_jobs, read_companies
from marketplace.jobs.models import Job, JobStatus
from tests.datafiles import data_file

pytestmark = pytest.mark.postgres

HEADER = [
    "job_id", "platform", "title", "company", "company_is_full_name", "province", "city",
    "city_code", "district", "region", "address", "lng", "lat", "salary_min", "salary_max",
    "salary_months", "salary_unit_guess", "education", "experience_years", "skills",
    "benefits", "description", "recruiter_company", "recruiter_title", "first_publish_time",
    "first_scan_time", "updated_time", "url", "source_repo", "source_path", "source_commit",
]  # fmt: skip


def posting(n: int, **fields: Any) -> dict[str, Any]:
    row = dict.fromkeys(HEADER, "")
    row.update(
        job_id=f"TEST_{n:05d}",
        platform="TEST",
        title=f"水产加工工{n}",
        company=f"荣成海润食品有限公司{n % 7}",
        province="山东省",
        city="威海市",
        city_code="3710",
        district="荣成市",
        lng="122.42",
        lat="37.16",
        salary_min="5000",
        salary_max="7000",
        salary_unit_guess="month",
        education="大专",
        experience_years="1",
        description="负责扇贝、海参的分拣和清洗。\n包吃住，长白班。",
        first_publish_time="2024-10-01 09:00:00",
        first_scan_time="2024-10-02 10:00:00",
    )
    row.update(fields)
    return row


def write_csv(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


def count(app: Flask, model: Any) -> int:
    session = get_database(app).session()
    try:
        return session.scalar(select(func.count()).select_from(model)) or 0
    finally:
        session.close()


def test_import_reports_bad_rows_by_line_and_keeps_the_good_ones(
    app: Flask, tmp_path: Path
) -> None:
    rows = [posting(n) for n in range(10)]
    rows[3]["title"] = ""
    rows[5]["job_id"] = ""
    rows[7]["lng"] = "east"
    rows[8]["first_scan_time"] = "yesterday"
    path = write_csv(tmp_path / "jobs.csv", rows)
    report = import_jobs(get_database(app).session, path, batch_size=4)
    assert report.created == 6
    assert sum(report.skipped.values()) == 4
    # each posting spans two lines (its description has a newline): row n starts at 2 + 2n
    assert (2 + 2 * 3, "no title") in report.examples
    assert (2 + 2 * 5, "no source id") in report.examples
    assert any(line == 2 + 2 * 7 and "lng" in reason for line, reason in report.examples)
    assert any(line == 2 + 2 * 8 and "first_scan_time" in r for line, r in report.examples)
    assert count(app, Job) == 6


def test_importing_twice_changes_nothing(app: Flask, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "jobs.csv", [posting(n) for n in range(25)])
    first = import_jobs(get_database(app).session, path, batch_size=10)
    jobs, employers = count(app, Job), count(app, Employer)
    second = import_jobs(get_database(app).session, path, batch_size=10)
    assert (first.created, second.created, second.updated, second.unchanged) == (25, 0, 0, 25)
    assert (count(app, Job), count(app, Employer)) == (jobs, employers)
    assert employers == 7  # postings of one company share one employer


def test_a_changed_row_updates_its_job_in_place(app: Flask, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "jobs.csv", [posting(1)])
    import_jobs(get_database(app).session, path)
    write_csv(path, [posting(1, salary_min="6000", salary_max="9000")])
    report = import_jobs(get_database(app).session, path)
    assert (report.created, report.updated) == (0, 1)
    session = get_database(app).session()
    job = session.scalars(select(Job)).one()
    assert (job.salary_min, job.salary_max) == (6000, 9000)
    session.close()


def test_an_interrupted_import_leaves_whole_batches_and_resumes(app: Flask, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "jobs.csv", [posting(n) for n in range(30)])

    class Interrupt:
        rows = 0

        def update(self, _n: int) -> None:
            self.rows += 1
            if self.rows == 25:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_jobs(get_database(app).session, path, batch_size=10, progress=Interrupt())
    assert count(app, Job) == 20  # two whole batches; the third was rolled back
    report = import_jobs(get_database(app).session, path, batch_size=10)
    assert (report.created, report.unchanged) == (10, 20)
    assert count(app, Job) == 30


def test_imported_postings_keep_source_dates_and_coordinates(app: Flask, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "jobs.csv",
        [
            posting(1),
            posting(2, lng="", lat="", district="", salary_unit_guess="unknown"),
            posting(3, salary_min="180", salary_max="220", salary_unit_guess="day"),
            posting(4, first_publish_time="2030-01-01 00:00:00"),  # later than first seen
        ],
    )
    import_jobs(get_database(app).session, path)
    session = get_database(app).session()
    jobs = {job.source_id: job for job in session.scalars(select(Job))}
    first = jobs["TEST_00001"]
    assert first.status == JobStatus.PUBLISHED
    assert (first.lng, first.lat, first.datum) == (122.42, 37.16, "GCJ-02")
    assert first.published_at is not None
    assert first.published_at.isoformat() == "2024-10-01T09:00:00"
    assert first.expires_at is None
    assert first.education == "associate"
    unknown = jobs["TEST_00002"]
    assert (unknown.lng, unknown.district, unknown.salary_unit) == (None, None, None)
    assert unknown.salary_monthly_min is None  # unknown unit: matches no pay filter
    daily = jobs["TEST_00003"]
    assert (daily.salary_unit, daily.kind) == ("day", "part_time")
    assert daily.salary_monthly_min == pytest.approx(180 * 21.75)
    assert jobs["TEST_00004"].published_at.isoformat() == "2024-10-02T10:00:00"
    session.close()


def test_our_own_schema_parses_salary_strings(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text(
        "source_id,title,company,kind,salary,district,description\n"
        "A1,扇贝分拣,乳山海丰水产,odd_job,200元/天,乳山市,日结\n"
        "A2,船舶电焊工,文登船舶配套,full_time,8千-1.2万/月,文登区,持焊工证\n"
        "A3,仓管员,临港物流,full_time,面议,临港区,\n"
        "A4,保洁,环翠家政,weekly,3000,环翠区,\n",
        encoding="utf-8",
    )
    report = import_jobs(get_database(app).session, path)
    assert report.created == 3
    assert report.examples == [(5, "kind must be full_time, part_time or odd_job, not 'weekly'")]
    session = get_database(app).session()
    jobs = {job.source_id: job for job in session.scalars(select(Job))}
    assert (jobs["A1"].kind, jobs["A1"].salary_min, jobs["A1"].salary_unit) == (
        "odd_job",
        200,
        "day",
    )
    assert (jobs["A2"].salary_min, jobs["A2"].salary_max) == (8000, 12000)
    assert jobs["A3"].salary_unit is None
    session.close()


def test_an_unknown_header_is_refused(app: Flask, tmp_path: Path) -> None:
    import click

    path = tmp_path / "other.csv"
    path.write_text("name,age\n张三,30\n", encoding="utf-8")
    with pytest.raises(click.UsageError, match="unknown CSV header"):
        import_jobs(get_database(app).session, path)


def test_cli_import_shows_the_report(app: Flask, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "jobs.csv", [posting(1), posting(2, title="")])
    result = app.test_cli_runner().invoke(args=["jobs", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "jobs created: 1" in result.output
    assert "1 × no title" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_readable_real_posting_is_imported(app: Flask) -> None:
    jobs_csv = data_file("jobs_jobhunting/jobs.csv")
    companies = read_companies(data_file("jobs_jobhunting/companies.csv"))
    report = import_jobs(get_database(app).session, jobs_csv, companies=companies)
    skipped = sum(report.skipped.values())
    assert report.rows > 35_000
    assert skipped < 20, report.lines()
    assert report.created == report.rows - skipped
    assert count(app, Job) == report.created
    session = get_database(app).session()
    with_codes = session.scalar(
        select(func.count()).select_from(Employer).where(Employer.credit_code.is_not(None))
    )
    session.close()
    assert with_codes
    assert with_codes > 500
