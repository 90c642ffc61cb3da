"""A real Ralph LRS on a free loopback port, with its file-system backend, for the xAPI tests.

Ralph lives in its own virtualenv (.venv-ralph, or RALPH_VENV), installed by scripts/ensure-test-tools.sh (run by
`make test` and so by .ci/run). It is started as `ralph runserver -b fs` starts it (uvicorn on ralph.api:app with
the fs backend) by tests/ralph_server.py, which says how it differs.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RALPH_VENV = Path(os.environ.get("RALPH_VENV", ROOT / ".venv-ralph"))
USERNAME, PASSWORD = "greencustoms", "lrs-test-password"


def ralph_installed() -> bool:
    return (RALPH_VENV / "bin" / "uvicorn").exists() and (RALPH_VENV / "bin" / "ralph").exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Ralph:
    """One LRS: `start()`, `stop()` (an outage), `start()` again on the same port and data, `statements()`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI/"
        self.process: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "RALPH_APP_DIR": str(folder / "app"),
            "RALPH_AUTH_FILE": str(folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
        }
        subprocess.run(
            [
                RALPH_VENV / "bin" / "ralph",
                "auth",
                "-u",
                USERNAME,
                "-p",
                PASSWORD,
                "-s",
                "all",
                "-A",
                USERNAME,
                "https://lrs.test",
                "-w",
            ],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        with (self.folder / "ralph.log").open("ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [RALPH_VENV / "bin" / "python", Path(__file__).parent / "ralph_server.py", "127.0.0.1", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError((self.folder / "ralph.log").read_text()[-2000:]) from None
                time.sleep(0.2)
        raise RuntimeError("Ralph did not start within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def statements(self) -> list[dict]:
        """Every statement the LRS holds (read back through its xAPI endpoint)."""
        found, url = [], self.url + "statements?limit=500"
        secret = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        while url:
            headers = {"Authorization": "Basic " + secret, "X-Experience-API-Version": "1.0.3"}
            request = urllib.request.Request(url, headers=headers)  # noqa: S310  (loopback test server)
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  (loopback test server)
                page = json.load(response)
            found += page["statements"]
            more = page.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else None
        return found

    def config(self) -> dict:
        return {"XAPI_LRS_URL": self.url, "XAPI_LRS_USERNAME": USERNAME, "XAPI_LRS_PASSWORD": PASSWORD}
