"""Fixtures: each search engine, fresh and empty; the Elasticsearch stand-in (noida-db) they need.

With ES_URL set the Elasticsearch tests run against that real cluster and nothing is started.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import NoReturn

import pytest

from indexer.engines.base import SearchEngine
from indexer.engines.elasticsearch import ElasticsearchEngine, build_client
from indexer.engines.fts5 import Fts5Engine
from indexer.tokenizer import Tokenizer, get_tokenizer
from tests.services import free_port

# Seconds the stand-in may take to answer after it was started.
NOIDA_START_TIMEOUT = 30.0


def _unavailable(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail in CI, where the stand-in must run."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _noida_binary() -> Path | None:
    # the binary itself, not the `noida-db` Python wrapper: stopping the wrapper would
    # leave the server running as its orphan
    try:
        path = Path(str(resources.files("noida_db").joinpath("noida-db")))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (our own http URL)
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def noida_es() -> Iterator[str]:
    """The URL of an Elasticsearch 8 API: ES_URL if set, else noida-db started for the session."""
    if os.environ.get("ES_URL"):
        yield os.environ["ES_URL"]
        return
    binary = _noida_binary()
    if binary is None:
        _unavailable("noida-db is not installed (pip install noida-db==0.2.3)")
    if not os.access(binary, os.X_OK):
        binary.chmod(0o755)
    port = free_port()
    directory = Path(tempfile.mkdtemp(prefix="jiuye-noida-"))
    url = f"http://127.0.0.1:{port}"
    with (directory / "noida.log").open("wb") as log:
        process = subprocess.Popen(
            [
                str(binary),
                "start",
                "--only",
                "elasticsearch",
                "--host",
                "127.0.0.1",
                "--elasticsearch-port",
                str(port),
                "--data-dir",
                str(directory / "data"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + NOIDA_START_TIMEOUT
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                output = (directory / "noida.log").read_text(errors="replace")[-2000:]
                _unavailable(f"noida-db did not start on port {port}:\n{output}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def tokenizer() -> Tokenizer:
    """The real jieba tokenizer with the built-in dictionary (loaded once)."""
    return get_tokenizer()


@pytest.fixture(params=["fts5", "elasticsearch"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchEngine]:
    """A fresh engine of each kind with nothing indexed yet (rebuild it first)."""
    if request.param == "fts5":
        fts5 = Fts5Engine(tmp_path / "search.sqlite3")
        yield fts5
        fts5.close()
        return
    url: str = request.getfixturevalue("noida_es")
    client = build_client(url, timeout=30.0)
    elasticsearch = ElasticsearchEngine(client, f"jiuye-test-{uuid.uuid4().hex[:12]}")
    try:
        yield elasticsearch
    finally:
        elasticsearch.drop()
        client.close()
