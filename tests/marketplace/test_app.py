"""The app factory and /healthz."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

import marketplace
from marketplace import create_app
from marketplace.config import load_config
from marketplace.database import upgrade
from tests.services import RedisServer


def test_creating_the_app_opens_nothing_and_writes_nothing(tmp_path: Path) -> None:
    database = tmp_path / "never.sqlite3"
    index = tmp_path / "never-search.sqlite3"
    instance = Path(marketplace.__file__).resolve().parent.parent / "instance"
    instance_existed = instance.exists()
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{database}", "FTS5_PATH": str(index), "REDIS_URL": None}
    )
    assert app.extensions["jiuye.database"]._engine is None
    assert list(tmp_path.iterdir()) == []
    assert instance.exists() == instance_existed


def test_settings_come_from_defaults_then_environment_then_test_dict() -> None:
    environ = {"REDIS_URL": "redis://env:6379/0", "JOB_TTL_DAYS": "30", "ES_URL": ""}
    config = load_config("/srv/instance", {"JOB_TTL_DAYS": 7}, environ)
    assert config["REDIS_URL"] == "redis://env:6379/0"  # environment beats the default
    assert config["JOB_TTL_DAYS"] == 7  # the test dict beats the environment
    assert config["ES_URL"] is None  # an empty variable leaves the default
    assert config["DATABASE_URL"] == "sqlite:////srv/instance/jiuye.sqlite3"
    assert config["FTS5_PATH"] == "/srv/instance/search.sqlite3"


def _healthy_app(tmp_path: Path, redis_url: str | None) -> Flask:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade(url)
    config: dict[str, Any] = {
        "TESTING": True,
        "DATABASE_URL": url,
        "FTS5_PATH": str(tmp_path / "search.sqlite3"),
        "REDIS_URL": redis_url,
    }
    app = create_app(config)
    result = app.test_cli_runner().invoke(args=["index", "rebuild"])
    assert result.exit_code == 0, result.output
    return app


def test_healthz_is_200_when_database_search_and_redis_are_up(
    tmp_path: Path, redis_url: str
) -> None:
    app = _healthy_app(tmp_path, redis_url)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["down"] == []
    assert body["checks"]["database"]["backend"] == "sqlite"
    assert body["checks"]["search"]["engine"] == "fts5"
    assert body["checks"]["redis"]["ok"] is True


def test_healthz_is_503_naming_redis_when_redis_is_down(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    app = _healthy_app(tmp_path, "redis://127.0.0.1:1/0")  # nothing listens on port 1
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["down"] == ["redis"]


def test_healthz_names_the_search_index_when_it_was_never_built(app: Flask) -> None:
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert "search" in body["down"]
    assert "not built" in body["checks"]["search"]["error"]


def test_healthz_names_the_database_when_it_is_not_migrated(tmp_path: Path) -> None:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
            "FTS5_PATH": str(tmp_path / "s.sqlite3"),
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert "database" in response.get_json()["down"]


def test_home_page_is_in_chinese(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "找工作" in page


def test_unknown_page_is_a_chinese_404_or_json_by_accept_header(client: Any) -> None:
    html = client.get("/no-such-page")
    assert html.status_code == 404
    page = html.get_data(as_text=True)
    assert "回到首页" in page
    assert "页面不存在" in page
    assert "The requested URL" not in page
    as_json = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert as_json.get_json()["error"]["code"] == "not_found"


def test_popular_categories_are_titles_that_have_postings(app: Flask) -> None:
    from marketplace.database import get_database
    from marketplace.jobs.models import JobStatus
    from marketplace.jobs.services import change_status
    from tests.marketplace import factories

    session = get_database(app).session()
    for title in ("扇贝分拣工", "扇贝分拣工", "船舶电焊工"):
        job = factories.job(session, title=title)
        change_status(session, job, JobStatus.PENDING_REVIEW)
        change_status(session, job, JobStatus.PUBLISHED)
    factories.job(session, title="未发布的职位")
    session.commit()
    session.close()
    page = app.test_client().get("/").get_data(as_text=True)
    assert page.index("扇贝分拣工</a>") < page.index("船舶电焊工</a>")
    assert "未发布的职位" not in page


def test_a_server_error_page_is_in_chinese(app: Flask) -> None:
    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("a bug")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "服务器出错了" in page
    assert "internal" not in page
