"""The browser harness without a browser: how a missing Chromium is reported."""

from __future__ import annotations

import pytest

from tests.browser.harness import chromium_path


def test_missing_chromium_skips_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIUYE_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("JIUYE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium not found at /nonexistent"):
        chromium_path()


def test_missing_chromium_fails_when_the_browser_is_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JIUYE_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("JIUYE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="Chromium not found"):
        chromium_path()


def test_the_chromium_in_use_can_be_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIUYE_CHROMIUM", "/bin/sh")  # any executable file passes the check
    assert chromium_path() == "/bin/sh"
