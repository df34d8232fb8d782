"""Demo of the summary's check (``ccm seed_demo``, after the meetings demo): the illustrative closed
meeting's summary first names a State and quotes its remaining area, so the check stops it; the
convener rewrites it and an administrator, as reviewer, publishes it. Illustrative text."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from ccm.accounts.models import User
from ccm.core import clock, demo
from ccm.meetings import summary as service
from ccm.meetings.demo import TITLE
from ccm.meetings.models import Meeting
from ccm.meetings.publish_models import Summary
from ccm.reporting.selectors import figure_terms
from ccm.states.models import State

SUMMARY_TITLE = "Cooperation and assistance: what affected and donor States said (illustrative)"
REWRITTEN = (
    "Affected States described clearance that could end within their deadlines if funding were predictable, and "
    "survey that lags behind for lack of vehicles and trained teams. Several asked donors for multi-year grants and "
    "for earlier notice of funding decisions.\n\n"
    "Donors said they need costed completion plans and yearly reports on time to justify new funding, and that "
    "needs stated on the platform with an endorsement from the national authority are easier to answer.\n\n"
    "Participants agreed to follow up on three actions. (Illustrative summary for the demo.)"
)


def _first_draft(today: date) -> str:
    lebanon = State.objects.filter(iso3="LBN").first()
    area = (
        next((t.text for t in figure_terms([lebanon], today=today) if "m²" in t.text), "9,000,000 m²")
        if lebanon
        else "9,000,000 m²"
    )
    return (
        f"Lebanon said that {area} remain to be cleared and that the Lebanese authorities lack survey vehicles. "
        "Several affected States asked donors for multi-year grants.\n\n"
        "Donors said they need costed completion plans and yearly reports on time to justify new funding. "
        "(Illustrative summary for the demo.)"
    )


@demo.register
@transaction.atomic
def seed_summary() -> list[str]:
    meeting = Meeting.objects.filter(title=TITLE).first()
    if meeting is None:
        return ["Meeting summary demo: skipped (no demo meeting)."]
    if Summary.objects.filter(meeting=meeting).exists():
        return ["Meeting summary demo: already present."]
    convener = User.objects.filter(email="coordinator@example.org").first()
    reviewer = User.objects.filter(email="admin@example.org").first()
    if convener is None or reviewer is None:
        return ["Meeting summary demo: skipped (no demo coordinator or administrator)."]
    today = clock.today()
    draft = service.summary_save(meeting=meeting, title=SUMMARY_TITLE, text=_first_draft(today), actor=convener)
    draft = service.summary_submit(summary=draft, actor=convener)
    caught = service.check(draft, today=today)
    summary = service.summary_save(meeting=meeting, title=SUMMARY_TITLE, text=REWRITTEN, actor=convener)
    service.summary_publish(summary=summary, actor=reviewer, today=today)
    words = ", ".join(sorted({f"“{h.matched}” ({h.kind_label})" for h in caught.hits}))
    return [
        f"Meeting summary demo: the first draft was stopped by the check ({len(caught.hits)} hits: {words}); "
        "rewritten and published by admin@example.org. Public page: /meetings/summaries/."
    ]
