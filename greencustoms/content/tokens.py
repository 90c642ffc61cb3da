"""The tokens a translation must keep: numbers (digit runs, thousands separators ignored) and codes (Y46, A1180,
R4, D10, B3011...). A translation differs from its source when these multisets differ (docs/translations.md).

Numbers count only when written with the digits 0-9: "15,400", "15 400" and "15.400" are all 15400, while
Arabic-Indic digits are not numbers here, so a translation that uses them shows up as a difference.
"""

from __future__ import annotations

import re
from collections import Counter

import yaml

# A digit run with optional thousands groups ("15,400", "15 400", "15.400", "15 400" with a no-break space).
_NUMBER = re.compile(r"(?<![0-9])[0-9]+(?:[,.\u00a0\u202f ][0-9]{3}(?![0-9]))*")
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,3}[0-9]{1,6}(?![0-9])")
_SEPARATORS = re.compile(r"[,.\u00a0\u202f ]")


def tokens(text: str) -> Counter[str]:
    """The multiset of numbers and codes in `text`."""
    found: Counter[str] = Counter(_SEPARATORS.sub("", match) for match in _NUMBER.findall(text))
    found.update(_CODE.findall(text))
    return found


def difference(source: str, translation: str) -> tuple[Counter[str], Counter[str]]:
    """(tokens only the source has, tokens only the translation has); both empty when they agree."""
    ours, theirs = tokens(source), tokens(translation)
    return ours - theirs, theirs - ours


def lesson_text(text: str) -> str:
    """The translatable text of a lesson file: its title, summary, objectives and body (no other header field, so
    that `minutes` or `source_version` never count)."""
    header, closed, rest = text.removeprefix("---").partition("\n---")
    if not text.startswith("---") or not closed:
        return text
    try:
        data = yaml.safe_load(header)
    except yaml.YAMLError:
        data = None
    data = data if isinstance(data, dict) else {}
    fields = [str(data.get("title", "")), str(data.get("summary", "")), *map(str, data.get("objectives") or [])]
    return "\n".join([*fields, rest.partition("\n")[2]])
