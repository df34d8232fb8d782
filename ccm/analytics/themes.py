"""Themes in free-text answers: a keyword and phrase matcher (no Django; plain strings in and out).

The vocabulary starts from the obstacle categories and the assistance modalities of the needs app
(same keys), with a few themes consultations keep meeting (victim assistance, data management,
reporting, direct engagement with donors). Each theme lists:

- ``phrases``: several words that say the theme on their own ("survey capacity", "donor
  coordination"), weight 2. The words of a phrase match in order with at most ``MAX_GAP`` words
  between them ("access to the contaminated areas" matches "access … area*").
- ``keywords``: single words, weight 1.

Words are compared without case and accents, so "sécurité", "Securite" and "SECURITE" are one word.
A word ending in ``*`` matches any word it begins (``financ*``: financing, financement,
financiación); a word without it matches itself and its plural or possessive ("donor" matches
"donors", "donor's"). Tokens taken by a phrase are not counted again as keywords of another theme
("victim assistance" is victim assistance, not assistance in general).

``tag(text)`` returns the themes found, best first (highest score; on a tie, the one mentioned
first), each with the reasons: the words of the text that triggered it, quoted as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

PHRASE_WEIGHT = 2.0
KEYWORD_WEIGHT = 1.0
MAX_GAP = 2  # words allowed between two words of a phrase


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    phrases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeMatch:
    theme: str
    score: float
    reasons: list[str] = field(default_factory=list)
    label: str = ""
    first_at: int = 0  # position of the first word that triggered it (ties go to the earliest)


# --- The vocabulary --------------------------------------------------------------------------------

THEMES: tuple[Theme, ...] = (
    Theme(
        "funding",
        "Funding",
        phrases=(
            "funding gap*",
            "lack of fund*",
            "shortage of fund*",
            "financial support",
            "financial assistance",
            "financial resource*",
            "multi year fund*",
            "multiyear fund*",
            "predictable fund*",
            "national budget",
            "budget cut*",
            "resource mobili*",
            "earmark* fund*",
            "manque de financement*",
            "falta de financ*",
            "fonds propres",
            "recursos financieros",
            "ressources financieres",
        ),
        keywords=(
            "fund*",
            "financ*",
            "budget*",
            "money",
            "grant*",
            "pledge*",
            "dollar*",
            "usd",
            "eur",
            "cost*",
            "costed",
            "underfund*",
            "pluriannuel*",
            "plurianual*",
            "contribution*",
            "cash",
            "fonds",
            "fondos",
            "presupuest*",
            "subvenci*",
            "dinero",
            "argent",
            "co-financ*",
            "cofinanc*",
            "affordable",
            "expensive",
            "salar*",
        ),
    ),
    Theme(
        "technical_expertise",
        "Technical expertise",
        phrases=(
            "technical expert*",
            "technical assistance",
            "technical advice",
            "technical advis*",
            "technical support",
            "quality management",
            "quality assurance",
            "quality control",
            "national standard*",
            "international standard*",
            "mine action standard*",
            "international mine action standard*",
            "land release methodolog*",
            "assistance technique",
            "asistencia tecnica",
            "expertise technique",
            "conocimientos tecnicos",
        ),
        keywords=(
            "expert*",
            "expertise",
            "adviser*",
            "advice",
            "advis*",
            "advisor*",
            "imas",
            "methodolog*",
            "specialist*",
            "technical",
            "technique*",
            "tecnic*",
            "eod",
            "know-how",
            "peritos",
            "experto*",
            "mentor*",
        ),
    ),
    Theme(
        "equipment",
        "Equipment and resources",
        phrases=(
            "mechanical asset*",
            "detection equipment",
            "metal detector*",
            "demining machine*",
            "protective equipment",
            "spare part*",
            "mine detection dog*",
        ),
        keywords=(
            "equipment",
            "equip*",
            "detector*",
            "vehicle*",
            "machine*",
            "machinery",
            "tool*",
            "ppe",
            "dogs",
            "drone*",
            "materiel",
            "equipo*",
            "equipement*",
            "vehiculo*",
            "vehicule*",
            "logistic*",
            "logistique",
            "supplies",
            "gear",
            "flail*",
        ),
    ),
    Theme(
        "political_will",
        "Political will",
        phrases=(
            "political will",
            "political commitment",
            "political support",
            "political priorit*",
            "high level commitment",
            "high-level commitment",
            "government priorit*",
            "competing priorit*",
            "change of government",
            "new government",
            "volonte politique",
            "voluntad politica",
            "compromiso politico",
        ),
        keywords=(
            "political*",
            "politique*",
            "politic*",
            "ministerial",
            "parliament*",
            "elections",
            "election",
            "leadership",
            "champion*",
        ),
    ),
    Theme(
        "national_capacity",
        "National capacity and ownership",
        phrases=(
            "national ownership",
            "national capacit*",
            "national authorit*",
            "national mine action authorit*",
            "national mine action centre",
            "national mine action center",
            "national strateg*",
            "national legislation",
            "institutional capacit*",
            "appropriation nationale",
            "capacite nationale",
            "capacites nationales",
            "apropiacion nacional",
            "capacidad nacional",
            "capacidades nacionales",
            "staff turnover",
            "exit strateg*",
            "residual capacit*",
            "handover",
            "hand over",
        ),
        keywords=(
            "ownership",
            "institution*",
            "legislation",
            "law",
            "laws",
            "turnover",
            "sustainab*",
            "sustainable",
            "durabilit*",
            "sostenib*",
            "autorite*",
            "autoridad*",
            "nmaa",
            "nmac",
            "retain*",
            "retention",
        ),
    ),
    Theme(
        "capacity_building",
        "Capacity building",
        phrases=(
            "capacity building",
            "capacity-building",
            "capacity development",
            "train the trainer*",
            "training course*",
            "renforcement des capacites",
            "fortalecimiento de capacidades",
            "creacion de capacidad*",
            "on the job",
            "exchange of experience*",
            "south south",
            "south-south",
            "peer learning",
            "study visit*",
        ),
        keywords=(
            "training",
            "trainings",
            "train",
            "trained",
            "trainer*",
            "formation*",
            "formacion",
            "capacitacion",
            "coaching",
            "workshop*",
            "curricul*",
            "course*",
            "skill*",
            "learn*",
            "teach*",
            "fellowship*",
        ),
    ),
    Theme(
        "security_access",
        "Security and access",
        phrases=(
            "security situation",
            "security condition*",
            "security reason*",
            "security concern*",
            "insecure area*",
            "access restriction*",
            "restricted access",
            "lack of access",
            "denied access",
            "armed conflict",
            "armed group*",
            "rainy season",
            "weather condition*",
            "difficult terrain",
            "remote area*",
            "hard to reach",
            "hard-to-reach",
            "border area*",
            "acces aux",
            "acceso a",
        ),
        keywords=(
            "security",
            "insecurity",
            "insecure",
            "securite",
            "insecurite",
            "seguridad",
            "inseguridad",
            "conflict*",
            "hostilit*",
            "fighting",
            "violence",
            "unsafe",
            "access",
            "inaccessible",
            "accessible",
            "acces",
            "acceso",
            "terrain",
            "flood*",
            "monsoon",
            "remote",
            "permit*",
            "checkpoint*",
            "occupied",
            "frontier",
            "weather",
            "season*",
            "clearance permit*",
            "access to",
        ),
    ),
    Theme(
        "information_survey",
        "Information and survey",
        phrases=(
            "non technical survey",
            "non-technical survey",
            "technical survey",
            "survey capacit*",
            "baseline survey",
            "extent of contamination",
            "scale of contamination",
            "extent of the contamination",
            "contamination estimate*",
            "suspected hazardous area*",
            "confirmed hazardous area*",
            "evidence based",
            "evidence-based",
            "strike data",
            "bombing data",
            "land release",
            "re-survey",
            "estudio no tecnico",
            "enquete non technique",
            "levantamiento",
        ),
        keywords=(
            "survey*",
            "resurvey*",
            "enquete*",
            "encuesta*",
            "estudio*",
            "baseline*",
            "contamination",
            "contaminated",
            "contamin*",
            "sha",
            "shas",
            "cha",
            "chas",
            "mapping",
            "map",
            "maps",
            "estimate*",
            "evidence",
            "polygon*",
            "footprint*",
            "cancel*",
            "hazard*",
        ),
    ),
    Theme(
        "data_management",
        "Data management",
        phrases=(
            "information management",
            "data management",
            "data quality",
            "data collection",
            "data sharing",
            "data entry",
            "national database",
            "gestion de l information",
            "gestion de donnees",
            "gestion de la informacion",
            "gestion de datos",
            "base de donnees",
            "base de datos",
            "information system*",
            "reconcil* the data*",
            "reconcil* data*",
        ),
        keywords=(
            "data",
            "database*",
            "imsma",
            "gis",
            "records",
            "record-keeping",
            "donnees",
            "datos",
            "digital*",
            "software",
            "dashboard*",
            "spreadsheet*",
            "duplicat* record*",
            "reconcil*",
            "archiv*",
        ),
    ),
    Theme(
        "coordination",
        "Coordination",
        phrases=(
            "donor coordination",
            "coordination of donors",
            "coordination among donors",
            "coordination between donors",
            "coordination platform*",
            "coordination mechanism*",
            "coordination meeting*",
            "working group*",
            "country coalition*",
            "individualised approach",
            "individualized approach",
            "mine action platform*",
            "duplicat* of effort*",
            "overlapping",
            "coordination des bailleurs",
            "coordinacion de donantes",
            "plateforme de coordination",
        ),
        keywords=(
            "coordinat*",
            "coordin*",
            "coordonn*",
            "duplicat*",
            "overlap*",
            "coalition*",
            "platform*",
            "harmoni*",
            "align*",
            "cooperation",
            "partnership*",
            "fragment*",
            "together",
            "each other",
            "joint*",
            "conjunt*",
            "concert*",
        ),
    ),
    Theme(
        "direct_engagement",
        "Direct engagement",
        phrases=(
            "bilateral dialogue",
            "bilateral meeting*",
            "direct dialogue",
            "direct contact*",
            "direct engagement",
            "field visit*",
            "country visit*",
            "approach donor*",
            "approach us",
            "approach the donor*",
            "communicat* their need*",
            "communicat* our need*",
            "present their need*",
            "present our need*",
            "side event*",
            "closed meeting*",
            "point of contact",
            "focal point*",
            "contact person",
            "embassy",
            "embassies",
            "capital based",
            "dialogo directo",
            "dialogue direct",
        ),
        keywords=(
            "dialogue*",
            "dialogo*",
            "bilateral*",
            "visit*",
            "outreach",
            "embass*",
            "ambassad*",
            "engage*",
            "engagement",
            "approach*",
            "contact*",
            "relationship*",
            "relation*",
            "meetings",
            "advocacy",
            "communicat*",
            "pitch*",
            "proposal*",
            "concept note*",
        ),
    ),
    Theme(
        "victim_assistance",
        "Victim assistance",
        phrases=(
            "victim assistance",
            "assistance to victims",
            "assistance aux victimes",
            "asistencia a las victimas",
            "asistencia a victimas",
            "persons with disabilit*",
            "people with disabilit*",
            "psychosocial support",
            "psychological support",
            "socio-economic inclusion",
            "socioeconomic inclusion",
            "economic inclusion",
            "medical care",
            "emergency care",
            "physical rehabilitation",
            "needs of survivors",
            "survivors needs",
        ),
        keywords=(
            "victim*",
            "survivor*",
            "sobrevivient*",
            "survivant*",
            "rehabilitat*",
            "prosthe*",
            "orthot*",
            "disabilit*",
            "handicap*",
            "discapacidad*",
            "injur*",
            "amputee*",
            "casualt*",
            "psychosocial",
            "inclusion",
            "livelihood*",
            "health",
            "hospital*",
            "medical",
            "wheelchair*",
            "peer support",
        ),
    ),
    Theme(
        "reporting",
        "Reporting",
        phrases=(
            "reporting burden",
            "reporting requirement*",
            "reporting obligation*",
            "reporting format*",
            "reporting template*",
            "article 7",
            "transparency report*",
            "annual report*",
            "report to donors",
            "reports to donors",
            "donor report*",
            "each donor",
            "different formats",
            "rapport annuel",
            "rapports de transparence",
            "informe anual",
            "informes de transparencia",
        ),
        keywords=(
            "reporting",
            "report*",
            "rapport*",
            "informe*",
            "paperwork",
            "templates",
            "template",
            "formats",
            "forms",
            "deadlines for reports",
            "questionnaire*",
            "indicator*",
            "monitoring",
            "accountab*",
        ),
    ),
)

# Modalities of assistance whose key differs from the theme they belong to.
ALIASES: Mapping[str, str] = {"financial": "funding"}


# --- Matching ------------------------------------------------------------------------------------

_WORD = re.compile(r"[\w]+(?:[-'’][\w]+)*", re.UNICODE)
_SUFFIXES = ("", "s", "es", "'s", "’s", "s'", "s’")


def fold(text: str) -> str:
    """Lower case without accents ("Sécurité" → "securite")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class _Token:
    word: str  # folded
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    folded = fold(text)
    # NFKD may change the length of the text: fold word by word to keep offsets in the original text.
    if len(folded) != len(text):
        return [_Token(fold(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(text)]
    return [_Token(m.group(0), m.start(), m.end()) for m in _WORD.finditer(folded)]


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return any(word == pattern + suffix for suffix in _SUFFIXES)


@dataclass(frozen=True)
class _Term:
    theme: str
    words: tuple[str, ...]
    weight: float


def _compile(themes: Iterable[Theme]) -> list[_Term]:
    terms: list[_Term] = []
    for theme in themes:
        for phrase in theme.phrases:
            terms.append(_Term(theme.key, tuple(_WORD_OR_STAR.findall(fold(phrase))), PHRASE_WEIGHT))
        for keyword in theme.keywords:
            words = tuple(_WORD_OR_STAR.findall(fold(keyword)))
            # A keyword of several words is a phrase of keyword weight.
            terms.append(_Term(theme.key, words, KEYWORD_WEIGHT))
    # Longer terms first: a phrase claims its words before a keyword inside it can.
    terms.sort(key=lambda t: (-len(t.words), -t.weight))
    return terms


_WORD_OR_STAR = re.compile(r"[\w]+(?:[-'’][\w]+)*\*?", re.UNICODE)


def _find(term: _Term, tokens: list[_Token], taken: set[int]) -> list[list[int]]:
    """Every occurrence of ``term`` among the tokens not yet taken, as lists of token positions."""
    found: list[list[int]] = []
    first, rest = term.words[0], term.words[1:]
    for i, token in enumerate(tokens):
        if i in taken or not _word_matches(first, token.word):
            continue
        positions, at = [i], i
        for word in rest:
            nxt = next(
                (
                    j
                    for j in range(at + 1, min(at + 2 + MAX_GAP, len(tokens)))
                    if j not in taken and _word_matches(word, tokens[j].word)
                ),
                None,
            )
            if nxt is None:
                break
            positions.append(nxt)
            at = nxt
        else:
            found.append(positions)
            taken.update(range(positions[0], positions[-1] + 1))
    return found


def tag(text: str, themes: Iterable[Theme] = THEMES) -> list[ThemeMatch]:
    """The themes of ``text``, best first, each with the quoted words that triggered it."""
    theme_list = list(themes)
    labels = {t.key: t.label for t in theme_list}
    tokens = _tokens(text or "")
    if not tokens:
        return []
    taken: set[int] = set()
    scores: dict[str, float] = {}
    first_at: dict[str, int] = {}
    reasons: dict[str, list[tuple[int, str]]] = {}
    for term in _compile(theme_list):
        for positions in _find(term, tokens, taken):
            start, end = tokens[positions[0]].start, tokens[positions[-1]].end
            quoted = " ".join(text[start:end].split())
            scores[term.theme] = scores.get(term.theme, 0.0) + term.weight
            first_at[term.theme] = min(first_at.get(term.theme, start), start)
            reason = f"'{quoted}' → {labels[term.theme]}"
            if all(reason != r for _at, r in reasons.setdefault(term.theme, [])):
                reasons[term.theme].append((start, reason))
    matches = [
        ThemeMatch(
            theme=key,
            score=score,
            reasons=[r for _at, r in sorted(reasons[key])],
            label=labels[key],
            first_at=first_at[key],
        )
        for key, score in scores.items()
    ]
    matches.sort(key=lambda m: (-m.score, m.first_at))
    return matches


def relabelled(labels: Mapping[str, str], themes: Iterable[Theme] = THEMES) -> tuple[Theme, ...]:
    """The vocabulary with other labels (e.g. translated ones), keys unchanged."""
    return tuple(Theme(t.key, labels.get(t.key, t.label), phrases=t.phrases, keywords=t.keywords) for t in themes)


def theme_keys(themes: Iterable[Theme] = THEMES) -> list[str]:
    return [t.key for t in themes]


def primary(text: str, themes: Iterable[Theme] = THEMES) -> str | None:
    """The best theme's key, or None when no theme is found."""
    found = tag(text, themes)
    return found[0].theme if found else None


def agreement(labelled: Iterable[tuple[str, str]], themes: Iterable[Theme] = THEMES) -> tuple[int, int]:
    """How many of the (text, hand label) pairs have the hand label as their first automatic theme:
    (agreeing, total). Hand labels may use an alias ("financial" for "funding")."""
    theme_list = list(themes)
    agreeing = total = 0
    for text, label in labelled:
        total += 1
        if primary(text, theme_list) == ALIASES.get(label, label):
            agreeing += 1
    return agreeing, total
