"""Registers the `flask` command groups of every feature (each lives beside its feature)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.bases.cli import bases_cli
    from marketplace.dashboard.cli import dashboard_cli
    from marketplace.demo.seed import demo_cli
    from marketplace.gigs.cli import gigs_cli
    from marketplace.jobs.check_cli import check_postings_command
    from marketplace.jobs.importer import jobs_cli
    from marketplace.occupations.cli import occupation_cli
    from marketplace.places.cli import places_cli
    from marketplace.search.evaluation import eval_cli
    from marketplace.search.ranker_cli import ranker_cli

    jobs_cli.add_command(check_postings_command)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(eval_cli)
    app.cli.add_command(ranker_cli)
    app.cli.add_command(gigs_cli)
    app.cli.add_command(places_cli)
    app.cli.add_command(occupation_cli)
    app.cli.add_command(bases_cli)
    app.cli.add_command(dashboard_cli)
