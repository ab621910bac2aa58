"""`flask policies load`: the built-in file by default, any file by path, errors named."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from marketplace.database import get_database
from marketplace.policies.models import Policy
from tests.marketplace.policies.conftest import policy_entry


def policy_count(app: Flask) -> int:
    session = get_database(app).session()
    try:
        return session.scalar(select(func.count()).select_from(Policy)) or 0
    finally:
        session.close()


def test_load_without_a_file_loads_the_built_in_policies_idempotently(
    app: Flask, runner: FlaskCliRunner
) -> None:
    first = runner.invoke(args=["policies", "load"])
    assert first.exit_code == 0, first.output
    assert "weihai_2023.json: 9 created, 0 updated, 0 unchanged" in first.output
    second = runner.invoke(args=["policies", "load"])
    assert "0 created, 0 updated, 9 unchanged" in second.output
    assert policy_count(app) == 9


def test_load_refuses_a_bad_file_and_names_each_error(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    entries = [policy_entry(code="good"), policy_entry(code="bad", valid_to="31/12/2026")]
    path.write_text(json.dumps({"policies": entries}), encoding="utf-8")
    result = runner.invoke(args=["policies", "load", str(path)])
    assert result.exit_code == 1
    assert "error: policies[1] (bad) valid_to: 须为 YYYY-MM-DD 日期" in result.output
    assert "1 处错误，未导入任何政策" in result.output
    assert policy_count(app) == 0


def test_load_a_file_and_report_what_it_kept(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"policies": [policy_entry(code="only")]}), encoding="utf-8")
    assert runner.invoke(args=["policies", "load"]).exit_code == 0
    result = runner.invoke(args=["policies", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
    assert "kept (not in the file): flexible-accident-insurance" in result.output
