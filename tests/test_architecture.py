"""The import contracts of docs/architecture.md hold, and they catch an import that breaks them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run the contracts of `root`/pyproject.toml over the greencustoms package found in `root`."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_import_contracts_are_kept():
    """Every contract in pyproject.toml is kept by the package as it is."""
    result = lint_imports(PROJECT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # a lower area reaching up (the cycle that learning.views used to dodge with a function-level import)
        ("learning/progress.py", "from greencustoms.certificates import service as _certs", "Areas depend"),
        # two areas on one line are independent
        ("workshops/gate.py", "import greencustoms.admin.stats", "Areas depend"),
        # a service importing pages
        ("quiz/service.py", "import greencustoms.quiz.views", "Only pages import pages"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(tmp_path, module, line, contract):
    """A copy of the package with one forbidden import, even inside a function, fails lint-imports."""
    shutil.copytree(PROJECT / "greencustoms", tmp_path / "greencustoms", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "greencustoms" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n\ndef _sneak():\n    {line}\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Contracts:")[0]
    assert f"{contract}" in broken and "BROKEN" in broken


def test_importing_a_service_loads_no_pages():
    """`import greencustoms.quiz.service` (or any area's service) loads no view module: package __init__ files only
    re-export, and the factory imports the pages."""
    code = (
        "import sys, greencustoms.quiz.service, greencustoms.certificates.service, greencustoms.workshops.service;"
        "print(sorted(m for m in sys.modules if m.startswith('greencustoms') and m.endswith('views')))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
