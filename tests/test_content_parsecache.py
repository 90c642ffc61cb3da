"""The YAML cache: a restart reuses parsed documents (values and lines), a change or a problem is parsed again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from greencustoms.content import ContentError, load_catalog, parsecache, rendercache, yamlsource
from greencustoms.content.issues import Issues
from greencustoms.content.parsecache import ParseCache

FIXTURE = Path(__file__).parent / "fixtures" / "content"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def content(tmp_path):
    """A private copy of the fixture content, and a cold process memory (as in a fresh process)."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    parsecache._memory.clear()
    rendercache._memory.clear()
    return root


def _count_parses(monkeypatch) -> list[int]:
    calls = [0]
    original = yamlsource.parse_yaml

    def counting(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(parsecache, "parse_yaml", counting)
    return calls


def test_a_restart_parses_no_yaml_and_builds_the_same_catalog(content, tmp_path, monkeypatch):
    """The second load (memory cleared, as a new process) parses nothing and builds an identical catalog."""
    cache = tmp_path / "cache"
    calls = _count_parses(monkeypatch)
    first = load_catalog(content, cache)
    assert calls[0] > 10
    assert (cache / "parsed.json").is_file()

    parsecache._memory.clear()
    calls[0] = 0
    second = load_catalog(content, cache)
    assert calls[0] == 0
    assert second.version == first.version
    assert second.quizzes == first.quizzes
    assert second.courses == first.courses


def test_an_edited_file_is_parsed_again(content, tmp_path, monkeypatch):
    """Changing one file's text misses the cache for that file only."""
    cache = tmp_path / "cache"
    load_catalog(content, cache)
    course = next((content / "courses").glob("*.yaml"))
    course.write_text(course.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    parsecache._memory.clear()
    calls = _count_parses(monkeypatch)
    load_catalog(content, cache)
    assert calls[0] == 1


def test_a_problem_is_reported_on_every_load_with_its_line(content, tmp_path):
    """A document with a duplicated field is never cached: the second load reports it again, same line."""
    cache = tmp_path / "cache"
    course = next((content / "courses").glob("*.yaml"))
    text = course.read_text(encoding="utf-8")
    course.write_text(text + "title: Again\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    for _ in range(2):
        with pytest.raises(ContentError) as caught:
            load_catalog(content, cache)
        messages = [str(issue) for issue in caught.value.issues]
        assert any(f":{line}:" in m and 'field "title" is given twice' in m for m in messages), messages


def test_dates_and_lines_survive_the_file(tmp_path):
    """Values JSON cannot say exactly (dates, non-text keys) come back as they were parsed, with the same lines."""
    text = "when: 2026-03-01\nitems:\n  - a: 1\n  - 2: two\n"
    first = ParseCache(tmp_path).parse(text, "x.yaml", Issues(), first_line=5)
    ParseCache(tmp_path).save()  # nothing used: no file written by a reader that parsed nothing
    cache = ParseCache(tmp_path)
    cache.parse(text, "x.yaml", Issues(), first_line=5)
    cache.save()
    parsecache._memory.clear()
    again = ParseCache(tmp_path).parse(text, "x.yaml", Issues(), first_line=5)
    assert first is not None and again is not None
    assert again.data == first.data == {"when": date(2026, 3, 1), "items": [{"a": 1}, {2: "two"}]}
    assert again.lines == first.lines and again.line(("items", 1)) == 8


def test_a_damaged_file_is_ignored(content, tmp_path):
    """A cache file that is not JSON, or holds entries of the wrong shape, costs a parse, never a wrong catalog."""
    cache = tmp_path / "cache"
    first = load_catalog(content, cache)
    data = json.loads((cache / "parsed.json").read_text(encoding="utf-8"))
    (cache / "parsed.json").write_text(json.dumps({key: [[1], "x", None] for key in data}), encoding="utf-8")
    parsecache._memory.clear()
    assert load_catalog(content, cache).version == first.version
    (cache / "parsed.json").write_text("{not json", encoding="utf-8")
    parsecache._memory.clear()
    assert load_catalog(content, cache).quizzes == first.quizzes


def test_start_up_imports_no_migration_pdf_spreadsheet_or_queue_library():
    """create_app() leaves Alembic, fpdf2, openpyxl and Huey to the commands and requests that use them."""
    code = (
        "import sys; from greencustoms import create_app; create_app(); "
        "heavy = {'alembic', 'flask_migrate', 'fpdf', 'openpyxl', 'huey'}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))"
    )
    env = {**os.environ, "GREENCUSTOMS_SECRET_KEY": "test-secret-key"}  # else it would write instance/secret_key
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
