"""Locale selection: the user's profile language, then the browser's Accept-Language, then the default."""

from flask import current_app, request
from flask_login import current_user


def select_locale() -> str:
    """Pick the UI language among the configured LANGUAGES."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
