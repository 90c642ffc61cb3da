"""`flask content check` and `flask content list`, and what the app does at start-up with broken content."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from greencustoms import content
from tests.test_content_loader import FIXTURE, broken_copy

PROJECT = Path(__file__).resolve().parent.parent
OK_LINE = "Content OK: 2 courses, 3 modules, 6 lessons, 3 quizzes (18 questions), 4 glossary terms"


def content_app(root: Path, **config) -> Flask:
    """A bare Flask app with only the content extension, so these tests need no database."""
    app = Flask(__name__)
    # the session's temporary cache folder (conftest), never the checkout's instance/
    config.setdefault("CONTENT_CACHE_DIR", os.environ["GREENCUSTOMS_CONTENT_CACHE_DIR"])
    app.config.update(TESTING=True, CONTENT_ROOT=str(root), **config)
    content.init_app(app)
    return app


def break_draw(tmp_path: Path) -> Path:
    return broken_copy(
        tmp_path,
        ("quizzes/demo-basics.yaml", "draw: 7", "draw: 9"),
        ("modules/demo-basics/01-welcome.md", "!!! tip", "!!! warning"),
    )


EXPECTED_ISSUES = [
    'modules/demo-basics/01-welcome.md:15: unknown callout kind "warning"; use one of red-flag, safety, tip, note '
    "(as in !!! tip)",
    'quizzes/demo-basics.yaml:5: field "draw" asks for 9 questions per attempt but the bank has only 7: '
    "lower draw or add questions",
]


def test_check_reports_counts_and_exits_0():
    """On good content, `content check` prints its warnings (the assessment lint's: wrong options without
    feedback, at their lines), then the translation report (tests/test_content_translations.py), then the counts
    line, and exits 0."""
    result = content_app(FIXTURE).test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    *lines, last = result.output.strip().splitlines()
    assert last == OK_LINE
    warnings = lines[: lines.index("Translations into ar:")]
    expected = (
        'quizzes/demo-waste.yaml:19: question "waste-single": wrong option "a" has no feedback: say why it is wrong'
    )
    assert f"{expected} (warning)" in warnings
    assert all(line.endswith("(warning)") for line in warnings)


def test_check_prints_every_issue_and_exits_1(tmp_path):
    """`content check` loads CONTENT_ROOT afresh: broken files give their issue lines on stdout and exit 1."""
    app = content_app(FIXTURE)
    app.config["CONTENT_ROOT"] = str(break_draw(tmp_path))
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == EXPECTED_ISSUES


def test_list_shows_courses_modules_and_lesson_minutes():
    """`content list` prints each course, its modules and each lesson with reading minutes."""
    result = content_app(FIXTURE).test_cli_runner().invoke(args=["content", "list"])
    assert result.exit_code == 0
    assert "demo: Demo course: controlling waste shipments (0.5 h" in result.output
    assert "  demo-waste: Recognising hazardous waste" in result.output
    assert "    01-welcome: Welcome (3 min)" in result.output


def test_app_start_with_broken_content_prints_issues_and_exits(tmp_path, capsys):
    """init_app on broken content writes each issue line to stderr and raises SystemExit(1), no traceback."""
    with pytest.raises(SystemExit) as exited:
        content_app(break_draw(tmp_path))
    assert exited.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == EXPECTED_ISSUES
    assert "Traceback" not in "\n".join(err)


def test_check_through_the_real_app(runner):
    """The project's app registers the `content` commands (fixture content from tests/conftest.py)."""
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert OK_LINE in result.output


def _flask(args: list[str], content_root: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "GREENCUSTOMS_CONTENT_ROOT": str(content_root),
        "GREENCUSTOMS_SECRET_KEY": "test-secret-key",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "FLASK_DEBUG": "0",
    }
    return subprocess.run(  # noqa: S603 - fixed argv, our own interpreter
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(not (PROJECT / "app.py").exists(), reason="app.py (the lead's entry point) is not there yet")
def test_flask_command_exits_1_with_issue_lines(tmp_path):
    """`python -m flask --app app content check` on broken content exits 1 and prints file:line: message lines."""
    done = _flask(["content", "check"], break_draw(tmp_path), tmp_path)
    assert done.returncode == 1
    output = (done.stdout + done.stderr).splitlines()
    for line in EXPECTED_ISSUES:
        assert line in output
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not (PROJECT / "app.py").exists(), reason="app.py (the lead's entry point) is not there yet")
def test_flask_command_passes_on_good_content(tmp_path):
    """`python -m flask --app app content check` on the fixture prints the counts and exits 0."""
    done = _flask(["content", "check"], FIXTURE, tmp_path)
    assert done.returncode == 0, done.stderr
    assert OK_LINE in done.stdout
