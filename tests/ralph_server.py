"""Start the Ralph LRS with its file-system backend, as `ralph runserver -b fs` does, for tests/lrskit.py.

Run with Ralph's own interpreter: `.venv-ralph/bin/python tests/ralph_server.py HOST PORT`; the backend reads its
directory and auth file from RALPH_* environment variables. Two differences from `ralph runserver`: no reloader
(one process, which a test can stop to simulate an outage), and the fs backend APPENDS each write to its one
statements file. (Ralph 5.1.0's fs LRS backend writes with operation "create", which refuses an existing file, so
only the first request after a start would be stored.)
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")
