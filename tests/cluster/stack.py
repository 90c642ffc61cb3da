"""The parts of the cluster test: gunicorn instances, nginx with TLS, a fresh PostgreSQL database and Redis
database, a self-signed certificate, and a small HTTPS client with a cookie jar. Each part that runs a process
is a context manager that stops it on the way out, whatever happened."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
# nginx takes an upstream that failed out of rotation for this long (max_fails=1): a rolling restart waits it out
# before stopping the next instance, as a deployment script must.
FAIL_TIMEOUT_S = 2
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    """A TCP port nobody listens on right now, on loopback."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fresh_database(name: str) -> str:
    """Drop and create database `name` on the local PostgreSQL; returns its URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    """Drop database `name` (after the test)."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_redis(db: int) -> str:
    """Empty Redis database `db` on the local server; returns its URL."""
    import redis

    client = redis.Redis(host=HOST, port=6379, db=db)
    client.flushdb()
    client.close()
    return f"redis://{HOST}:6379/{db}"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A throw-away TLS certificate and key for 127.0.0.1."""
    cert, key = folder / "tls.crt", folder / "tls.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", str(key)]
        + ["-out", str(cert), "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class TlsBrowser:
    """One person: cookies, and a new connection per request (HTTPS when `cafile` is given). No redirects."""

    host: str
    port: int
    cafile: Path | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, form: list[tuple[str, str]] | None = None, headers: dict | None = None
    ) -> Reply:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # As a browser does on a same-origin form (the CSRF check over HTTPS wants it).
            scheme = "https" if self.cafile else "http"
            headers.setdefault("Referer", f"{scheme}://{self.host}:{self.port}{path}")
        if self.cafile:
            context = ssl.create_default_context(cafile=str(self.cafile))
            conn = http.client.HTTPSConnection(self.host, self.port, timeout=60, context=context)
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, form: list[tuple[str, str]]) -> Reply:
        return self.request("POST", path, form)


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py app:app` on a loopback port, as docs/deploy.md runs it."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env = {**env, "GREENCUSTOMS_BIND": f"{HOST}:{port}"}
        self.port, self.log = port, log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def start(self, timeout: float = 120.0) -> None:
        """Start and wait until /healthz answers."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "app:app"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started = time.monotonic()
        while self._health() is None:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: see {self.log}")
            if time.monotonic() - started > timeout:
                self.kill()
                raise RuntimeError(f"gunicorn on {self.port} did not answer /healthz in {timeout:.0f} s")
            time.sleep(0.1)

    def _health(self) -> Reply | None:
        try:
            reply = TlsBrowser(HOST, self.port).get("/healthz")
        except OSError:
            return None
        return reply if reply.status == 200 else None

    def content_version(self) -> str | None:
        """The content version this instance serves (the X-Content-Version of /healthz)."""
        reply = self._health()
        return reply.headers.get("x-content-version") if reply else None

    def stop(self) -> None:
        """A graceful stop (SIGTERM to the master), SIGKILL to the whole group if it lingers."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def kill(self) -> None:
        """SIGKILL to the master and its workers at once, as a crashed machine would."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


NGINX_CONF = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log {work}/nginx-access.log;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    upstream greencustoms {{ {servers} }}
    # From here on as docs/deploy.md section 5, except the port (and so $http_host for $host).
    server {{
        listen {host}:{port} ssl;
        ssl_certificate     {cert};
        ssl_certificate_key {key};
        client_max_body_size 2m;

        location /static/ {{
            alias {static}/;
            add_header Cache-Control "public, max-age=31536000, immutable";
            gzip on;
            gzip_types text/css application/javascript image/svg+xml;
        }}
        location / {{
            proxy_pass http://greencustoms;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
        }}
    }}
}}
"""


class Nginx:
    """Debian's nginx in the foreground with a private prefix, in front of the given gunicorn ports."""

    def __init__(self, work: Path, port: int, upstreams: list[int], cert: Path, key: Path, static: Path) -> None:
        self.work, self.port = work, port
        servers = " ".join(f"server {HOST}:{p} max_fails=1 fail_timeout={FAIL_TIMEOUT_S}s;" for p in upstreams)
        self.conf = work / "nginx.conf"
        self.conf.write_text(
            NGINX_CONF.format(
                work=work, servers=servers, host=HOST, port=port, cert=cert, key=key, static=str(static).rstrip("/")
            )
        )
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Nginx:
        nginx = "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "nginx"
        self.process = subprocess.Popen(
            [nginx, "-p", str(self.work), "-e", str(self.work / "nginx-error.log"), "-c", str(self.conf)]
            + ["-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started = time.monotonic()
        while True:
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() - started > 20:
                    log = (self.work / "nginx-error.log").read_text(errors="replace")
                    self.__exit__()
                    raise RuntimeError(f"nginx did not start: {log[-2000:]}") from None
                time.sleep(0.05)

    def __exit__(self, *_exc) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGQUIT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
