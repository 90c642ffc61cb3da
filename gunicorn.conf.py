"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py app:app` (see docs/deploy.md).

Every value can be overridden with the usual GUNICORN_CMD_ARGS or the variables below.
"""

import multiprocessing
import os

bind = os.environ.get("GREENCUSTOMS_BIND", "127.0.0.1:8000")
# Workers from the CPU count: the classic (2 x cores) + 1 for a mostly I/O-bound app.
workers = int(os.environ.get("GREENCUSTOMS_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GREENCUSTOMS_THREADS", "2"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never piles up, but rarely enough that per-process caches
# (compressed lesson bodies, SQLAlchemy's compiled statements, the database connection pool, locale data) live:
# at 5,000 a loaded 2-core machine (about 1,000 requests/s over 5 workers) replaced a worker every 25 s, and each
# new one paid for a cold start. 100,000 is several minutes at full load and hours or days at ordinary load; no
# leak is known (memory stays flat under the bench). The jitter (up to 10 %) keeps workers from restarting together.
max_requests = int(os.environ.get("GREENCUSTOMS_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# Load the app (and the content catalog) once in the master, then fork: faster start, shared memory.
preload_app = True
accesslog = os.environ.get("GREENCUSTOMS_ACCESS_LOG", "-")
errorlog = "-"
# Believe X-Forwarded-Proto only from the configured reverse proxy (GREENCUSTOMS_TRUSTED_PROXIES, comma-separated
# addresses or networks; nobody when unset). The app applies the same list to X-Forwarded-For/Proto/Host itself.
forwarded_allow_ips = os.environ.get("GREENCUSTOMS_TRUSTED_PROXIES", "")


def on_starting(server):
    """Refuse to start several workers on per-process rate-limit counters (memory://): each worker would count on
    its own, and 2 workers would let twice the sign-in guesses through. Exits with the reason."""
    from greencustoms.config import several_workers_on_private_counters

    app = server.app.wsgi()
    config = getattr(app, "config", None)
    if config is None:  # not the Flask app (a wrapped WSGI callable): nothing to check
        return
    reason = several_workers_on_private_counters(str(config.get("RATELIMIT_STORAGE_URI", "")), server.cfg.workers)
    if reason:
        server.log.error(reason)
        raise SystemExit(reason)


def post_fork(server, worker):
    """Each worker opens its own database connections: drop any pool inherited from the master.
    The application is the one gunicorn preloaded (whatever module it was served from)."""
    from greencustoms.extensions import db

    app = server.app.wsgi()
    if hasattr(app, "app_context"):
        with app.app_context():
            db.engine.dispose(close=False)


def when_ready(server):
    """Compile every template and build every translated view of the content once in the master before it forks:
    each worker, and each one that replaces a worker recycled after max_requests, then starts with them ready (and
    shared) instead of building them on its first requests."""
    app = server.app.wsgi()
    if hasattr(app, "jinja_env"):
        for name in app.jinja_env.list_templates(filter_func=lambda name: name.endswith(".html")):
            app.jinja_env.get_template(name)
    catalog = getattr(app, "extensions", {}).get("catalog")
    if catalog is not None:
        from greencustoms.content.languages import warm

        warm(catalog)
