"""`flask gigs`: rebuild the 即时快招 queue from the database, and run one expiry sweep."""

from __future__ import annotations

import logging
import time

import click
from flask import current_app
from flask.cli import AppGroup
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from marketplace.database import get_database
from marketplace.extensions import get_redis
from marketplace.gigs.dispatch import DispatchPolicy
from marketplace.gigs.recovery import rebuild_queue
from marketplace.gigs.sweep import expire_offers

log = logging.getLogger(__name__)

gigs_cli = AppGroup("gigs", help="Odd jobs and the 即时快招 queue on Redis.")


@gigs_cli.command("rebuild-queue")
def rebuild_queue_command() -> None:
    """Rebuild the live Redis queue from the database (safe to run at any time)."""
    session = get_database().session()
    try:
        report = rebuild_queue(session, get_redis(), progress=click.echo)
    finally:
        session.close()
    for line in report.lines():
        click.echo(line)


@gigs_cli.command("expire")
@click.option(
    "--every",
    type=click.FloatRange(min=0.5),
    help="Keep sweeping, this many seconds apart (a worker beside the web server).",
)
def expire_command(every: float | None) -> None:
    """Expire overdue offers and requests, and send the next waves (one sweep, or a loop)."""
    while True:
        session = get_database().session()
        try:
            report = expire_offers(
                session, get_redis(), policy=DispatchPolicy.from_config(current_app.config)
            )
        except (RedisError, SQLAlchemyError) as error:
            if every is None:
                raise
            # a worker outlives a Redis restart or a locked database: try again next time
            log.warning("sweep failed, retrying in %.0f s: %s", every, error)
        else:
            if every is None or report.changed:  # a loop stays quiet while nothing is due
                for line in report.lines():
                    click.echo(line)
        finally:
            session.close()
        if every is None:
            return
        time.sleep(every)
