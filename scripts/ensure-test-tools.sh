#!/usr/bin/env bash
# Install what the tests drive when it is missing: the Ralph LRS (pip, its own virtualenv), and Debian packages:
#   chromium       real-browser tests (Playwright's own browser download does not work here)
#   poppler-utils  pdftotext / pdftoppm, to read certificate PDFs as a verifier would
#   nginx, openssl the cluster test's proxy with TLS (tests/cluster/run.py)
set -euo pipefail

# The Ralph LRS (tests/test_xapi.py) in its own virtualenv: its dependencies' pins differ from the app's.
RALPH_VENV="${RALPH_VENV:-.venv-ralph}"
if [ ! -x "$RALPH_VENV/bin/uvicorn" ] || ! cmp -s requirements-lrs.txt "$RALPH_VENV/.requirements"; then
  echo "Installing the Ralph LRS for the xAPI tests into $RALPH_VENV"
  python3 -m venv "$RALPH_VENV"
  "$RALPH_VENV/bin/python" -m pip install --quiet -r requirements-lrs.txt
  cp requirements-lrs.txt "$RALPH_VENV/.requirements"
fi

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages for the tests: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Missing ${missing[*]} and this user cannot install them: run 'apt-get install ${missing[*]}' as root." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
