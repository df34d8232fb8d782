"""Demo needs, obstacles, donor profiles and responses (``ccm seed_demo``). Illustrative, except where a
source is named (the obstacles quote Mine Action Review and the ISU, as in the reference data)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ccm.accounts.models import Organisation
from ccm.core import demo
from ccm.core.documents.services import document_attach
from ccm.needs import services
from ccm.needs.models import DonorProfile, Need
from ccm.states.models import State


def _endorsement_pdf() -> bytes:
    """A one-page letter, generated at demo time (no binary in the repository)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    pdf.setTitle("Endorsement (demo)")
    lines = [
        "Lebanon Mine Action Centre (demo)",
        "",
        "Endorsement of the need: Two clearance teams for southern Lebanon, 2026-2027.",
        "The national authority endorses this request and the accredited operator that will implement it.",
        "",
        "ILLUSTRATIVE DOCUMENT FOR THE DEMO: not a real letter.",
    ]
    text = pdf.beginText(72, 760)
    for line in lines:
        text.textLine(line)
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@demo.register
@transaction.atomic
def seed() -> list[str]:
    if Need.objects.exists():
        return ["Needs demo: already present."]
    states = {s.iso3: s for s in State.objects.filter(iso3__in=["LBN", "TCD", "SOM", "LAO"])}
    norway = Organisation.objects.get(name="Norway, Ministry of Foreign Affairs (demo)")
    eu = Organisation.objects.get(name="European Union (demo)")
    services.donor_profile_save(
        organisation=norway,
        actor=None,
        priority_states=[states["LBN"], states["LAO"]],
        values={
            "pillars": ["clearance", "survey", "stockpile_destruction"],
            "modalities": ["financial"],
            "channels": ["operators", "bilateral"],
            "grant_min": Decimal("250000"),
            "grant_max": Decimal("5000000"),
            "currency": "USD",
            "funding_cycle": "Decisions in the first quarter for the calendar year (illustrative).",
            "how_to_apply": "Through an accredited operator, with the national authority's endorsement (illustrative).",
            "requirements": "Costed work plan, baseline, survey data and a letter from the national authority.",
            "contact_name": "Mine action desk (demo)",
            "contact_email": "mine-action@example.org",
        },
    )
    services.donor_profile_save(
        organisation=eu,
        actor=None,
        values={
            "priority_regions": ["africa", "asia"],
            "pillars": [],
            "modalities": ["financial", "technical_expertise"],
            "channels": ["trust_funds", "operators"],
            "grant_min": Decimal("500000"),
            "grant_max": Decimal("10000000"),
            "currency": "EUR",
            "funding_cycle": "Calls for proposals twice a year (illustrative).",
            "how_to_apply": "Respond to a call for proposals; the national authority co-signs (illustrative).",
            "requirements": "Logical framework, budget, risk analysis.",
            "contact_name": "Demo desk",
        },
    )
    lbn_security = services.obstacle_create(
        state=states["LBN"],
        category="security_access",
        severity="critical",
        observed_on=date(2024, 3, 1),
        statement="Clearance operations halted since October 2023 because of the conflict (ISU, March 2024).",
        obligation=states["LBN"].obligations.get(kind="clearance"),
        actor=None,
    )
    lbn_funding = services.obstacle_create(
        state=states["LBN"],
        category="funding",
        severity="high",
        observed_on=date(2023, 6, 1),
        statement="International clearance funding is declining (Mine Action Review).",
        obligation=states["LBN"].obligations.get(kind="clearance"),
        actor=None,
    )
    tcd_survey = services.obstacle_create(
        state=states["TCD"],
        category="information_survey",
        severity="high",
        observed_on=date(2025, 1, 1),
        statement="Tibesti province suspected but never surveyed; non-technical survey needed (Mine Action Review).",
        obligation=states["TCD"].obligations.get(kind="clearance"),
        actor=None,
    )
    tcd_funding = services.obstacle_create(
        state=states["TCD"],
        category="funding",
        severity="critical",
        observed_on=date(2025, 1, 1),
        statement="No international funding reported since the EU PRODECO project ended in 2022 (Mine Action Review).",
        actor=None,
    )
    now = timezone.now()
    lbn_clearance = services.need_save(
        state=states["LBN"],
        actor=None,
        illustrative=True,
        obstacles=[lbn_funding],
        values={
            "title": "Two clearance teams for southern Lebanon, 2026-2027",
            "pillar": "clearance",
            "modality": "financial",
            "obligation": states["LBN"].obligations.get(kind="clearance"),
            "description": "Fund two battle-area clearance teams to release the remaining confirmed areas once "
            "access returns.",
            "amount": Decimal("2400000"),
            "currency": "USD",
            "starts_on": date(2026, 1, 1),
            "ends_on": date(2027, 12, 31),
            "priority": 1,
            "visibility": "public",
        },
    )
    services.need_publish(need=lbn_clearance, actor=None, at=now - timedelta(days=75))
    services.response_create(
        need=lbn_clearance,
        organisation=norway,
        kind="question",
        actor=None,
        message="Which operator would implement, and is the national authority's endorsement ready?",
    )
    lmac_answer = services.response_create(
        need=lbn_clearance,
        organisation=Organisation.objects.get(name="Lebanon Mine Action Centre (demo)"),
        kind="answer",
        actor=None,
        message="An accredited operator; the endorsement is attached.",
    )
    document_attach(
        parent=lmac_answer,
        upload=ContentFile(_endorsement_pdf(), name="endorsement-LMAC.pdf"),
        actor=None,
        title="Endorsement by the national authority (demo)",
        description="Illustrative letter generated for the demo.",
    )
    # Norway's pledge on this need is a flow in the funding ledger: see ccm/funding/demo.py
    lbn_re = services.need_save(
        state=states["LBN"],
        actor=None,
        illustrative=True,
        obstacles=[lbn_security],
        values={
            "title": "Risk education in displacement sites",
            "pillar": "risk_education",
            "modality": "capacity_building",
            "description": "Training of trainers for risk education where displaced families return.",
            "amount": None,
            "currency": "",
            "in_kind": "Two experienced risk-education trainers for three months.",
            "priority": 2,
            "visibility": "platform",
            "ends_on": now.date() + timedelta(days=21),  # nearing its end: on Lebanon's home page
        },
    )
    services.need_publish(need=lbn_re, actor=None, at=now - timedelta(days=20))
    services.response_create(
        need=lbn_re,
        organisation=eu,
        kind="interest",
        actor=None,
        message="Possible under the next call; we will be in touch.",
    )
    services.response_create(  # not answered yet: on Lebanon's editors' home page
        need=lbn_re,
        organisation=eu,
        kind="question",
        actor=None,
        message="Could the trainers work in Arabic and French?",
    )
    lao_database = services.need_save(
        state=states["LAO"],
        actor=None,
        illustrative=True,
        values={
            "title": "Information-management adviser for the national database",
            "pillar": "clearance",
            "modality": "technical_expertise",
            "description": "An adviser for six months to move survey and clearance records to the new database.",
            "amount": Decimal("600000"),
            "currency": "EUR",
            "priority": 2,
            "visibility": "public",
        },
    )
    # published three days ago: a new need matching the EU's profile, on its editors' home page
    services.need_publish(need=lao_database, actor=None, at=now - timedelta(days=3))
    tcd_survey_need = services.need_save(
        state=states["TCD"],
        actor=None,
        illustrative=True,
        obstacles=[tcd_survey, tcd_funding],
        values={
            "title": "Non-technical survey of Tibesti province",
            "pillar": "survey",
            "modality": "financial",
            "obligation": states["TCD"].obligations.get(kind="clearance"),
            "description": "Establish an evidence-based baseline for the Article 4 obligation.",
            "amount": Decimal("850000"),
            "currency": "EUR",
            "ends_on": date(2027, 6, 30),
            "priority": 1,
            "visibility": "public",
        },
    )
    services.need_publish(need=tcd_survey_need, actor=None, at=now - timedelta(days=140))
    tcd_equipment = services.need_save(
        state=states["TCD"],
        actor=None,
        illustrative=True,
        obstacles=[tcd_funding],
        values={
            "title": "Vehicles and detectors for the national authority",
            "pillar": "capacity_building",
            "modality": "equipment",
            "description": "Four field vehicles and twelve detectors.",
            "amount": Decimal("380000"),
            "currency": "EUR",
            "priority": 2,
            "visibility": "public",
        },
    )
    services.need_publish(need=tcd_equipment, actor=None, at=now - timedelta(days=60))
    som = services.need_save(
        state=states["SOM"],
        actor=None,
        illustrative=True,
        values={
            "title": "Baseline survey where access allows",
            "pillar": "survey",
            "modality": "technical_expertise",
            "description": "Survey capacity to start a baseline of cluster munition remnants.",
            "amount": None,
            "currency": "",
            "in_kind": "A survey team leader and an information-management adviser.",
            "priority": 1,
            "visibility": "public",
        },
    )
    services.need_publish(need=som, actor=None, at=now - timedelta(days=95))
    profiles = DonorProfile.objects.count()
    return [
        f"Needs demo: {Need.objects.count()} needs (4 with no answer at all), {profiles} donor profiles, obstacles "
        "for Lebanon and Chad. Coordinators see the silence at /needs/silence/.",
        "    What waits for each person is on their home page after signing in (/me/).",
    ]
