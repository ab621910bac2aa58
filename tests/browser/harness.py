"""What the browser tests stand on: the demo instance served by gunicorn, Chromium, screenshots.

Plain helpers (no fixtures): `tests/browser/conftest.py` wires them into pytest.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from marketplace import create_app
from marketplace.database import upgrade

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# What DESIGN.md asks for Debian's Chromium in a container: no sandbox, no GPU, no phoning home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Browser-context options per screen size; a screenshot's file name ends in the size's name.
VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}
SECRET_KEY = "browser-test-secret"
# the demo's seeker log-in and name (marketplace/demo/seed.py)
SEEKER = ("seeker", "seeker-demo-2023", "于晓晨")
STARTUP_SECONDS = 90.0
STOP_SECONDS = 2.0  # gunicorn imports scikit-learn and loads jieba: slow on a busy machine


def artifacts_dir() -> Path:
    """Where test artefacts go (`artifacts/` at the top of the repository, ignored by git)."""
    return Path(os.environ.get("JIUYE_ARTIFACTS_DIR", ROOT / "artifacts"))


def chromium_path() -> str:
    """The Chromium to drive; skips when it is absent (fails when JIUYE_REQUIRE_BROWSER=1)."""
    path = Path(os.environ.get("JIUYE_CHROMIUM", DEFAULT_CHROMIUM))
    if not (path.is_file() and os.access(path, os.X_OK)):
        reason = f"Chromium not found at {path} (apt-get install chromium, or set JIUYE_CHROMIUM)"
        if os.environ.get("JIUYE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return str(path)


def viewport_name(page: Page) -> str:
    size = page.viewport_size or {"width": 0, "height": 0}
    for name, options in VIEWPORTS.items():
        if options["viewport"] == size:
            return name
    return f"{size['width']}x{size['height']}"


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG as artifacts/screenshots/<name>-<viewport>.png; returns its path."""
    safe = re.sub(r"[^\w/.-]+", "_", name).strip("_")
    path = artifacts_dir() / "screenshots" / f"{safe}-{viewport_name(page)}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def prepare_instance(directory: Path, redis_url: str) -> dict[str, str]:
    """Migrate, seed the demo and build the index in `directory`; returns the app's settings.

    The same CLI commands as `make setup` (less the occupation model, which the pages do not
    need), run in this process: importing the app again in subprocesses costs seconds each.
    """
    settings = {
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{directory / 'jiuye.sqlite3'}",
        "FTS5_PATH": str(directory / "search.sqlite3"),
        "REDIS_URL": redis_url,
    }
    upgrade(settings["DATABASE_URL"])
    # ES_URL from the caller's environment must not send the index elsewhere
    app = create_app({**settings, "ES_URL": None})
    runner = app.test_cli_runner()
    try:
        for command in (["demo", "seed"], ["index", "rebuild"], ["gigs", "rebuild-queue"]):
            result = runner.invoke(args=command)
            if result.exit_code != 0:
                raise RuntimeError(
                    f"flask {' '.join(command)} failed ({result.exit_code}):\n{result.output}"
                ) from result.exception
    finally:
        app.extensions["jiuye.database"].dispose()
    return settings


class GunicornServer:
    """gunicorn serving wsgi:app as `make run` does (one worker with threads), logging to a file."""

    def __init__(self, settings: Mapping[str, str], port: int, log_path: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.env = {
            **os.environ,
            **settings,
            "ES_URL": "",  # empty means unset: the embedded FTS5 engine
            "JIUYE_BIND": f"127.0.0.1:{port}",
            "JIUYE_WORKERS": "1",
            "JIUYE_THREADS": "4",
        }
        if self.env.get("PYTHONDONTWRITEBYTECODE") and not self.env.get("PYTHONPYCACHEPREFIX"):
            # without bytecode files gunicorn compiles scikit-learn and scipy anew each start
            # (about 8 s of CPU): keep them in a cache of our own, outside the source trees
            del self.env["PYTHONDONTWRITEBYTECODE"]
            self.env["PYTHONPYCACHEPREFIX"] = str(
                Path(tempfile.gettempdir()) / f"jiuye-pycache-{os.getuid()}"
            )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start gunicorn and wait until /healthz answers 200; fails with gunicorn's log if not."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                # no control socket: its default path (~/.gunicorn) is shared by every gunicorn
                [
                    *(sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"),
                    *("--no-control-socket", "wsgi:app"),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() ends master and worker
            )
        last = "no answer"
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                last = f"gunicorn exited with status {self.process.returncode}"
                break
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310  # our own http:// URL
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as error:  # 503: a backend is down (body says which)
                last = f"/healthz {error.code}: {error.read().decode(errors='replace')}"
            except (urllib.error.URLError, OSError) as error:
                last = f"/healthz: {error}"
            time.sleep(0.2)
        self.stop()
        log_text = self.log_path.read_text(errors="replace")[-10_000:]
        pytest.fail(
            f"gunicorn did not become healthy at {self.url}: {last}\n"
            f"----- end of gunicorn's log ({self.log_path}) -----\n{log_text}",
            pytrace=False,
        )

    def stop(self) -> None:
        if self.process is None:
            return
        # SIGINT is gunicorn's quick shutdown; a worker that has loaded scikit-learn can take
        # seconds more to exit, and this throwaway instance holds nothing worth waiting for
        self.process.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=STOP_SECONDS)
        # whatever is left of its process group (a slow worker, or the master itself)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None


def log_in(page: Page, username: str, password: str) -> None:
    """Fill and send the login form the page shows (as a person would: by its labels)."""
    page.get_by_label("手机号或用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


# How long a Playwright action or `expect` waits before failing (milliseconds).
TIMEOUT_MS = 10_000


@contextmanager
def person(
    browser: Browser, base_url: str, viewport: str, name: str, like: Page | None = None
) -> Iterator[Page]:
    """Another person's own browser (own cookies, or those of `like`: the same person on another
    device); on a failed step, a screenshot of their page."""
    context = browser.new_context(
        base_url=base_url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        storage_state=like.context.storage_state() if like is not None else None,
        **VIEWPORTS[viewport],
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    except BaseException:
        screenshot(page, f"failed/{name}")
        raise
    finally:
        context.close()


def screenshot_both_sizes(page: Page, name: str) -> None:
    """Screenshot the page, then the same address in the other size, signed in the same way."""
    screenshot(page, name)
    other = "phone" if viewport_name(page) == "desktop" else "desktop"
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        storage_state=page.context.storage_state(),
        **VIEWPORTS[other],
    )
    try:
        twin = context.new_page()
        twin.goto(page.url)
        screenshot(twin, name)
    finally:
        context.close()
