"""A State with figures that need protection, and readers of every public surface that turn what they
publish back into tables for the attacker (tests/analytics/test_suppression.py)."""

from __future__ import annotations

import csv
import io
from typing import Any

import lxml.html
import openpyxl

from ccm.analytics.suppression import Status
from ccm.victims import services
from ccm.victims.models import AgeGroup, Sex
from ccm.victims.rules import TITLES

F, M, U, ALL = "female", "male", "unknown", "all"

# Killed: total 9 = 3 (small) + 6; breakdown by sex and age; injured: a lone small cell and its margins
CELLS: dict[tuple[str, str, str], int] = {
    ("killed", ALL, ALL): 9,
    ("killed", M, ALL): 6,
    ("killed", F, ALL): 3,
    ("killed", M, "adult"): 6,
    ("killed", F, "child"): 3,
    ("killed", ALL, "adult"): 6,
    ("killed", ALL, "child"): 3,
    ("injured", ALL, ALL): 27,
    ("injured", M, "adult"): 20,
    ("injured", M, "child"): 5,
    ("injured", F, "adult"): 2,
    ("rehabilitation", ALL, ALL): 140,
    ("medical", ALL, ALL): 4,
}


def enter_year(state: Any, year: int = 2024, cells: dict | None = None) -> Any:
    return services.year_save(state=state, year=year, source="Test source", cells=cells or CELLS, actor=None)


def _value(text: str) -> int | Status | None:
    text = text.strip()
    if text in ("fewer than 5",):
        return Status.SMALL
    if text == "withheld":
        return Status.WITHHELD
    if text in ("—", "—not reported", ""):
        return None
    return int(text.replace(",", ""))


def split(flat: dict[tuple[str, str, str], Any]) -> dict[str, dict[tuple[str, str], Any]]:
    """Per measure, the published (sex, age) → value or Status."""
    out: dict[str, dict[tuple[str, str], Any]] = {}
    for (measure, sex, age), value in flat.items():
        if value is not None:
            out.setdefault(measure, {})[(sex, age)] = value
    return out


def from_api(payload: dict[str, Any], year: int) -> dict[tuple[str, str, str], Any]:
    (entry,) = [y for y in payload["years"] if y["year"] == year]
    return {
        (f["measure"], f["sex"], f["age_group"]): f["count"] if f["status"] == "shown" else Status(f["status"])
        for f in entry["figures"]
    }


def _from_rows(rows: list[list[Any]], year: int) -> dict[tuple[str, str, str], Any]:
    measures = {str(label): value for value, label in TITLES.items()}
    sexes = {str(label): value for value, label in Sex.choices}
    ages = {str(label): value for value, label in AgeGroup.choices}
    out = {}
    for row in rows[1:]:
        if int(row[1]) != year:
            continue
        key = (measures[row[2]], sexes[row[3]], ages[row[4]])
        out[key] = int(row[5]) if row[5] not in ("", None) else _value(str(row[6]))
    return out


def from_csv(content: bytes, year: int) -> dict[tuple[str, str, str], Any]:
    return _from_rows(list(csv.reader(io.StringIO(content.decode("utf-8-sig")))), year)


def from_xlsx(content: bytes, year: int) -> dict[tuple[str, str, str], Any]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    return _from_rows(rows, year)


def from_page(content: bytes, year: int) -> dict[tuple[str, str, str], Any]:
    doc = lxml.html.fromstring(content.decode())
    measures = {str(label): value for value, label in TITLES.items()}
    sexes = {str(label): value for value, label in Sex.choices}
    ages = {str(label): value for value, label in AgeGroup.choices}
    out: dict[tuple[str, str, str], Any] = {}
    for table in doc.xpath('//table[contains(@class, "va-table")]'):
        caption = table.xpath("./caption")[0].text_content().strip()
        label, caption_year = caption.rsplit(", ", 1)
        if int(caption_year) != year:
            continue
        heads = [th.text_content().strip() for th in table.xpath("./thead//th")][1:]
        for tr in table.xpath("./tbody/tr"):
            sex = sexes[tr.xpath("./th")[0].text_content().strip()]
            for head, td in zip(heads, tr.xpath("./td"), strict=True):
                text = td.text_content().strip()
                if "not reported" in text:
                    continue
                out[(measures[label], sex, ages[head])] = _value(text)
    return out


def victims_world() -> int:
    """For the role matrix and the policy rules: State A (Lebanon) and State B (Norway) each with a profile
    and a year of figures; returns State A's year."""
    from ccm.states.models import State

    lebanon, norway = State.objects.get(iso3="LBN"), State.objects.get(iso3="NOR")
    for state in (lebanon, norway):
        services.profile_save(state=state, actor=None, has_victims="yes" if state is lebanon else "no")
        enter_year(state, year=2023)
    return 2023
