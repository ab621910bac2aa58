"""`flask bases push`: send due webhook retries and due digests to labour cooperation bases."""

from __future__ import annotations

import logging
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from marketplace.bases import services
from marketplace.bases.webhook import DEFAULT_TIMEOUT
from marketplace.database import get_database, utcnow

log = logging.getLogger(__name__)

bases_cli = AppGroup("bases", help="Labour cooperation bases: vacancy digests and webhook pushes.")


@bases_cli.command("push")
@click.option("--base", "base_id", type=int, default=None, help="Only this base (by id).")
@click.option("--force", is_flag=True, help="Send a new digest now even if the last one is recent.")
def push_command(base_id: int | None, force: bool) -> None:
    """Send due retries and new digests (run it from cron every few minutes)."""
    config = current_app.config
    site_url = config.get("PUBLIC_BASE_URL") or ""
    if not site_url:
        log.warning("PUBLIC_BASE_URL is not set: vacancy links in digests are relative")
    session = get_database().session()
    try:
        report = services.push_due(
            session,
            utcnow(),
            site_url=site_url,
            interval=timedelta(hours=float(config.get("BASES_PUSH_INTERVAL_HOURS", 24))),
            timeout=float(config.get("BASES_WEBHOOK_TIMEOUT", DEFAULT_TIMEOUT)),
            limit=int(config.get("BASES_DIGEST_LIMIT", 100)),
            base_id=base_id,
            force=force,
        )
    finally:
        session.close()
    click.echo(report.line())
