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
# Recycle workers now and then so that slow leaks never pile up.
max_requests = 5000
max_requests_jitter = 500
# Load the app (and the content catalog) once in the master, then fork: faster start, shared memory.
preload_app = True
accesslog = os.environ.get("GREENCUSTOMS_ACCESS_LOG", "-")
errorlog = "-"
# Trust X-Forwarded-* only from the local reverse proxy; the app applies ProxyFix itself (GREENCUSTOMS_PROXY_HOPS).
forwarded_allow_ips = os.environ.get("GREENCUSTOMS_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """Each worker opens its own database connections: drop any pool inherited from the master.
    The application is the one gunicorn preloaded (whatever module it was served from)."""
    from greencustoms.extensions import db

    app = server.app.wsgi()
    if hasattr(app, "app_context"):
        with app.app_context():
            db.engine.dispose(close=False)


def when_ready(server):
    """Compile every template once in the master before it forks: each worker, and each one that replaces a worker
    recycled after max_requests, then starts with them compiled instead of compiling them on its first requests."""
    app = server.app.wsgi()
    if hasattr(app, "jinja_env"):
        for name in app.jinja_env.list_templates(filter_func=lambda name: name.endswith(".html")):
            app.jinja_env.get_template(name)
