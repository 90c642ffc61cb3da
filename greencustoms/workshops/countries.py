"""Reading a country as people write it in a roster: ISO codes, and names in English, French, Spanish and Arabic.

The rule: a cell names a country when, once folded (case, accents and Arabic diacritics ignored, apostrophes and
punctuation dropped, alef forms unified), it is a two-letter ISO 3166 code, a name of the territory in Babel's
English, French, Spanish or Arabic list, or one of the usual other spellings in ALIASES (the ISO "official short
names" such as "Viet Nam", "Korea, Republic of", and "USA", "UK", "Turkey", "Ivory Coast"...). Anything else is
unknown, and `suggest` offers the closest known name ("did you mean Kenya (KE)?") or None.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from babel import Locale

from greencustoms import rules

LANGUAGES = ("en", "fr", "es", "ar")
ALIASES = {
    "US": ("usa", "u s a", "us", "u s", "united states of america", "america", "etats unis d amerique", "eeuu"),
    "GB": (
        "uk",
        "u k",
        "great britain",
        "britain",
        "united kingdom of great britain and northern ireland",
        "england",
        "scotland",
        "wales",
        "northern ireland",
        "grande bretagne",
        "gran bretana",
    ),
    "VN": ("viet nam", "vietnam"),
    "TR": ("turkey", "turkiye", "republic of turkiye", "turquia"),
    "CD": (
        "democratic republic of the congo",
        "congo the democratic republic of the",
        "congo democratic republic of the",
        "dr congo",
        "drc",
        "rdc",
        "d r congo",
        "republique democratique du congo",
        "congo kinshasa",
    ),
    "CG": ("republic of the congo", "congo", "congo republic of the", "republique du congo", "congo brazzaville"),
    "CI": ("cote d ivoire", "cote divoire", "ivory coast", "republic of cote d ivoire"),
    "TZ": ("tanzania", "united republic of tanzania", "tanzania united republic of"),
    "KR": ("south korea", "korea republic of", "republic of korea", "korea"),
    "KP": ("north korea", "korea democratic people s republic of", "democratic people s republic of korea"),
    "IR": ("iran", "iran islamic republic of", "islamic republic of iran"),
    "SY": ("syria", "syrian arab republic"),
    "LA": ("laos", "lao people s democratic republic", "lao pdr"),
    "BO": ("bolivia", "bolivia plurinational state of", "plurinational state of bolivia"),
    "VE": ("venezuela", "venezuela bolivarian republic of", "bolivarian republic of venezuela"),
    "MD": ("moldova", "moldova republic of", "republic of moldova"),
    "RU": ("russia", "russian federation"),
    "CZ": ("czech republic", "czechia"),
    "SZ": ("swaziland", "eswatini", "kingdom of eswatini"),
    "CV": ("cape verde", "cabo verde"),
    "MK": ("macedonia", "north macedonia", "republic of north macedonia", "the former yugoslav republic of macedonia"),
    "MM": ("burma", "myanmar"),
    "TL": ("east timor", "timor leste"),
    "GM": ("gambia", "the gambia"),
    "BS": ("bahamas", "the bahamas"),
    "NL": ("holland", "netherlands", "the netherlands", "netherlands kingdom of the"),
    "PS": ("palestine", "state of palestine", "palestine state of", "occupied palestinian territory"),
    "VA": ("holy see", "vatican", "vatican city"),
    "FM": ("micronesia", "micronesia federated states of"),
    "BN": ("brunei", "brunei darussalam"),
    "TW": ("taiwan", "taiwan province of china"),
    "HK": ("hong kong",),
    "MO": ("macao", "macau"),
    "AE": ("uae", "u a e", "emirates"),
    "SA": ("ksa",),
    "EG": ("egypt arab republic of",),
}
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ـ": None})


def fold(text: str) -> str:
    """The lookup form of a name: no case, accents, diacritics, apostrophes or punctuation, alef forms unified."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_ALEF))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    bare = re.sub(r"['’‘`´ʼ]", " ", bare)
    return re.sub(r"[\W_]+", " ", bare).strip()


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Folded spelling -> ISO code, for every accepted country (rules.country_codes)."""
    codes = rules.country_codes()
    table: dict[str, str] = {}
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code in codes:
                table.setdefault(fold(name), code)
    for code, spellings in ALIASES.items():
        for spelling in spellings:
            table[fold(spelling)] = code
    for code in codes:
        table[code.lower()] = code
    return table


def country_code(typed: str) -> str | None:
    """The ISO code of the country the cell names (see the module docstring), or None."""
    return _table().get(fold(typed)) if typed and len(typed) <= 100 else None


def suggest(typed: str) -> str | None:
    """The closest known country as "Name (CODE)" in English, for a "did you mean" hint; None when nothing is
    close enough (a ratio under 0.7)."""
    folded = fold(typed)
    if not folded or len(folded) > 100:
        return None
    table = _table()
    spellings = [key for key in table if len(key) > 2]
    close = difflib.get_close_matches(folded, spellings, n=1, cutoff=0.7)
    if not close:
        return None
    code = table[close[0]]
    return f"{Locale.parse('en').territories.get(code, code)} ({code})"
