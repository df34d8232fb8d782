"""The de-identification check: find, in a text, the words and figures that identify a participant.

Core knows no domain: the caller passes the terms (``Term``: the words, what kind of word, whom they
identify), built by the term providers of the apps that own the data —
``ccm.states.selectors.identity_terms`` (names, official names, adjectives, capitals, other spellings,
ISO codes), ``ccm.accounts.selectors.identity_terms_for`` (organisations and people) and
``ccm.reporting.selectors.figure_terms`` (published figures: remaining area, deadline dates).
``find_identities(text, terms)`` returns every hit, sorted by start, never overlapping (where two hits
overlap the longer one is kept). The rules are written out in ``docs/architecture.md`` ("The
de-identification check"); in short:

- words are compared folded (Unicode NFKD without accents, case-folded, typographic apostrophes and
  dashes made plain), so "Líbano" finds "Libano" and "LEBANON" finds "Lebanon", and only as whole
  words: "Chad" does not hit "Chadwick", "Iran" does not hit "Iranian" (the adjective term does);
- a word may carry a plural or gender ending (``-s``, ``-es``, ``-x``) and an English possessive
  (``'s``): "Lebanon's", "Norwegians", "libanaises", "libaneses"; spaces, hyphens, apostrophes,
  commas and full stops inside a term are optional or interchangeable ("Lao Peoples Democratic
  Republic", "Guinea Bissau", "Ndjamena");
- a code or an acronym (a term written in 2–5 capital letters: ISO codes, "MAG") hits only written
  in capitals, as a whole token; a two-letter one only when it does not stand in a run of capitals
  ("LB", but not "NO" in "NO ACCESS" nor "no" in running text);
- a term that is also a common word ("Malé"/"male", "Turkey"/"turkey", "Granada"/"granada") hits
  only with a capital initial, and so does a person's surname alone (the last word of a full name, of
  four letters or more, found without the first name);
- a figure term is a number (with an optional unit ``m²``) or a date (``YYYY-MM-DD``); it hits in
  every common notation (see ``_number_patterns`` and ``_date_patterns``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _

KINDS = (
    "name",
    "official_name",
    "adjective",
    "capital",
    "other_spelling",
    "code",
    "organisation",
    "person",
    "figure",
)

KIND_LABELS = {
    "name": _("name"),
    "official_name": _("official name"),
    "adjective": _("adjective of nationality"),
    "capital": _("capital"),
    "other_spelling": _("other spelling"),
    "code": _("code"),
    "organisation": _("organisation"),
    "person": _("person"),
    "figure": _("published figure"),
}


@dataclass(frozen=True)
class Term:
    """A word (or figure) that identifies ``participant``; ``kind`` is one of ``KINDS``."""

    text: str
    kind: str
    participant: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


@dataclass(frozen=True)
class Hit:
    """Where ``term`` was found: ``text[start:end] == matched``."""

    start: int
    end: int
    matched: str
    term: Term

    def context(self, text: str, width: int = 40) -> tuple[str, str, str]:
        """The hit with up to ``width`` characters either side, cut at a space where one is near
        ("…" marks a cut): (before, matched, after)."""
        before = text[max(0, self.start - width) : self.start]
        if self.start > width:
            space = before.find(" ")
            before = "…" + (before[space + 1 :] if 0 <= space < width // 2 else before)
        after = text[self.end : self.end + width]
        if self.end + width < len(text):
            space = after.rfind(" ")
            after = (after[:space] if space > width // 2 else after) + "…"
        return " ".join(before.split("\n")), self.matched, " ".join(after.split("\n"))


@dataclass(frozen=True)
class HitInContext:
    """One hit ready for a page (``core/identity_hits.html``)."""

    before: str
    matched: str
    after: str
    term: Term
    start: int

    @property
    def kind_label(self) -> str:
        return self.term.kind_label

    @property
    def participant(self) -> str:
        return self.term.participant


def in_context(text: str, hits: Iterable[Hit], width: int = 40) -> list[HitInContext]:
    """The hits of ``find_identities(text, …)`` with their context, for ``core/identity_hits.html``."""
    return [HitInContext(*hit.context(text, width), term=hit.term, start=hit.start) for hit in hits]


# --- Folding ---------------------------------------------------------------------------------------

_PLAIN = {
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u02bb": "'",
    "`": "'",
    "\u00b4": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u00ad": "",  # soft hyphen
    "\u200b": "",  # zero-width space
}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _PLAIN:
        return _PLAIN[char]
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    kept = unicodedata.normalize("NFKD", kept)
    return "".join(_PLAIN.get(c, c) for c in kept if not unicodedata.combining(c))


def fold(value: str) -> str:
    """``value`` compared the way the check compares: no accents, case-folded, plain apostrophes."""
    return "".join(_fold_char(c) for c in value)


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the character it came from."""
    if text.isascii() and "`" not in text:
        return text.lower(), list(range(len(text)))
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = char.lower() if char.isascii() and char != "`" else _fold_char(char)
        if folded:
            parts.append(folded)
            origin.extend([index] * len(folded))
    return "".join(parts), origin


# --- Building the patterns -------------------------------------------------------------------------

# Terms that are also common words in English, French or Spanish: they hit only with a capital initial.
# ("Chad", "Jordan", "Georgia" are not here: as names of people they identify someone too.)
COMMON_WORDS = frozenset(
    {
        "male",  # Malé (Maldives); also "mâle"
        "turkey",
        "china",
        "chile",
        "guinea",
        "jersey",
        "polish",
        "granada",  # Grenada in Spanish; also a grenade
        "grenade",  # Grenada in French; also a grenade
        "sucre",
        "lima",
        "asuncion",
        "victoria",
        "kingston",
        "praia",
        "the valley",
    }
)

_SUFFIX = r"(?:es|s|x)?(?:'s)?"
_CODE_SUFFIX = r"(?:'s)?"
_ACRONYM = re.compile(r"^[A-Z]{2,5}$")
_WORD = re.compile(r"\w+")


def _units(folded: str) -> list[str]:
    """A folded term as regex pieces: letters literal; spaces and hyphens interchangeable; apostrophes,
    commas and full stops optional."""
    units: list[str] = []
    for char in folded:
        if char in " -\t\n":
            if units and units[-1] == r"[\s-]+":
                continue
            units.append(r"[\s-]+")
        elif char == "'":
            units.append("'?")
        elif char in ",.":
            units.append(re.escape(char) + "?")
        else:
            units.append(re.escape(char))
    while units and units[-1] in (r"[\s-]+", "'?", r",?", r"\.?"):
        units.pop()
    return units


@dataclass(frozen=True)
class _Entry:
    units: tuple[str, ...]
    term: Term
    rule: str  # "", "upper", "upper2" (two-letter code), "capital"


def _trie_pattern(entries: Sequence[_Entry], suffix_of: dict[str, str]) -> tuple[re.Pattern[str] | None, list[_Entry]]:
    """One regex for many literal terms: a trie (shared prefixes written once, so each position tries
    only the branches of its first letter), each term ending in a named group ``t<n>``. It matches at
    every position (a lookahead), giving the longest term that starts there."""
    trie: dict[str, Any] = {}
    leaves: list[_Entry] = []
    for entry in entries:
        node = trie
        for unit in entry.units:
            node = node.setdefault(unit, {})
        if "" not in node:  # the first entry for a folded text wins
            node[""] = len(leaves)
            leaves.append(entry)
    if not leaves:
        return None, leaves

    def render(node: dict[str, Any]) -> str:
        branches = [unit + render(child) for unit, child in node.items() if unit]
        if "" in node:
            index = node[""]
            branches.append(f"(?P<t{index}>{suffix_of[leaves[index].rule]})(?!\\w)")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return re.compile(r"(?<!\w)(?=" + render(trie) + ")"), leaves


# Numbers and dates ------------------------------------------------------------------------------

_MONTHS = {
    1: ("january", "jan", "janvier", "janv", "enero", "ene"),
    2: ("february", "feb", "fevrier", "fevr", "fev", "febrero"),
    3: ("march", "mar", "mars", "marzo"),
    4: ("april", "apr", "avril", "avr", "abril", "abr"),
    5: ("may", "mai", "mayo"),
    6: ("june", "jun", "juin", "junio"),
    7: ("july", "jul", "juillet", "juil", "julio"),
    8: ("august", "aug", "aout", "agosto", "ago"),
    9: ("september", "sept", "sep", "septembre", "septiembre", "setiembre", "set"),
    10: ("october", "oct", "octobre", "octubre"),
    11: ("november", "nov", "novembre", "noviembre"),
    12: ("december", "dec", "decembre", "diciembre", "dic"),
}
_NUMBER_BEFORE = r"(?<![\w])(?<!\d[.,])"
_NUMBER_AFTER = r"(?!\d)(?![.,]\d)"
_AREA_UNIT_M2 = r"(?:m2|m\s2|sq\.?\s?m|square\s+met(?:re|er)s?|metres?\s+carres|metros?\s+cuadrados)"
_AREA_UNIT_KM2 = r"(?:km2|km\s2|sq\.?\s?km|square\s+kilomet(?:re|er)s?|kilometres?\s+carres|kilometros?\s+cuadrados)"
_AREA_UNIT_HA = r"(?:ha|hectares?|hectareas?)"
_MILLION = r"(?:million|millions|millones|millon|mn)(?![^\W\d_])"


def _grouped(digits: str) -> str:
    """An integer written with or without thousands separators (",", ".", space, apostrophe)."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return r"[,.'\s]?".join(groups)


def _decimal(value: Decimal, places: int) -> str | None:
    rounded = round(value, places)
    if rounded <= 0:
        return None
    text = f"{rounded:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, _dot, fraction = text.partition(".")
    return _grouped(whole) + (r"[.,]" + fraction if fraction else "")


def _number_patterns(value: Decimal, unit: str) -> list[str]:
    """A figure in its notations: 2350000 (m²) as "2350000", "2,350,000", "2 350 000", "2.350.000"
    (4 digits or more: on its own; fewer: only with the unit "m²"), "2.35 km²", "2,35 km²", "2.4 km²"
    (rounded to 1–3 places; with the unit), "235 ha", "2.35 million" (exact)."""
    patterns: list[str] = []
    whole = value == value.to_integral_value()
    if whole:
        digits = str(int(value))
        if len(digits) >= 4:
            patterns.append(_grouped(digits))
        else:
            patterns.append(_grouped(digits) + r"\s?" + _AREA_UNIT_M2)
    else:
        patterns.append(_decimal(value, 6) or "")
    if unit == "m2" and value >= 10_000:
        km2 = value / Decimal(1_000_000)
        for places in (0, 1, 2, 3) if km2 >= 10 else (1, 2, 3):
            written = _decimal(km2, places)
            if written:
                patterns.append(written + r"\s?" + _AREA_UNIT_KM2)
        hectares = value / Decimal(10_000)
        for places in (0, 1, 2):
            written = _decimal(hectares, places)
            if written:
                patterns.append(written + r"\s?" + _AREA_UNIT_HA)
    if value >= 1_000_000:
        millions = value / Decimal(1_000_000)
        if millions == round(millions, 3):
            written = _decimal(millions, 3)
            if written:
                patterns.append(written + r"\s?" + _MILLION + r"(?:\s?(?:of\s|de\s)?" + _AREA_UNIT_M2 + ")?")
    return [_NUMBER_BEFORE + p + _NUMBER_AFTER for p in dict.fromkeys(patterns) if p]


def _date_patterns(day: date) -> list[str]:
    """A date in its notations: "1 August 2026", "1st August 2026", "August 1, 2026", "1 Aug 2026",
    "1er août 2026", "1 de agosto de 2026", "August 2026", "agosto de 2026", "01/08/2026", "1.8.2026",
    "08/01/2026" (month first), "2026-08-01", "2026/08/01"."""
    months = "(?:" + "|".join(sorted(_MONTHS[day.month], key=len, reverse=True)) + r")\.?"
    d = f"0?{day.day}" + r"(?:st|nd|rd|th|er)?"
    m = f"0?{day.month}"
    y = f"{day.year}"
    of = r"(?:\s+de|\s+del)?"
    return [
        rf"(?<!\w){d}{of}\s+{months},?{of}\s+{y}(?!\d)",
        rf"(?<!\w){months}\s+{d},?\s+{y}(?!\d)",
        rf"(?<!\w){months},?{of}\s+{y}(?!\d)",
        rf"(?<![\w/.-])0?{day.day}\s?[/.-]\s?{m}\s?[/.-]\s?{y}(?!\d)",
        rf"(?<![\w/.-]){m}/0?{day.day}/{y}(?!\d)",
        rf"(?<![\w/.-]){y}[-/.]{m}[-/.]0?{day.day}(?![\w/])",
    ]


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_FIGURE = re.compile(r"^([\d.,\s\u00a0\u202f]+?)\s*(m2|m²)?$")


def figure_patterns(text: str) -> list[str]:
    """The regex patterns (on folded text) of one figure term; [] when the term is not understood."""
    match = _ISO_DATE.match(text.strip())
    if match:
        try:
            return _date_patterns(date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return []
    match = _FIGURE.match(text.strip())
    if not match:
        return []
    raw = re.sub(r"[,\s\u00a0\u202f]", "", match[1])
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return []
    if value <= 0:
        return []
    return _number_patterns(value, "m2" if match[2] else "")


# --- The matcher -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Matcher:
    literal: re.Pattern[str] | None
    literal_leaves: list[_Entry]
    restricted: re.Pattern[str] | None
    restricted_leaves: list[_Entry]
    figures: tuple[tuple[re.Pattern[str], Term], ...]
    codes: frozenset[str]


def _entries(terms: Iterable[Term]) -> tuple[list[_Entry], list[_Entry], list[Term], frozenset[str]]:
    literal: list[_Entry] = []
    restricted: list[_Entry] = []
    figures: list[Term] = []
    codes: set[str] = set()
    for term in terms:
        text = " ".join(term.text.split())
        if not text:
            continue
        if term.kind == "figure":
            figures.append(term)
            continue
        units = tuple(_units(fold(text)))
        if not units:
            continue
        if term.kind == "code" or _ACRONYM.match(text):
            if not _ACRONYM.match(text):  # a code not in capitals (e.g. "lbn"): compare as a word
                literal.append(_Entry(units, term, ""))
                continue
            codes.add(text)
            restricted.append(_Entry(units, term, "upper2" if len(text) == 2 else "upper"))
            continue
        if fold(text) in COMMON_WORDS:
            restricted.append(_Entry(units, term, "capital"))
        else:
            literal.append(_Entry(units, term, ""))
        if term.kind == "person":
            words = _WORD.findall(fold(text))
            if len(words) >= 2 and sum(c.isalpha() for c in words[-1]) >= 4:
                restricted.append(_Entry(tuple(_units(words[-1])), term, "capital"))
    # Longer terms first, so that where two terms fold alike the more specific kind is kept.
    return literal, restricted, figures, frozenset(codes)


@lru_cache(maxsize=64)
def _matcher(terms: tuple[Term, ...]) -> _Matcher:
    literal, restricted, figures, codes = _entries(terms)
    suffix_of = {"": _SUFFIX, "capital": _SUFFIX, "upper": _CODE_SUFFIX, "upper2": _CODE_SUFFIX}
    literal_re, literal_leaves = _trie_pattern(literal, suffix_of)
    restricted_re, restricted_leaves = _trie_pattern(restricted, suffix_of)
    # One regex per figure term: several figures may start at the same place ("1 May 2026", "1 million").
    figures_re: list[tuple[re.Pattern[str], Term]] = []
    for term in dict.fromkeys(figures):
        patterns = figure_patterns(term.text)
        if patterns:
            figures_re.append((re.compile("(?=(" + "|".join(f"(?:{p})" for p in patterns) + "))"), term))
    return _Matcher(literal_re, literal_leaves, restricted_re, restricted_leaves, tuple(figures_re), codes)


_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+$")
_WORD_AFTER = re.compile(r"^[ \t]+([^\W\d_]+)")


def _in_run_of_capitals(text: str, start: int, end: int, codes: frozenset[str]) -> bool:
    """Whether the token ``text[start:end]`` stands, with only spaces between, next to another word in
    capitals that is not a code ("NO ACCESS"): the sign of a heading or of shouting, not of a code."""
    for found in (_WORD_BEFORE.search(text, max(0, start - 40), start), _WORD_AFTER.match(text[end : end + 40])):
        word = found.group(1) if found else ""
        if len(word) >= 2 and word.isupper() and word not in codes:
            return True
    return False


def _allowed(entry: _Entry, original: str, codes: frozenset[str], text: str, end: int) -> bool:
    if entry.rule == "capital":
        return original[:1].isupper()
    if entry.rule in ("upper", "upper2"):
        base = original.split("'")[0]
        if not (base.isupper() and base.replace("-", "").isalpha()):
            return False
        if entry.rule == "upper2":
            start = end - len(original)
            return not _in_run_of_capitals(text, start, end, codes)
    return True


def find_identities(text: str, terms: Iterable[Term]) -> list[Hit]:
    """Every place in ``text`` where one of ``terms`` is found, sorted by start; overlapping hits keep
    the longest (then the earliest)."""
    if not text:
        return []
    matcher = _matcher(tuple(dict.fromkeys(terms)))
    folded, origin = _fold_with_map(text)
    size = len(text)

    def span(start: int, end: int) -> tuple[int, int]:
        first = origin[start]
        last = origin[end - 1] + 1
        while last < size and unicodedata.combining(text[last]):
            last += 1
        return first, last

    candidates: list[tuple[int, int, Term]] = []
    for pattern, leaves, checked in (
        (matcher.literal, matcher.literal_leaves, False),
        (matcher.restricted, matcher.restricted_leaves, True),
    ):
        if pattern is None:
            continue
        for match in pattern.finditer(folded):
            name = match.lastgroup
            if name is None:
                continue
            entry = leaves[int(name[1:])]
            start, end = span(match.start(), match.end(name))
            if checked and not _allowed(entry, text[start:end], matcher.codes, text, end):
                continue
            candidates.append((start, end, entry.term))
    for pattern, term in matcher.figures:
        for match in pattern.finditer(folded):
            if match.end(1) > match.start():
                start, end = span(match.start(), match.end(1))
                candidates.append((start, end, term))

    # Keep the longest of overlapping hits (then the earliest), then sort by start.
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    starts: list[int] = []  # the hits kept, sorted by start; they never overlap
    kept: dict[int, Hit] = {}
    for start, end, term in candidates:
        at = bisect.bisect_left(starts, start)
        if at < len(starts) and starts[at] < end:
            continue  # a kept hit starts inside this one
        if at > 0 and kept[starts[at - 1]].end > start:
            continue  # the kept hit before runs into this one
        starts.insert(at, start)
        kept[start] = Hit(start=start, end=end, matched=text[start:end], term=term)
    return [kept[start] for start in starts]
