"""The French and Spanish catalogues: what CI checks in them, and how they are compiled without GNU gettext.

The checks (``ccm check_catalogues``; CI runs it after Django's ``compilemessages``):

- every marked string has a translation, and none is fuzzy;
- a translation keeps the source's placeholders (``%(name)s``, ``%s``, ``{name}``), HTML tags and entities,
  each as many times as the source;
- treaty terms follow the Convention's own French and Spanish texts: when a source string holds a term of
  the glossary (``ccm/locale/glossary.csv``, with the article each term comes from), its translation holds
  the glossary's rendering.

Compiling (``ccm compile_catalogues``) uses Babel, a dependency already, so that ``make demo`` needs nothing
beyond Python; CI also compiles with ``compilemessages`` (GNU msgfmt's own format checks).
"""

from __future__ import annotations

import csv
import functools
import gettext
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
GLOSSARY = LOCALE_DIR / "glossary.csv"
LANGUAGES = ("fr", "es")

_PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]"  # %(name)s
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifrx]"  # %s, %d
    r"|%%"
    r"|\{[A-Za-z_][\w.]*(?:![rsa])?(?::[^{}]*)?\}|\{\}"  # {name}, {0}, {}
    r"|<\s*/?\s*[A-Za-z][^<>]*>"  # HTML tags (attributes included)
    r"|&#?\w+;"  # entities
)


def placeholders(text: str) -> Counter[str]:
    """Every placeholder, tag and entity of ``text``, with how many times each appears."""
    return Counter(_PLACEHOLDER.findall(text))


@dataclass(frozen=True)
class Term:
    term: str
    article: str
    english: re.Pattern[str]
    rendering: dict[str, str]
    accepted: dict[str, re.Pattern[str]]


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + text + r")(?!\w)", re.IGNORECASE)


@functools.cache
def glossary() -> tuple[Term, ...]:
    with GLOSSARY.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Term(
                term=row["term"],
                article=row["article"],
                english=_pattern(row["english_pattern"]),
                rendering={"fr": row["french"], "es": row["spanish"]},
                accepted={"fr": _pattern(row["french_pattern"]), "es": _pattern(row["spanish_pattern"])},
            )
            for row in csv.DictReader(handle)
        )


def _normal(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")


def glossary_problems(source: str, translation: str, language: str) -> list[str]:
    """The glossary terms ``source`` holds whose rendering ``translation`` lacks."""
    source, translation = _normal(source), _normal(translation)
    return [
        f"{term.term!r} ({term.article}) should read {term.rendering[language]!r}"
        for term in glossary()
        if term.english.search(source) and not term.accepted[language].search(translation)
    ]


def message_problems(source: str, translation: str, language: str) -> list[str]:
    problems = []
    if not translation.strip() and source.strip():
        return ["no translation"]
    if placeholders(source) != placeholders(translation):
        missing = placeholders(source) - placeholders(translation)
        extra = placeholders(translation) - placeholders(source)
        problems.append(
            "placeholders differ"
            + (f"; missing {sorted(missing)}" if missing else "")
            + (f"; not in the source {sorted(extra)}" if extra else "")
        )
    if source[:1].isspace() != translation[:1].isspace() or source[-1:] == "\n" and translation[-1:] != "\n":
        problems.append("leading or trailing white space differs from the source")
    return problems + glossary_problems(source, translation, language)


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def read_catalogue(language: str) -> Catalog:
    with catalogue_path(language).open("rb") as handle:
        return read_po(handle, locale=language, abort_invalid=True)


def _forms(message: Message) -> tuple[list[str], list[str]]:
    """(sources, translations): each translation paired with the source it renders."""
    if isinstance(message.id, tuple | list):
        singular, plural = str(message.id[0]), str(message.id[1])
        translated: Any = message.string
        raw = list(translated) if isinstance(translated, tuple | list) else [translated]
        strings = [str(text or "") for text in raw]
        return [singular] + [plural] * (len(strings) - 1), strings
    return [str(message.id)], [str(message.string or "")]


def check_catalogue(language: str) -> list[str]:
    """Every problem of one catalogue, one line each naming the line of the .po file."""
    catalogue = read_catalogue(language)
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        where = f"{catalogue_path(language).relative_to(LOCALE_DIR.parent.parent)}:{message.lineno}"
        if message.fuzzy:
            problems.append(f"{where}: fuzzy translation of {_short(message)}")
            continue
        sources, translations = _forms(message)
        expected = catalogue.num_plurals if isinstance(message.id, tuple | list) else 1
        if len(translations) != expected or not all(translations):
            problems.append(f"{where}: no translation of {_short(message)}")
            continue
        for source, translation in zip(sources, translations, strict=True):
            problems += [
                f"{where}: {problem} in {_short(message)}"
                for problem in message_problems(source, translation, language)
            ]
    return problems


def _short(message: Message) -> str:
    text = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return repr(text if len(text) <= 70 else text[:67] + "...")


# The .mo holds one extra message, under its own context: the digest of the .po it was compiled from.
SOURCE_CONTEXT, SOURCE_ID = "ccm-catalogue", "source-sha256"


def _source_digest(language: str) -> str:
    return hashlib.sha256(catalogue_path(language).read_bytes()).hexdigest()


def compile_catalogue(language: str) -> Path:
    """Write the .mo beside the .po (Babel). Fuzzy entries are left out, as msgfmt does. The .mo carries the
    digest of the .po it was made from, so :func:`stale` does not depend on file times (an install or a
    checkout may change them)."""
    catalogue = read_catalogue(language)
    digest = _source_digest(language)
    catalogue.add(SOURCE_ID, string=digest, context=SOURCE_CONTEXT)
    target = catalogue_path(language).with_suffix(".mo")
    with target.open("wb") as handle:
        write_mo(handle, catalogue, use_fuzzy=False)
    return target


def stale(language: str) -> bool:
    """Whether the .mo is missing or was compiled from another version of the .po."""
    po, mo = catalogue_path(language), catalogue_path(language).with_suffix(".mo")
    if not po.exists():
        return False
    if not mo.exists():
        return True
    try:
        with mo.open("rb") as handle:
            compiled_from = gettext.GNUTranslations(handle).pgettext(SOURCE_CONTEXT, SOURCE_ID)
    except (OSError, ValueError):  # unreadable: compile again
        return True
    return compiled_from != _source_digest(language)


def main(argv: list[str] | None = None) -> int:
    """``python -m ccm.core.catalogues compile|check``: the same as the management commands, without settings
    (the Makefile compiles before any configuration exists)."""
    import sys

    command = (argv if argv is not None else sys.argv[1:] or ["check"])[0]
    if command == "compile":
        for language in LANGUAGES:
            print(f"Compiled {compile_catalogue(language).relative_to(LOCALE_DIR.parent.parent)}")
        return 0
    problems = [problem for language in LANGUAGES for problem in check_catalogue(language)]
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s) in the catalogues ({', '.join(LANGUAGES)}).")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
