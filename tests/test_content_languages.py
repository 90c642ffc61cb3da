"""Translated views built on first use once their content version has passed every check (content/languages.py,
issue 18 item 3): the first load of a version builds and checks every language, a later load of the same version
builds a language when it is first read, and the result is the same either way."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from greencustoms.content import ContentError, load_catalog
from greencustoms.content.languages import RECORD_PREFIX, LazyLanguages, warm
from tests.test_content_cli import content_app
from tests.test_content_translations import copy


def records(cache: Path) -> list[str]:
    """The "checked" records of the YAML cache file."""
    stored = json.loads((cache / "parsed.json").read_text(encoding="utf-8"))
    return [key for key in stored if key.startswith(RECORD_PREFIX)]


def same_view(one, other) -> None:
    assert one.language == other.language
    assert one.courses == other.courses and one.modules == other.modules
    assert one.quizzes == other.quizzes and one.glossary == other.glossary


def test_first_load_checks_everything_and_a_restart_builds_languages_when_read(tmp_path):
    root, cache = copy(tmp_path), tmp_path / "cache"
    first = load_catalog(root, cache)
    assert not isinstance(first.translations, LazyLanguages) and set(first.translations) == {"ar", "fr"}
    assert len(records(cache)) == 1

    again = load_catalog(root, cache)
    assert again.version == first.version
    assert isinstance(again.translations, LazyLanguages)
    assert again.translations.built() == () and set(again.translations) == {"ar", "fr"}
    # The status (what the catalogue page shows) is there before any view is built.
    for language, items in first.status.translated.items():
        assert {key: (i.declared, i.path, i.line) for key, i in items.items()} == {
            key: (i.declared, i.path, i.line) for key, i in again.status.translated[language].items()
        }
    french = again.localized("fr")
    assert again.translations.built() == ("fr",)
    same_view(french, first.localized("fr"))
    assert french.lesson_sequence("demo")[0][1].language == "fr"
    assert again.localized("fr") is french  # built once
    assert again.localized("de") is again  # no such translation: the source
    warm(again)
    assert again.translations.built() == ("ar", "fr")
    same_view(again.localized("ar"), first.localized("ar"))


def test_a_lazy_load_keeps_the_cache_entries_it_did_not_read(tmp_path):
    root, cache = copy(tmp_path), tmp_path / "cache"
    load_catalog(root, cache)
    rendered = set(json.loads((cache / "rendered.json").read_text(encoding="utf-8")))
    parsed = set(json.loads((cache / "parsed.json").read_text(encoding="utf-8")))
    load_catalog(root, cache)  # lazy: reads no translation, must not drop their entries as stale
    assert set(json.loads((cache / "rendered.json").read_text(encoding="utf-8"))) == rendered
    assert set(json.loads((cache / "parsed.json").read_text(encoding="utf-8"))) == parsed


def test_an_edited_translation_is_checked_again_at_load(tmp_path):
    """The record covers one content version only: a translation broken after it still stops the app."""
    root, cache = copy(tmp_path), tmp_path / "cache"
    load_catalog(root, cache)
    quiz = root / "quizzes/demo-basics.fr.yaml"
    text = quiz.read_text(encoding="utf-8")
    quiz.write_text(text.replace("- id: ", "- id: no-such-", 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog(root, cache)
    assert any("demo-basics.fr.yaml" in issue.path and "no-such-" in issue.message for issue in caught.value.issues)
    quiz.write_text(text, encoding="utf-8")
    assert isinstance(load_catalog(root, cache).translations, LazyLanguages)  # the checked version again


def test_a_damaged_record_means_a_full_load(tmp_path):
    root, cache = copy(tmp_path), tmp_path / "cache"
    load_catalog(root, cache)
    path = cache / "parsed.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in data:
        if key.startswith(RECORD_PREFIX):
            data[key] = [{"fr": [["lesson:x", "abc"]]}]  # rows of the wrong shape
    path.write_text(json.dumps(data), encoding="utf-8")
    catalog = load_catalog(root, cache)
    assert not isinstance(catalog.translations, LazyLanguages)
    assert catalog.localized("fr").language == "fr"


def test_no_cache_folder_means_a_full_load_every_time(tmp_path):
    root = copy(tmp_path)
    load_catalog(root)
    assert not isinstance(load_catalog(root).translations, LazyLanguages)


def test_content_check_builds_every_language_even_after_a_record(tmp_path):
    """`flask content check` reports the translations' warnings, which only a full build finds."""
    root, cache = copy(tmp_path), tmp_path / "cache"
    lesson = root / "modules/demo-basics/01-welcome.fr.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n## Une section de trop\n\nTexte.\n", encoding="utf-8")
    content_app(root, CONTENT_CACHE_DIR=str(cache))  # the first load records the version as checked
    app = content_app(root, CONTENT_CACHE_DIR=str(cache))
    assert isinstance(app.extensions["catalog"].translations, LazyLanguages)
    output = app.test_cli_runner().invoke(args=["content", "check"]).output
    assert "01-welcome.fr.md" in output and "the headings differ from the source's" in output


def test_concurrent_first_reads_build_one_view(tmp_path):
    root, cache = copy(tmp_path), tmp_path / "cache"
    load_catalog(root, cache)
    catalog = load_catalog(root, cache)
    seen, barrier = [], threading.Barrier(6)

    def read() -> None:
        barrier.wait()
        seen.append(catalog.localized("fr"))

    threads = [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 6 and all(view is seen[0] for view in seen)


def test_study_language_offers_are_counted_once_per_catalog(tmp_path, monkeypatch):
    """Pages offering study languages read each course's coverage from the catalog's status after the first count."""
    from greencustoms.content import coverage as coverage_module

    catalog = load_catalog(copy(tmp_path))
    first = coverage_module.course_languages(catalog, "demo", ["en", "fr", "ar", "de"])
    assert first[0] == ("en", 100) and [language for language, _ in first[1:]] == ["fr", "ar"]
    assert all(0 < percent <= 100 for _, percent in first[1:])

    def recount(*_args):
        raise AssertionError("coverage counted again")

    monkeypatch.setattr(coverage_module, "coverage", recount)
    assert coverage_module.course_languages(catalog, "demo", ["en", "fr", "ar", "de"]) == first
