"""How often the first automatic theme agrees with the hand label (tests/data/consultations).

    .venv/bin/python bench/themes.py [--misses]

Prints the agreement on the whole hand-labelled set and on each part (dev, heldout), and with
--misses every answer whose first theme differs from its hand label.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ccm.analytics.themes import agreement, tag  # noqa: E402

LABELLED = REPO / "tests" / "data" / "consultations" / "labelled_answers.csv"


def rows() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    data = rows()
    for part in ("all", "dev", "heldout"):
        chosen = [(r["text"], r["label"]) for r in data if part == "all" or r["part"] == part]
        agreeing, total = agreement(chosen)
        print(f"{part:8} {agreeing:3}/{total:<3} = {agreeing / total:.1%}")
    if args.misses:
        for r in data:
            found = tag(r["text"])
            first = found[0].theme if found else None
            if first != r["label"]:
                print(f"[{r['part']}] {r['label']} → {first}: {r['text']}")


if __name__ == "__main__":
    main()
