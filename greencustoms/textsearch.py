"""The ONE text search of the platform: accent- and case-insensitive substring match, with the typed text literal.

Rule: a searchable text is stored a second time, folded (`fold`: NFKD, combining marks removed, case-folded, a few
letters that do not decompose mapped to their base: ø, ł, đ, ß...), in a column that the model writes whenever the
source changes (`User.search_text`, `Certificate.holder_search`; see `folded_columns`). `contains(column, typed)`
folds what was typed the same way and matches it anywhere in that column, with `%`, `_` and the escape character
matching only themselves. This works alike on SQLite and PostgreSQL and needs no database extension (PostgreSQL's
`unaccent` needs a superuser to install and is not available everywhere).
"""

from __future__ import annotations

import unicodedata

from sqlalchemy.sql.elements import ColumnElement

ESCAPE = "\\"
# Latin letters that NFKD does not split into a base letter and a mark; searched as their base letter.
_UNSPLIT = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})


def fold(text: str | None) -> str:
    """`text` as search compares it: "Zoé Núñez-Müller" -> "zoe nunez-muller"; None -> ""."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped.translate(_UNSPLIT))


def like_pattern(typed: str) -> str:
    """A LIKE pattern matching the folded `typed` anywhere, its %, _ and backslash escaped with ESCAPE."""
    literal = fold(typed).replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return f"%{literal}%"


def contains(folded_column, typed: str) -> ColumnElement[bool]:
    """`folded_column` (a column written with `fold`) contains what was typed, ignoring accents and case."""
    return folded_column.like(like_pattern(typed), escape=ESCAPE)


def joined(*parts: str | None) -> str:
    """Several texts folded into one search column, separated so that a match never spans two of them."""
    return "\n".join(fold(part) for part in parts)
