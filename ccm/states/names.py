"""Country names in the reader's language, from CLDR through Babel.

The registry keeps each State's English name as its sources write it ("Lao People's Democratic Republic");
that name is shown in English. In French and Spanish the CLDR name of the ISO alpha-2 code is shown ("Laos",
"Guinée-Bissau", "Bosnia y Herzegovina"), and the registry's name when CLDR has none. Data (the API, CSV and
XLSX exports) keep the registry's name and the ISO codes: they are for joining, not for reading.
"""

from __future__ import annotations

import functools
import unicodedata

from babel import Locale, UnknownLocaleError
from django.utils import translation

# Where CLDR's everyday name differs from the name the United Nations and the Convention's documents use.
_UN_NAMES = {
    "fr": {
        "PS": "État de Palestine",
        "VA": "Saint-Siège",
        "CD": "République démocratique du Congo",
        "CG": "Congo",
    },
    "es": {
        "PS": "Estado de Palestina",
        "VA": "Santa Sede",
        "CD": "República Democrática del Congo",
        "CG": "Congo",
    },
}


@functools.lru_cache(maxsize=8)
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def localized_name(iso2: str, english: str, language: str | None = None) -> str:
    language = (language or translation.get_language() or "en").split("-")[0]
    if language == "en" or not iso2:
        return english
    code = iso2.upper()
    return _UN_NAMES.get(language, {}).get(code) or _territories(language).get(code) or english


def sort_key(name: str) -> str:
    """Alphabetical order that ignores accents and case ("Émirats" beside "Égypte", not after "Zambie")."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


# UN M49 sub-regions CLDR names differently in English (the registry keeps the M49 names).
_M49 = {"Australia and New Zealand": "053", "Micronesia": "057", "South-eastern Asia": "035", "Antarctica": "AQ"}


@functools.lru_cache(maxsize=4)
def _m49_codes() -> dict[str, str]:
    english = _territories("en")
    return {name: code for code, name in english.items() if code.isdigit()} | _M49


def localized_subregion(name: str, language: str | None = None) -> str:
    """A UN M49 sub-region ("Western Asia") in the active language ("Asie de l’Ouest"), from CLDR."""
    language = (language or translation.get_language() or "en").split("-")[0]
    if language == "en" or not name:
        return name
    code = _m49_codes().get(name)
    return (_territories(language).get(code) if code else None) or name
