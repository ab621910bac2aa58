"""gunicorn settings: bind, workers, timeouts, preload, logs to stdout."""

import os

bind = os.environ.get("JIUYE_BIND", "127.0.0.1:8000")
# 2 cores: a few sync workers with two threads each keep a slow request from blocking the rest
workers = int(os.environ.get("JIUYE_WORKERS", "3"))
threads = int(os.environ.get("JIUYE_THREADS", "2"))
timeout = 30
graceful_timeout = 10
# load the app (and its tokenizer) once in the master; workers share it copy-on-write
preload_app = True
# gunicorn's control socket is one path per user machine-wide: servers side by side (make run,
# browser tests, load tests) would fight over it, and nothing here uses it
control_socket_disable = True
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def when_ready(server):  # type: ignore[no-untyped-def]  # gunicorn hook signature
    """Warm the shared resources in the master before workers fork."""
    from marketplace.warmup import warm_up

    warm_up(server.app.wsgi())
