"""Give the interface's translations the typography the content already has: no-break spaces where a line break
would leave a lone ":" or "?" at the start of a line on a phone (French), or split a number written in groups
of three ("15 400", every language).

The rule is the content's own, `greencustoms.content.typography.no_break`; this script applies it to every
translated string of every catalogue under greencustoms/translations, in place. `make translations` runs it
before compiling, and tests/test_i18n.py fails while a catalogue still needs it.

    python scripts/po_typography.py [catalogue.po ...]     # default: every messages.po
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from greencustoms.content.typography import is_french, no_break  # noqa: E402  (after the path is set)

WIDTH = 76  # pybabel's own line width: the files keep the layout `pybabel update` gives them


def language_of(path: Path) -> str:
    """The language of <dir>/<language>/LC_MESSAGES/messages.po."""
    return path.parent.parent.name


def typeset(string: str | tuple[str, ...], language: str) -> str | tuple[str, ...]:
    """A translated string (or the forms of a plural) with the typography rule applied."""
    french = is_french(language)
    if isinstance(string, str):
        return no_break(string, french) or string
    return tuple(no_break(form, french) or form for form in string)


def fix(path: Path) -> int:
    """Apply the rule to one catalogue in place; returns how many messages changed (0: the file is untouched)."""
    language = language_of(path)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    changed = 0
    for message in catalog:
        if message.id and message.string:
            typeset_string = typeset(message.string, language)
            if typeset_string != message.string:
                message.string = typeset_string
                changed += 1
    if changed:
        with path.open("wb") as handle:
            write_po(handle, catalog, width=WIDTH)
    return changed


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or sorted((ROOT / "greencustoms/translations").glob("*/LC_MESSAGES/*.po"))
    for path in paths:
        changed = fix(path)
        if changed:
            print(f"{path}: {changed} strings given no-break spaces")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
