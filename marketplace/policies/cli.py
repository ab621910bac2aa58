"""`flask policies load [FILE]`: the policy file into the policies table (idempotent upsert)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from marketplace.database import transaction
from marketplace.policies import services, spec


@click.command("load")
@with_appcontext
@click.argument(
    "file", required=False, type=click.Path(dir_okay=False, path_type=Path), default=None
)
def load_command(file: Path | None) -> None:
    """Load policies from FILE (default: the built-in Weihai 2023 file), upserting by code."""
    path = file or spec.BUILTIN_FILE
    try:
        specs = spec.read_file(path)
    except spec.PolicyFileError as error:
        for line in error.errors:
            click.echo(f"error: {line}", err=True)
        raise click.ClickException(f"{path}: {len(error.errors)} 处错误，未导入任何政策") from None
    with transaction() as session:
        result = services.load_policies(session, specs)
    click.echo(
        f"policies from {path.name}: {len(result.created)} created, "
        f"{len(result.updated)} updated, {len(result.unchanged)} unchanged"
    )
    if result.not_in_file:
        click.echo(f"kept (not in the file): {', '.join(result.not_in_file)}")
