"""Load per-process resources (jieba's dictionary) before gunicorn forks its workers."""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from marketplace.database import get_database
from marketplace.search.engine import get_search

log = logging.getLogger(__name__)


def warm_up(app: Flask) -> None:
    try:
        tokenizer = get_search(app).tokenizer
        tokenizer.tokenize("预热")
        log.info("tokenizer ready (dictionary %s)", tokenizer.version)
    except SQLAlchemyError as error:
        log.warning("could not warm the tokenizer (database not ready?): %s", error)
    # connections opened here must not be shared with forked workers
    get_database(app).dispose()
