"""No page shows a raw code: the main pages, rendered with the demo data for an anonymous visitor, a State
editor, a donor and a coordinator, must show every choice in words.

The codes are collected automatically: every ``TextChoices`` class in the ``ccm`` package and every model
field's choices, keeping the values that differ from their label ("stockpile_destruction" vs
"Stockpile destruction", "africa" vs "Africa"). A page fails when its visible text (not attributes, not
``<code>``, ``<script>`` or ``<style>``) shows

- a code with an underscore anywhere as a word ("stockpile_destruction"), or
- a date written as an ISO code ("2026-05-01") rather than in words ("1 May 2026"), or
- a lowercase code as a whole item of a cell (``td``, ``th``, ``dd``, ``li``, ``caption``), alone or in a
  list ("africa, asia", "operators · bilateral"), where its label is not simply the code capitalised
  and lowercased again by the page ("high" as "(high, May 2024)" is a label written in lower case).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from ccm.coordination.models import AllocationRun
from ccm.core.demo import demo_steps
from ccm.needs.models import DonorProfile, Need
from ccm.reporting.models import CompletionPlan, ProgressReport
from tests.personas import signed_in_client

CELLS = {"td", "th", "dd", "li", "caption", "option", "legend", "dt"}
HIDDEN = {"script", "style", "code", "pre", "textarea", "title"}
ISO_DATE = re.compile(r"(?<![\w\-/.])\d{4}-\d{2}-\d{2}(?![\w\-/])")
MONTH_FIRST = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}\b")
SEPARATORS = re.compile(r"\s*(?:,|·|;|\||\(|\)|:|/)\s*")


def _all_text_choices() -> set[type[models.TextChoices]]:
    found: set[type[models.TextChoices]] = set()
    pending = list(models.TextChoices.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("ccm."):
            found.add(cls)
    return found


def raw_codes() -> dict[str, str]:
    """Every choice value shown differently from its label, with its label: from every TextChoices class in
    ``ccm`` and every model field with choices (so a new enum is scanned without touching this test)."""
    pairs: list[tuple[object, object]] = []
    for cls in _all_text_choices():
        pairs.extend(cls.choices)
    for model in apps.get_models():
        if not model.__module__.startswith("ccm."):
            continue
        for field in model._meta.get_fields():
            for choice in getattr(field, "flatchoices", None) or []:
                pairs.append(choice)
    codes = {}
    for value, label in pairs:
        value, label = str(value), str(label)
        if value and value != label and re.fullmatch(r"[a-z][a-z0-9_]*", value):
            codes[value] = label
    return codes


class _Text(HTMLParser):
    """The visible text of a page, and the text of each table cell, definition or list item."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.text: list[str] = []
        self.cells: list[list[str]] = []  # a stack: text of the open cells

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in CELLS:
            self.cells.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in CELLS and self.cells:
            self.finished.append(" ".join("".join(self.cells.pop()).split()))

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.text.append(data)
        for cell in self.cells:
            cell.append(data)

    finished: list[str]


def find_raw_codes(html: str, codes: dict[str, str]) -> list[str]:
    """The raw codes the visible text of ``html`` shows (with where), empty when it shows none."""
    parser = _Text()
    parser.finished = []
    parser.feed(html)
    text = " ".join(" ".join(parser.text).split())
    found = []
    for code in codes:
        if "_" in code and re.search(rf"(?<![\w\-/.]){re.escape(code)}(?![\w\-/])", text):
            found.append(f"{code!r} in the text")
    for cell in parser.finished:
        pieces = [p for p in SEPARATORS.split(cell) if p]
        all_codes = all(p in codes for p in pieces)
        for piece in pieces:
            label = codes.get(piece)
            if label is None:
                continue
            # a label the page wrote in lower case inside other words ("(high, May 2024)") is not a code;
            # a cell made only of codes ("africa, asia") or a code unlike its label is
            if label.lower() != piece or all_codes:
                found.append(f"{piece!r} in the cell {cell[:80]!r}")
    # dates are written one way, in words ("1 May 2026"), never as ISO codes beside them
    found += [f"the date {d!r} written as a code" for d in ISO_DATE.findall(text)]
    found += [f"the date {d!r} in another style than '1 May 2026'" for d in MONTH_FIRST.findall(text)]
    return found


def test_the_scanner_finds_raw_codes():
    codes = raw_codes()
    assert codes["stockpile_destruction"] == "Stockpile destruction (Art 3)" or "stockpile_destruction" in codes
    assert "africa" in codes and "state_party" in codes  # regions and treaty status, collected automatically
    page = (
        "<p>Funds stockpile_destruction</p><dl><dd>africa, asia</dd></dl><table><tr><td>operators · bilateral</td>"
        "<td>draft</td></tr></table>"
    )
    found = " ".join(find_raw_codes(page, codes))
    for code in ("stockpile_destruction", "africa", "asia", "operators", "bilateral", "draft"):
        assert repr(code) in found, code
    assert "'2026-05-01'" in " ".join(find_raw_codes("<p>until 2026-05-01</p>", codes))
    assert "'Nov. 28, 2026'" in " ".join(find_raw_codes("<p>today is Nov. 28, 2026</p>", codes))
    clean = (
        "<p>Stockpile destruction</p><dl><dd>Africa, Asia</dd></dl><code>state_party</code>"
        '<a href="/needs/?pillar=stockpile_destruction">x</a><p>(high, May 2024)</p><li>Mines (high): surveyed</li>'
    )
    assert find_raw_codes(clean, codes) == []


def _pages(persona: str) -> list[str]:
    need = Need.objects.filter(published_at__isnull=False, visibility="public").order_by("pk").first()
    donor = DonorProfile.objects.filter(is_published=True).select_related("organisation").order_by("pk").first()
    report = ProgressReport.objects.filter(state__iso3="LBN").order_by("year").first()
    plan = CompletionPlan.objects.filter(obligation__state__iso3="LBN").select_related("obligation").first()
    urls = [
        reverse("states:home"),
        reverse("states:list"),
        reverse("states:detail", args=["LBN"]),
        reverse("states:deadlines"),
        reverse("needs:board"),
        reverse("needs:donors"),
        reverse("funding:overview"),
        reverse("funding:state", args=["LBN"]),
        reverse("profiles:profile", args=["LBN"]),
        reverse("states:detail", args=["HRV"]),
        reverse("states:detail", args=["LTU"]),
        reverse("states:detail", args=["TCD"]),
        reverse("funding:explorer"),
        reverse("funding:explorer") + "?recipient=LAO&pillar=clearance&year=2021",
        reverse("funding:rates"),
        reverse("funding:state", args=["LAO"]),
    ]
    if persona != "anonymous":
        urls.append(reverse("me:home"))
    if need is not None:
        urls.append(reverse("needs:detail", args=[need.pk]))
        urls.append(reverse("funding:need", args=[need.pk]))
    if donor is not None:
        urls.append(reverse("needs:donor", args=[donor.organisation.slug]))
        urls.append(reverse("funding:donor", args=[donor.organisation.slug]))
    if report is not None:
        urls.append(reverse("reporting:progress", args=["LBN", report.year]))
    if plan is not None:
        urls.append(reverse("reporting:plan", args=["LBN", plan.obligation.kind]))
    if persona == "state editor":
        urls += [
            reverse("reporting:progress-new", args=["LBN"]),
            reverse("needs:new", args=["LBN"]),
            reverse("accounts:profile"),
        ]
        if plan is not None:
            urls.append(reverse("reporting:plan-edit", args=["LBN", plan.obligation.kind]))
    if persona == "donor":
        own = DonorProfile.objects.select_related("organisation").get(organisation__name="European Union (demo)")
        urls += [
            reverse("needs:donor-edit", args=[own.organisation.slug]),
            reverse("needs:donor", args=[own.organisation.slug]),
            reverse("needs:notifications"),
            reverse("accounts:profile"),
        ]
    if persona == "coordinator":
        urls += [reverse("needs:silence"), reverse("accounts:organisations"), reverse("accounts:profile")]
        urls += [
            reverse("coordination:dashboard"),
            reverse("coordination:dashboard") + "?shade=coverage",
            reverse("coordination:attention"),
            reverse("coordination:forecasts"),
            reverse("coordination:allocations"),
        ]
        if need is not None:
            urls.append(reverse("coordination:need-donors", args=[need.pk]))
        if donor is not None:
            urls.append(reverse("coordination:donor-needs", args=[donor.organisation.slug]))
    # library (issue 18): the lists, a public practice and a public offer, the forms for an editor
    from ccm.library.models import Offer, Practice

    urls += [reverse("library:practices"), reverse("library:offers")]
    urls += [reverse("library:practice", args=[p.pk]) for p in Practice.objects.filter(visibility="public")[:1]]
    urls += [reverse("library:offer", args=[o.pk]) for o in Offer.objects.filter(visibility="public", kind="training")]
    if persona in ("state editor", "donor"):
        urls += [reverse("library:practice-new"), reverse("library:offer-new")]
    # Article 7 drafts (art7draft): Lebanon's for its editor; Norway's assistance and Peru's stockpile for coordinators
    if persona == "state editor":
        urls += [
            reverse("transparency_drafts:chooser", args=["LBN"]),
            reverse("transparency_drafts:draft", args=["LBN", 2025]),
        ]
    if persona == "coordinator":
        urls += [
            reverse("transparency_drafts:draft", args=[iso3, year]) for iso3, year in (("NOR", 2025), ("PER", 2023))
        ]
    run = AllocationRun.objects.filter(shared=True).order_by("pk").first()
    if run is not None and persona in ("coordinator", "donor"):
        urls.append(reverse("coordination:allocation", args=[run.pk]))
    return urls


@pytest.mark.django_db
def test_no_page_shows_a_raw_code():
    from ccm.accounts.models import User

    for step in demo_steps():
        step()
    codes = raw_codes()
    personas = {
        "anonymous": None,
        "state editor": "lebanon.editor@example.org",
        "donor": "eu.editor@example.org",
        "coordinator": "coordinator@example.org",
    }
    problems = []
    visited = 0
    for persona, email in personas.items():
        client = signed_in_client(User.objects.get(email=email) if email is not None else None)
        for url in _pages(persona):
            response = client.get(url)
            assert response.status_code == 200, (persona, url, response.status_code)
            visited += 1
            problems += [f"{persona} {url}: {p}" for p in find_raw_codes(response.content.decode(), codes)]
    assert visited >= 50
    assert not problems, "\n".join(problems)
