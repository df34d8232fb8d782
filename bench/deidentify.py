"""Benchmark: the de-identification check on a long text.

    .venv/bin/python bench/deidentify.py [--words 20000] [--states 10] [--runs 5]

Builds the terms of --states States (from the reference files, no database), a few organisations and
people, and the published figures of one State; writes a text of --words words mixing ordinary words
in English, French and Spanish, near misses ("Chadwick", "Iranian", "no") and about one participant
term in every 500 words; then times ``find_identities``: the first call (which builds and compiles
the patterns for this set of terms) and the following calls (patterns cached per set of terms), the
ASCII text and the same text with accents. Prints the times and the number of hits.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ORDINARY = " ".join(
    (
        "the affected State reported that clearance of the remaining area will need more survey and funding "
        "before the deadline no donor has yet answered the request for assistance Chadwick Iranian Norwood "
        "les autorités ont demandé un appui pour la dépollution des zones contaminées avant la date limite "
        "el gobierno pidió apoyo para el desminado de las zonas contaminadas antes del plazo 2025 12 1,000",
    )
).split(" ")
PLANTED = ["Lebanon's", "libanaises", "Lao PDR", "Beyrouth", "LBN", "Amal Haddad", "2,350,000 m²", "1 August 2026"]
ISO3 = ["LBN", "LAO", "IRQ", "TCD", "NOR", "MNE", "COL", "HRV", "SOM", "AFG", "BIH", "MOZ", "PER", "CHL"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--states", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm.test_settings")
    import django

    django.setup()
    from ccm.core import deidentify
    from ccm.core.deidentify import Term, find_identities
    from ccm.states.identifiers import state_words
    from ccm.states.models import State
    from ccm.states.selectors import identity_terms

    words = state_words()
    states = [State(name=iso3, iso3=iso3, iso2=iso3[:2]) for iso3 in ISO3[: args.states] if iso3 in words]
    terms = [
        *identity_terms(states),
        Term("Amal Haddad", "person", "Amal Haddad"),
        Term("Lebanon Mine Action Centre", "organisation", "Lebanon Mine Action Centre"),
        Term("MAG", "organisation", "Mines Advisory Group"),
        Term("2,350,000 m²", "figure", "Lebanon"),
        Term("2026-08-01", "figure", "Lebanon"),
    ]
    rng = random.Random(7)  # noqa: S311 - a repeatable text, not a secret
    parts = [PLANTED[i // 500 % len(PLANTED)] if i % 500 == 250 else rng.choice(ORDINARY) for i in range(args.words)]
    text = " ".join(parts)
    accented = text.replace("authority", "autorité").replace("State", "État")
    print(f"{len(states)} States, {len(terms)} terms; text of {args.words} words, {len(text):,} characters")

    deidentify._matcher.cache_clear()
    started = time.perf_counter()
    hits = find_identities(text, terms)
    first = time.perf_counter() - started
    print(f"first call (patterns built and compiled): {first * 1000:.0f} ms, {len(hits)} hits")
    for label, body in (("the text", text), ("with more accents", accented)):
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            hits = find_identities(body, terms)
            times.append(time.perf_counter() - started)
        print(f"{label}: best {min(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms, {len(hits)} hits")


if __name__ == "__main__":
    main()
