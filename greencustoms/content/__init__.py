"""Content: courses/, modules/, quizzes/ and glossary.yaml read once into an immutable, rendered Catalog."""

from __future__ import annotations

import sys

from flask import Flask, current_app

from .catalog import Catalog, CertificateSettings, CompletionRule, Course, GlossaryTerm, Lesson, Module, TocEntry
from .loader import ContentError, ContentIssue, load_catalog
from .quizbank import Option, Question, Quiz
from .rendercache import render_cache_dir

__all__ = [
    "Catalog",
    "CertificateSettings",
    "CompletionRule",
    "ContentError",
    "ContentIssue",
    "Course",
    "GlossaryTerm",
    "Lesson",
    "Module",
    "Option",
    "Question",
    "Quiz",
    "TocEntry",
    "get_catalog",
    "init_app",
    "load_catalog",
    "render_cache_dir",
]


def init_app(app: Flask) -> None:
    """Load the catalog from CONTENT_ROOT into app.extensions["catalog"] and add the `content` CLI (the factory
    registers the media and glossary pages, greencustoms.content.views).

    Broken content stops the app: every issue line goes to stderr and the process exits with status 1
    (no traceback). With app.debug or CONTENT_RELOAD, edited files are reloaded while the app runs
    (checked at most every CONTENT_RELOAD_INTERVAL seconds, default 1).
    """
    from .cli import content_cli
    from .reload import ContentWatcher

    root = app.config["CONTENT_ROOT"]
    reload = app.debug or app.config.get("CONTENT_RELOAD")
    watcher = ContentWatcher(app, root, app.config.get("CONTENT_RELOAD_INTERVAL", 1.0)) if reload else None
    try:
        app.extensions["catalog"] = app.config.get("CONTENT_CATALOG") or load_catalog(root, render_cache_dir(app))
    except ContentError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        print(f"{len(exc.issues)} content problem(s) in {root}: fix them and start again", file=sys.stderr)
        raise SystemExit(1) from None
    app.cli.add_command(content_cli)
    if watcher is not None:
        app.before_request(watcher.check)


def get_catalog() -> Catalog:
    """The catalog of the current app (call inside an app or request context)."""
    return current_app.extensions["catalog"]
