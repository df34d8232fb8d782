"""Text similarity for suggestions: which documents share significant words with a query text.

Pure Python, no Django. Words are lower-cased letters (at least four), without common English words, with
a crude plural folding ("surveys" → "survey"); each document is a TF-IDF vector over the query and the
candidates, compared by cosine. Inputs are cut to ``MAX_CHARS`` characters, so the cost is bounded.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

MAX_CHARS = 5_000
_WORD_RE = re.compile(r"[^\W\d_]{4,}")
STOPWORDS = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "also",
        "among",
        "and",
        "another",
        "any",
        "are",
        "around",
        "available",
        "based",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "can",
        "could",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "even",
        "every",
        "from",
        "further",
        "have",
        "having",
        "here",
        "into",
        "itself",
        "just",
        "least",
        "less",
        "like",
        "made",
        "make",
        "many",
        "more",
        "most",
        "much",
        "must",
        "need",
        "needs",
        "next",
        "none",
        "only",
        "other",
        "ought",
        "over",
        "own",
        "same",
        "should",
        "since",
        "some",
        "such",
        "than",
        "that",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "upon",
        "very",
        "want",
        "well",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "whom",
        "with",
        "within",
        "without",
        "would",
        "year",
        "years",
        "your",
        "yours",
        "will",
        "shall",
        "may",
        "the",
        "for",
        "our",
        "ours",
        "its",
        "not",
        "all",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "work",
        "works",
        "working",
        "help",
        "support",
        "supported",
        "offer",
        "offers",
        "offered",
        "practice",
        "practices",
        "using",
        "used",
        "use",
        "new",
        "per",
        "where",
        "whose",
        "once",
        "time",
        "times",
        "part",
        "parts",
        "case",
        "cases",
        "way",
        "ways",
        "state",
        "states",
        "country",
        "countries",
        "national",
    ]
)


def words(text: str) -> list[str]:
    """The significant words of ``text``, in order (repeated words repeated)."""
    found: list[str] = []
    for raw in _WORD_RE.findall(text[:MAX_CHARS].lower()):
        word = raw
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word not in STOPWORDS and raw not in STOPWORDS:
            found.append(word)
    return found


@dataclass(frozen=True)
class Match:
    index: int  # position of the candidate in the list given
    score: float  # cosine similarity, 0 to 1
    shared: tuple[str, ...]  # the shared words, most significant first


def similar(query: str, candidates: Sequence[str], *, shared_limit: int = 4) -> list[Match]:
    """For each candidate (in the order given), its TF-IDF cosine similarity to ``query`` and the words
    they share (at most ``shared_limit``, the rarest among the candidates first)."""
    docs = [Counter(words(query)), *(Counter(words(text)) for text in candidates)]
    total = len(docs)
    frequency: Counter[str] = Counter()
    for doc in docs:
        frequency.update(doc.keys())
    idf = {word: math.log((1 + total) / (1 + count)) + 1.0 for word, count in frequency.items()}

    def vector(doc: Counter[str]) -> dict[str, float]:
        return {word: (1 + math.log(count)) * idf[word] for word, count in doc.items()}

    query_vector = vector(docs[0])
    query_norm = math.sqrt(sum(v * v for v in query_vector.values()))
    matches: list[Match] = []
    for index, doc in enumerate(docs[1:]):
        candidate = vector(doc)
        norm = math.sqrt(sum(v * v for v in candidate.values()))
        common = set(query_vector) & set(candidate)
        dot = sum(query_vector[w] * candidate[w] for w in common)
        score = dot / (query_norm * norm) if query_norm and norm else 0.0
        shared = tuple(sorted(common, key=lambda w: (-idf[w], w))[:shared_limit])
        matches.append(Match(index=index, score=score, shared=shared))
    return matches
