"""`flask gigs`: rebuild the 即时快招 queue from the database, and run one expiry sweep."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from marketplace.database import get_database
from marketplace.extensions import get_redis
from marketplace.gigs.dispatch import DispatchPolicy
from marketplace.gigs.recovery import rebuild_queue
from marketplace.gigs.sweep import expire_offers

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
def expire_command() -> None:
    """Expire overdue offers and requests, and send the next waves (one sweep)."""
    session = get_database().session()
    try:
        report = expire_offers(
            session, get_redis(), policy=DispatchPolicy.from_config(current_app.config)
        )
    finally:
        session.close()
    for line in report.lines():
        click.echo(line)
