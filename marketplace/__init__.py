"""Jiuye 就业: the Flask web app (the only package that imports flask)."""

from __future__ import annotations

import logging
import secrets
import sys
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from marketplace.config import load_config


def _configure_logging(level: str) -> None:
    root = logging.getLogger()
    if not any(getattr(h, "_jiuye", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._jiuye = True  # type: ignore[attr-defined]  # marks our handler so it is added once
        root.addHandler(handler)
    root.setLevel(level)
    # alembic announces every plugin it sets up at INFO; the migrations themselves stay visible
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions (unconnected), blueprints and CLI commands."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(app.instance_path, config))
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        app.logger.warning("SECRET_KEY is not set: using a random key for this process")
    _configure_logging(app.config["LOG_LEVEL"])
    hops = int(app.config["PROXY_HOPS"])
    if hops > 0:
        # trust that many proxies' X-Forwarded-For/-Proto: request.remote_addr is the client's
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    from marketplace import cli, database, errors, extensions
    from marketplace.accounts import auth
    from marketplace.accounts import views as account_views
    from marketplace.api import views as api_views
    from marketplace.bases import views as bases_views
    from marketplace.dashboard import views as dashboard_views
    from marketplace.employers import views as employer_views
    from marketplace.events import views as events_views
    from marketplace.gigs import views as gig_views
    from marketplace.health import views as health_views
    from marketplace.home import views as home_views
    from marketplace.jobs import views as job_views
    from marketplace.jobs.display import pay_in_words
    from marketplace.kiosk import views as kiosk_views
    from marketplace.localtime import local_time
    from marketplace.policies import views as policies_views
    from marketplace.search import engine as search_engine
    from marketplace.search import views as search_views
    from marketplace.seekers import views as seeker_views
    from marketplace.staff import views as staff_views

    database.init_app(app)
    extensions.init_app(app)
    errors.init_app(app)
    search_engine.init_app(app)
    cli.init_app(app)
    auth.init_app(app)  # login manager and CSRF on every form
    app.register_blueprint(health_views.bp)
    app.register_blueprint(home_views.bp)
    app.register_blueprint(search_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(job_views.bp)
    app.register_blueprint(seeker_views.bp)
    app.register_blueprint(employer_views.bp)
    app.register_blueprint(staff_views.bp)
    app.register_blueprint(gig_views.bp)
    app.register_blueprint(api_views.bp)
    app.register_blueprint(kiosk_views.bp)
    app.register_blueprint(policies_views.bp)
    app.register_blueprint(events_views.bp)
    app.register_blueprint(bases_views.bp)
    app.register_blueprint(dashboard_views.bp)
    app.add_template_filter(pay_in_words, "pay")
    app.add_template_filter(local_time, "local")  # stored UTC → Beijing time
    return app
