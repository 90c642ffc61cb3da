"""Interface language and time zone: who reads in which language, in which direction, at what local time.

The language of a request is, in order: the signed-in account's language, the `lang` cookie set by the
language menu, the page's own default (a workshop's join page: see `add_page_default`), the browser's
Accept-Language, the platform default. Only configured LANGUAGES are ever used (docs/translations.md).
The language a learner takes each course in is another matter: `greencustoms.studylanguages`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from greencustoms.datetimes import format_datetime
from greencustoms.extensions import babel, db

COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the locale and time-zone selectors and give templates the helpers below (the factory
    registers the language menu's page, greencustoms.language_views)."""
    babel.init_app(app, locale_selector=_selected_locale, timezone_selector=select_timezone)
    register_template_helpers(app)


def register_template_helpers(app: Flask) -> None:
    """Give templates get_locale, text_direction, language_choices, country_name, content_attrs, isolated and the
    language_label filter. Globals, not a context processor: macros imported without context use them too."""
    app.jinja_env.globals.update(_template_values())
    app.jinja_env.filters["language_label"] = language_label
    app.jinja_env.filters["datetimeformat"] = format_datetime  # Flask-Babel's text, patterns looked up once
    # The i18n extension's callables, replaced with ones that find the catalogue faster (see _translations).
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    # `_()` and `gettext()`, the calls a page makes most (20 to 60 times), go straight to the catalogue instead of
    # through the extension's alias and wrapper (two context calls and a format of every string): same text.
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)


@pass_context
def _template_gettext(context: Any, string: str, **variables: Any) -> str:
    """The templates' `_()`, as Jinja's new-style gettext does it (an autoescaped page gets Markup, so the
    variables are escaped; `%(name)s` and `%%` are formatted), in one step."""
    text = _translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - our own catalogue, as Jinja's gettext marks it; variables get escaped
    return text % variables if variables or "%" in text else text


def _translations() -> Any:
    """The catalogue of the current (or forced) locale, as flask_babel.get_translations() returns it, but read
    from the per-request state Flask-Babel keeps, in one step: templates ask for it at every `_()`, 30 to 60
    times a page, and the full lookup is four times slower. Falls back to get_translations() whenever that state
    is not there yet (first call of a request, outside a request, another Flask-Babel version)."""
    try:
        state = g.get("_flask_babel")
        domain = state.babel_domain
        return domain.cache[(str(state.babel_locale), domain.domain[0])]
    except (AttributeError, KeyError, RuntimeError, TypeError, IndexError):
        return get_translations()


def languages() -> list[str]:
    """The configured interface languages, the default first."""
    return list(current_app.config["LANGUAGES"])


def supported(code: str | None) -> str | None:
    """`code` when it is a configured language, else None."""
    return code if code in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    """Pick the interface language among the configured LANGUAGES (see the module docstring for the order).
    Outside a request (the CLI, background jobs) it is the platform default."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = current_user._get_current_object()
    if user and user.is_authenticated and supported(user.language):
        return user.language
    return (
        supported(request.cookies.get(COOKIE))
        or _page_default()
        or browser_language()
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def _selected_locale() -> Locale:
    """Flask-Babel's locale selector: `select_locale`'s choice as a babel Locale, which Flask-Babel takes as it is
    (given the code, it would parse it again at every request that renders a page)."""
    return _parsed_locale(select_locale())


@lru_cache(maxsize=64)  # the configured languages: a handful
def _parsed_locale(code: str) -> Locale:
    return Locale.parse(code)


def browser_language() -> str | None:
    """The first of the browser's Accept-Language entries (by quality) that we offer, comparing the primary tag:
    "fr-CH, en;q=0.5" gives French even though English is listed exactly."""
    offered = current_app.config["LANGUAGES"]
    for tag, quality in request.accept_languages:
        if quality <= 0:
            continue
        primary = tag.replace("_", "-").split("-")[0].lower()
        if primary in offered:
            return primary
    return None


def add_page_default(app: Flask, provider: Callable[[], str | None]) -> None:
    """Register a function that may name the default language of the current page for a visitor who has not
    chosen one (a workshop's join page follows the workshop's language). It runs inside the request."""
    app.extensions.setdefault("i18n.page_defaults", []).append(provider)


def _page_default() -> str | None:
    for provider in current_app.extensions.get("i18n.page_defaults", ()):
        code = supported(provider())
        if code:
            return code
    return None


def select_timezone() -> str | None:
    """The signed-in account's time zone (times are stored in UTC and shown in it); UTC for everyone else."""
    if (
        has_request_context()
        and current_user
        and current_user.is_authenticated
        and getattr(current_user, "timezone", None)
    ):
        return current_user.timezone
    return None


def text_direction(locale: str | None = None) -> str:
    """ "rtl" for right-to-left languages (Arabic), "ltr" otherwise."""
    code = str(locale or get_locale() or "en").split("_")[0]
    return "rtl" if code in RTL_LANGUAGES else "ltr"


@lru_cache(maxsize=32)
def language_name(code: str) -> str:
    """A language's name in that language ("Français", "العربية"), for menus read by someone who cannot read the
    current one."""
    return (Locale.parse(code).get_display_name(code) or code).capitalize()


def language_label(code: str) -> str:
    """A language's name in the reader's language ("anglais" for a French reader)."""
    try:
        return Locale.parse(code).get_display_name(str(get_locale() or "en")) or code
    except (ValueError, TypeError):
        return code


def language_choices() -> list[tuple[str, str]]:
    """(code, own name) for each configured language."""
    return [(code, language_name(code)) for code in languages()]


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    """The IANA time zones people can choose (Area/City names, plus UTC), sorted."""
    zones = {zone for zone in available_timezones() if "/" in zone and not zone.startswith(("Etc/", "SystemV/"))}
    return ("UTC", *sorted(zones))


def set_language(user, code: str) -> None:
    """Store `code` as the account's interface language. Raises ValueError for a language not offered."""
    if not supported(code):
        raise ValueError(code)
    if user.language != code:
        user.language = code
        db.session.commit()


def set_time_zone(user, zone: str) -> None:
    """Store the account's time zone (an IANA name). Raises ValueError for an unknown zone."""
    if zone not in time_zones():
        raise ValueError(zone)
    if user.timezone != zone:
        user.timezone = zone
        db.session.commit()


def content_attributes(language: str | None = None) -> Markup:
    """` lang=".." dir=".."` for an element holding content written in `language` (default: the platform's source
    language) when it differs from the page's, so an English lesson inside an Arabic page reads left to right and
    is announced in English. Empty when they are the same."""
    language = language or current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    if language == str(get_locale() or ""):
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(language, text_direction(language))


def isolated(text: str) -> Markup:
    """`text` (a name, code, address or title put inside a translated sentence) in a <bdi>, so that it keeps its
    own direction: a Latin name or a URL inside Arabic text is not reordered, nor is an Arabic name in English."""
    return Markup("<bdi>{}</bdi>").format(text)


def _template_values() -> dict[str, object]:
    from greencustoms.forms_common import country_name

    return {
        "get_locale": get_locale,
        "text_direction": text_direction,
        "language_choices": language_choices,
        "country_name": country_name,
        "content_attrs": content_attributes,
        "isolated": isolated,
    }
