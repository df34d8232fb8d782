"""The role matrix: every URL pattern and API route, every persona.

``test_every_route_is_in_the_matrix`` fails when a new page or endpoint is added without an entry
here, so no later feature can skip its access rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ccm.accounts import services
from ccm.accounts.models import ApiToken, Membership
from tests.access import assert_allowed, assert_denied
from tests.meetings.publish_world import naming_fingerprint
from tests.personas import ALL_PERSONAS, STATE_A_MEMBERS, organisation, persona
from tests.worlds import shared_world

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in ALL_PERSONAS if p != "anonymous"]
EVERYONE = ALL_PERSONAS
ORG_A_READERS = [*STATE_A_MEMBERS, "coordinator", "administrator"]
ORG_A_MANAGERS = ["state_manager", "administrator"]
STATE_A_EDITORS = ["state_editor", "state_manager"]
COORDINATORS = ["coordinator", "administrator"]
# Editors and managers of every organisation other than State A's government answer State A's needs
RESPONDERS = [
    "io_editor",
    "io_manager",
    "operator_editor",
    "operator_manager",
    "isu_editor",
    "isu_manager",
    "other_state_manager",
]


# Who is refused with 403 (they see the object, or the workspace it belongs to, but may not act);
# every other refused signed-in persona must get 404 (hidden).
STATE_A_WORKSPACE_READERS = ["state_viewer", "coordinator", "administrator"]  # see State A's workspace, not editors
ORG_VIEWERS = ["state_viewer", "io_viewer", "operator_viewer", "isu_viewer"]
SUPPORT_UNIT = ["isu_viewer", "isu_editor", "isu_manager"]
# The test campaign of the synthesis was sent to State A and State B (other_state_manager) and has closed.
SYNTHESIS_READERS = [*COORDINATORS, *SUPPORT_UNIT, *STATE_A_MEMBERS, "other_state_manager"]
SYNTHESIS_TAGGERS = [*COORDINATORS, "isu_editor", "isu_manager"]
# A consultation campaign sent to State A and State B, convened by io_manager; seen by coordinators and
# the implementation support unit
CAMPAIGN_READERS = [*STATE_A_MEMBERS, "other_state_manager", "io_manager", "isu_viewer", "isu_editor", "isu_manager"]
# The closed meeting of tests/meetings/world.py: State B's manager convenes it; State A's government and
# the operator are invited (the international organisation is not); the support unit and coordinators
# see it; its notes are for the convener and the support unit only.
MEETING_CIRCLE = [
    *STATE_A_MEMBERS,
    "operator_viewer",
    "operator_editor",
    "operator_manager",
    "isu_viewer",
    "isu_editor",
    "isu_manager",
    "other_state_manager",
    "coordinator",
    "administrator",
]
MEETING_CONVENERS = ["other_state_manager"]
MEETING_NOT_CONVENERS = [p for p in MEETING_CIRCLE if p not in MEETING_CONVENERS]
MEETING_NOTE_READERS = ["other_state_manager", "isu_viewer", "isu_editor", "isu_manager"]
MEETING_REPLIERS = ["state_editor", "state_manager", "operator_editor", "operator_manager"]
MEETING_CREATORS = ["isu_editor", "isu_manager", "coordinator", "administrator"]
# The coalition of tests/coalitions/helpers.py: State A's government and the IO are its members
COALITION_MEMBERS = ["state_viewer", "state_editor", "state_manager", "io_viewer", "io_editor", "io_manager"]
COALITION_EDITORS = ["state_editor", "state_manager", "io_editor", "io_manager"]
COALITION_WORKSPACE = [*COALITION_MEMBERS, "coordinator", "administrator"]
COALITION_STEER = ["state_manager", "coordinator", "administrator"]


@dataclass
class Route:
    url: Callable[[dict[str, Any]], str]
    allowed: list[str]
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
    forbidden: list[str] = field(default_factory=list)  # refused with 403; the other refused: 404
    anonymous: int | str | None = None  # default: 401 from the API, sent to sign in from a page
    everyone_sees_it: bool = False  # the object is visible to all: every refused signed-in persona gets 403

    def __post_init__(self) -> None:
        if self.everyone_sees_it:
            self.forbidden = [p for p in SIGNED_IN if p not in self.allowed]


# Meetings: the closed meeting's circle (tests/meetings/world.py), who reads a summary before it is
# published, and who reviews it
MEETING_CIRCLE = [
    *STATE_A_MEMBERS,
    "operator_viewer",
    "operator_editor",
    "operator_manager",
    "isu_viewer",
    "isu_editor",
    "isu_manager",
    "other_state_manager",
    "coordinator",
    "administrator",
]
SUMMARY_REVIEWERS = ["other_state_manager", "isu_editor", "isu_manager", "coordinator", "administrator"]
SUMMARY_DRAFT_READERS = [*SUMMARY_REVIEWERS, "isu_viewer"]


def _fixtures(*, everything: bool = False) -> dict[str, Any]:
    from ccm.core.models import SpreadsheetImport
    from ccm.reporting import services as reporting
    from ccm.states.models import State

    lebanon = State.objects.get(iso3="LBN")
    draft = reporting.progress_save(state=lebanon, year=2023, figures={"cleared_m2": 1000}, actor=None).report
    plan, _created = reporting.plan_save(
        obligation=lebanon.obligations.get(kind="clearance"),
        currency="USD",
        actor=None,
        years=[{"year": 2027, "target_output": 1000, "cost": 5000}],
    )
    sheet_import = SpreadsheetImport.objects.create(state=lebanon, original_name="x.xlsx", status="invalid")
    needs_import = SpreadsheetImport.objects.create(
        state=lebanon, kind="needs", original_name="n.csv", status="invalid"
    )
    flows_import = SpreadsheetImport.objects.create(
        organisation=organisation("io"), kind="flows", original_name="f.csv", status="invalid"
    )
    from tests.factories import DonorProfileFactory, NeedFactory

    draft_need = NeedFactory(state=lebanon, published=False, title="Draft need", description="x", amount=1000)
    public_need = NeedFactory(state=lebanon, title="Public need", description="x", amount=1000)
    DonorProfileFactory()
    from django.core.files.base import ContentFile

    from ccm.core.documents.services import document_attach

    draft_document = document_attach(
        parent=draft_need, upload=ContentFile(b"%PDF-1.4 draft", name="d.pdf"), actor=None, title="Draft"
    )
    public_document = document_attach(
        parent=public_need, upload=ContentFile(b"%PDF-1.4 public", name="p.pdf"), actor=None, title="Public"
    )
    org_a = organisation("state")
    manager = persona("state_manager").user
    invitation, token = services.invitation_create(
        organisation=org_a, email="invitee@example.org", role="viewer", actor=manager
    )
    api_token, _key = services.api_token_create(
        user=persona("state_editor").user, name="script", actor=persona("state_editor").user
    )
    from ccm.core.task_models import Job

    iati_job = Job.objects.create(name="funding.iati_import", label="upload.xml", status="done", report={"counts": {}})
    from ccm.funding.services import pledge_create

    io_pledge = pledge_create(need=public_need, funder=organisation("io"), amount=100, actor=None)
    assert io_pledge is not None
    return _LazyFixtures(
        {
            "io_pledge": io_pledge.pk,
            "iati_job": iati_job.pk,
            "org_a": org_a.slug,
            "membership": Membership.objects.get(user=persona("state_viewer").user, organisation=org_a).pk,
            "invitation": invitation.pk,
            "invitation_token": token,
            "api_token": api_token.pk,
            "draft_year": draft.year,
            "plan": plan.pk,
            "import": sheet_import.pk,
            "needs_import": needs_import.pk,
            "flows_import": flows_import.pk,
            "draft_need": draft_need.pk,
            "public_need": public_need.pk,
            "io": organisation("io").slug,
            "draft_document": draft_document,
            "public_document": public_document,
        },
        builders=[_consultations, _synthesis, _meetings, _coalitions, _coordination, _victims, _library],
        everything=everything,
    )


class _LazyFixtures(dict):
    """The fixtures of the matrix: the base world at once, each later app's world (consultations,
    meetings, coalitions) only when a route asks for one of its keys, so a route of the older apps does
    not pay for building them all. ``everything`` builds them all now (the policy-rules test)."""

    def __init__(self, base: dict[str, Any], *, builders: list[Any], everything: bool = False) -> None:
        super().__init__(base)
        self._pending = list(builders)
        while everything and self._pending:
            self.update(self._pending.pop(0)(self))

    def __missing__(self, key: str) -> Any:
        while self._pending:
            self.update(self._pending.pop(0)(self))
            if dict.__contains__(self, key):
                return dict.__getitem__(self, key)
        raise KeyError(key)


def _consultations(f: dict[str, Any]) -> dict[str, Any]:
    from ccm.core.models import SpreadsheetImport
    from tests.consultations.matrix import consultation_fixtures

    org_a = organisation("state")
    return {
        **consultation_fixtures(),
        "answers_import": SpreadsheetImport.objects.create(
            organisation=org_a, kind="consultation_sheet", original_name="a.xlsx", status="invalid"
        ).pk,
    }


def _synthesis(f: dict[str, Any]) -> dict[str, Any]:
    from tests.consultations.synthesis_world import build as synthesis_world

    synthesis = synthesis_world(slug="matrix")  # closed; State A and B answer; "coordinator" convenes
    return {
        "synthesis_campaign": synthesis.campaign.pk,
        "synthesis_item": synthesis.items[("other_state", "obstacles")].pk,
    }


def _meetings(f: dict[str, Any]) -> dict[str, Any]:
    from ccm.actions.services import action_create
    from ccm.meetings.models import Meeting
    from tests.meetings.publish_world import make_summaries
    from tests.meetings.world import make_meetings

    meetings = make_meetings()
    # An action of the closed meeting: seen by the meeting's circle only
    restricted_action = action_create(
        source=Meeting.objects.get(pk=meetings["closed_meeting"]),
        title="Follow-up",
        owner=organisation("state"),
        due_date=date(2026, 1, 15),
        actor=None,
    )
    meetings.update(make_summaries(meetings))
    return {**meetings, "restricted_action": restricted_action.pk}


def _coalitions(f: dict[str, Any]) -> dict[str, Any]:
    from tests.coalitions.helpers import coalition_world

    return {"coalition": coalition_world()}


def _coordination(f: dict[str, Any]) -> dict[str, Any]:
    from tests.coordination.helpers import coordination_world

    return {"coordination": coordination_world()}


def _victims(f: dict[str, Any]) -> dict[str, Any]:
    from tests.victims.helpers import victims_world

    return {"va_year": victims_world()}


def _library(f: dict[str, Any]) -> dict[str, Any]:
    from tests.library.helpers import library_world

    return {"library": library_world()}


# Coordination (tests/coordination/helpers.py): coordinators see every page; the shared run is seen by the
# international organisation (its donor), whose editors and managers pledge its line.
IO_MEMBERS = ["io_viewer", "io_editor", "io_manager"]
RUN_READERS = [*COORDINATORS, *IO_MEMBERS]
ZERO_WEIGHTS = {
    "coverage_gap": "1",
    "donor_count": "0",
    "concentration": "0",
    "unanswered_share": "0",
    "unanswered_age": "0",
    "deadline_risk": "0",
    "funding_per_km2": "0",
}


def _in_coordination_world(f: dict[str, Any], url: str) -> str:
    """``url``, once the coordination world (a donor with money) is built."""
    assert f["coordination"].run.pk
    return url


ROUTES: dict[str, Route] = {
    # Meeting summaries and briefing packs (tests/meetings/publish_world.py)
    **{
        "meetings:summary-index": Route(lambda f: reverse("meetings:summary-index"), EVERYONE),
        "meetings:summary": Route(
            lambda f: reverse("meetings:summary", args=[f["closed_meeting"]]), SUMMARY_DRAFT_READERS, anonymous=404
        ),
        "meetings:summary-pdf": Route(lambda f: reverse("meetings:summary-pdf", args=[f["open_meeting"]]), EVERYONE),
        "meetings:summary-edit": Route(
            lambda f: reverse("meetings:summary-edit", args=[f["closed_meeting"]]),
            ["other_state_manager"],
            forbidden=[p for p in MEETING_CIRCLE if p != "other_state_manager"],
        ),
        "meetings:summary-review": Route(
            lambda f: reverse("meetings:summary-review", args=[f["closed_meeting"]]),
            SUMMARY_REVIEWERS,
            forbidden=["isu_viewer"],
        ),
        "meetings:summary-submit": Route(
            lambda f: reverse("meetings:summary-submit", args=[f["draft_meeting"]]),
            ["other_state_manager"],
            "post",
            forbidden=[p for p in SUMMARY_DRAFT_READERS if p != "other_state_manager"],
        ),
        "meetings:summary-waive": Route(
            lambda f: reverse("meetings:summary-waive", args=[f["closed_meeting"]]),
            SUMMARY_REVIEWERS,
            "post",
            data={"fingerprint": naming_fingerprint(), "reason": "Agreed with the delegation."},
            forbidden=["isu_viewer"],
        ),
        "meetings:summary-publish": Route(
            lambda f: reverse("meetings:summary-publish", args=[f["review_meeting"]]),
            SUMMARY_REVIEWERS,
            "post",
            forbidden=["isu_viewer"],
        ),
        "meetings:pack": Route(lambda f: reverse("meetings:pack", args=[f["closed_meeting"]]), MEETING_CIRCLE),
        "meetings:pack-pdf": Route(
            lambda f: reverse("meetings:pack-pdf", args=[f["closed_meeting"]]), ["state_viewer"]
        ),
        "meetings:pack-docx": Route(
            lambda f: reverse("meetings:pack-docx", args=[f["closed_meeting"]]), ["state_viewer"]
        ),
        "api-meeting-summaries": Route(lambda f: reverse("api-meeting-summaries"), EVERYONE),
        "api-meeting-summary": Route(
            lambda f: reverse("api-meeting-summary", args=[f["closed_meeting"]]), SUMMARY_DRAFT_READERS, anonymous=404
        ),
        "api-meeting-summary-submit": Route(
            lambda f: reverse("api-meeting-summary-submit", args=[f["draft_meeting"]]),
            ["other_state_manager"],
            "post",
            forbidden=[p for p in SUMMARY_DRAFT_READERS if p != "other_state_manager"],
        ),
        "api-meeting-summary-waive": Route(
            lambda f: reverse("api-meeting-summary-waive", args=[f["closed_meeting"]]),
            SUMMARY_REVIEWERS,
            "post",
            data={"fingerprint": naming_fingerprint(), "reason": "Agreed with the delegation."},
            forbidden=["isu_viewer"],
        ),
        "api-meeting-summary-publish": Route(
            lambda f: reverse("api-meeting-summary-publish", args=[f["review_meeting"]]),
            SUMMARY_REVIEWERS,
            "post",
            forbidden=["isu_viewer"],
        ),
        "api-meeting-pack": Route(lambda f: reverse("api-meeting-pack", args=[f["closed_meeting"]]), ["state_viewer"]),
        "api-meeting-pack-pdf": Route(
            lambda f: reverse("api-meeting-pack-pdf", args=[f["closed_meeting"]]), ["state_viewer"]
        ),
        "api-meeting-pack-docx": Route(
            lambda f: reverse("api-meeting-pack-docx", args=[f["closed_meeting"]]), ["state_viewer"]
        ),
    },
    # Public pages and the public API
    "states:home": Route(lambda f: reverse("states:home"), EVERYONE),
    "states:list": Route(lambda f: reverse("states:list"), EVERYONE),
    "states:detail": Route(lambda f: reverse("states:detail", args=["LBN"]), EVERYONE),
    "states:deadlines": Route(lambda f: reverse("states:deadlines"), EVERYONE),
    "states:export-csv": Route(lambda f: reverse("states:export-csv"), EVERYONE),
    "states:export-xlsx": Route(lambda f: reverse("states:export-xlsx"), EVERYONE),
    "api-schema": Route(lambda f: reverse("api-schema"), EVERYONE),
    "healthz": Route(lambda f: reverse("healthz"), EVERYONE),
    "readyz": Route(lambda f: reverse("readyz"), EVERYONE),
    "api-docs": Route(lambda f: reverse("api-docs"), EVERYONE),
    "api-states-list": Route(lambda f: reverse("api-states-list"), EVERYONE),
    "api-states-detail": Route(lambda f: reverse("api-states-detail", args=["LBN"]), EVERYONE),
    "set_language": Route(lambda f: reverse("set_language"), EVERYONE, "post", {"language": "fr", "next": "/"}),
    # Signing in and out, password reset, invitations: open to all
    "accounts:sign-in": Route(lambda f: reverse("accounts:sign-in"), EVERYONE),
    "accounts:sign-out": Route(lambda f: reverse("accounts:sign-out"), EVERYONE, "post"),
    "accounts:password-reset": Route(lambda f: reverse("accounts:password-reset"), EVERYONE),
    "accounts:password-reset-done": Route(lambda f: reverse("accounts:password-reset-done"), EVERYONE),
    "accounts:password-reset-confirm": Route(
        lambda f: reverse("accounts:password-reset-confirm", args=["MQ", "set-password"]), EVERYONE
    ),
    "accounts:password-reset-complete": Route(lambda f: reverse("accounts:password-reset-complete"), EVERYONE),
    "accounts:invitation-accept": Route(
        lambda f: reverse("accounts:invitation-accept", args=[f["invitation_token"]]), EVERYONE
    ),
    # Any signed-in user (content filtered by policy where it differs)
    "accounts:verify": Route(lambda f: reverse("accounts:verify"), SIGNED_IN),
    "accounts:two-factor": Route(lambda f: reverse("accounts:two-factor"), SIGNED_IN),
    "accounts:profile": Route(lambda f: reverse("accounts:profile"), SIGNED_IN),
    "accounts:organisations": Route(lambda f: reverse("accounts:organisations"), SIGNED_IN),
    "accounts:api-tokens": Route(lambda f: reverse("accounts:api-tokens"), SIGNED_IN),
    "core:audit-log": Route(lambda f: reverse("core:audit-log"), SIGNED_IN),
    "core:audit-export": Route(lambda f: reverse("core:audit-export"), SIGNED_IN),
    "api-me": Route(lambda f: reverse("api-me"), SIGNED_IN),
    "api-worklist": Route(lambda f: reverse("api-worklist"), SIGNED_IN),
    "me:home": Route(lambda f: reverse("me:home"), SIGNED_IN),
    "api-organisations-list": Route(lambda f: reverse("api-organisations-list"), SIGNED_IN),
    "api-audit-list": Route(lambda f: reverse("api-audit-list"), SIGNED_IN),
    # Organisation A: its members and coordinators read; its managers (and administrators) manage
    "accounts:organisation": Route(lambda f: reverse("accounts:organisation", args=[f["org_a"]]), ORG_A_READERS),
    "api-organisation-members": Route(lambda f: reverse("api-organisation-members", args=[f["org_a"]]), ORG_A_READERS),
    "accounts:membership-role": Route(
        lambda f: reverse("accounts:membership-role", args=[f["membership"]]),
        ORG_A_MANAGERS,
        "post",
        {"role": "editor"},
        forbidden=["state_viewer", "state_editor", "coordinator"],
    ),
    "accounts:membership-remove": Route(
        lambda f: reverse("accounts:membership-remove", args=[f["membership"]]),
        ORG_A_MANAGERS,
        "post",
        forbidden=["state_viewer", "state_editor", "coordinator"],
    ),
    "accounts:invitation-revoke": Route(
        lambda f: reverse("accounts:invitation-revoke", args=[f["invitation"]]), ORG_A_MANAGERS, "post"
    ),
    # Reporting: State A's government edits; coordinators and State A's viewers read; others read what is public
    "profiles:profile": Route(lambda f: reverse("profiles:profile", args=["LBN"]), EVERYONE),
    "profiles:brief-pdf": Route(lambda f: reverse("profiles:brief-pdf", args=["LBN"]), EVERYONE),
    "profiles:brief-docx": Route(lambda f: reverse("profiles:brief-docx", args=["LBN"]), EVERYONE),
    "reporting:plan": Route(lambda f: reverse("reporting:plan", args=["LBN", "clearance"]), EVERYONE),
    "reporting:progress": Route(
        lambda f: reverse("reporting:progress", args=["LBN", f["draft_year"]]), ORG_A_READERS, anonymous=404
    ),
    "reporting:progress-new": Route(
        lambda f: reverse("reporting:progress-new", args=["LBN"]), STATE_A_EDITORS, forbidden=STATE_A_WORKSPACE_READERS
    ),
    "reporting:progress-edit": Route(
        lambda f: reverse("reporting:progress-edit", args=["LBN", f["draft_year"]]),
        STATE_A_EDITORS,
        forbidden=STATE_A_WORKSPACE_READERS,
    ),
    "reporting:progress-status": Route(
        lambda f: reverse("reporting:progress-status", args=["LBN", f["draft_year"]]),
        STATE_A_EDITORS,
        "post",
        {"status": "submitted"},
        forbidden=STATE_A_WORKSPACE_READERS,
    ),
    "reporting:baseline-new": Route(
        lambda f: reverse("reporting:baseline-new", args=["LBN"]), STATE_A_EDITORS, forbidden=STATE_A_WORKSPACE_READERS
    ),
    "reporting:plan-edit": Route(
        lambda f: reverse("reporting:plan-edit", args=["LBN", "clearance"]),
        STATE_A_EDITORS,
        forbidden=STATE_A_WORKSPACE_READERS,
    ),
    "reporting:plan-approve": Route(
        lambda f: reverse("reporting:plan-approve", args=["LBN", f["plan"]]),
        ["state_manager"],
        "post",
        forbidden=["state_editor", *STATE_A_WORKSPACE_READERS],
    ),
    "reporting:workbook": Route(
        lambda f: reverse("reporting:workbook", args=["LBN"]), STATE_A_EDITORS, forbidden=STATE_A_WORKSPACE_READERS
    ),
    "reporting:import-new": Route(
        lambda f: reverse("reporting:import-new", args=["LBN"]), STATE_A_EDITORS, forbidden=STATE_A_WORKSPACE_READERS
    ),
    "reporting:import": Route(lambda f: reverse("reporting:import", args=["LBN", f["import"]]), STATE_A_EDITORS),
    "api-baselines-list": Route(lambda f: reverse("api-baselines-list", args=["LBN"]), EVERYONE),
    "api-progress-list": Route(lambda f: reverse("api-progress-list", args=["LBN"]), EVERYONE),
    "api-plans-list": Route(lambda f: reverse("api-plans-list", args=["LBN"]), EVERYONE),
    "api-remaining-work": Route(lambda f: reverse("api-remaining-work", args=["LBN"]), EVERYONE),
    # Needs: public board; drafts for State A and coordinators; other organisations respond
    "needs:board": Route(lambda f: reverse("needs:board"), EVERYONE),
    "needs:export-csv": Route(lambda f: reverse("needs:export-csv"), EVERYONE),
    "needs:export-xlsx": Route(lambda f: reverse("needs:export-xlsx"), EVERYONE),
    "needs:donors": Route(lambda f: reverse("needs:donors"), EVERYONE),
    "needs:donor": Route(lambda f: reverse("needs:donor", args=[f["io"]]), EVERYONE),
    "needs:donor-edit": Route(
        lambda f: reverse("needs:donor-edit", args=[f["io"]]),
        ["io_editor", "io_manager"],
        forbidden=["io_viewer", *COORDINATORS],
    ),
    "needs:silence": Route(lambda f: reverse("needs:silence"), COORDINATORS),
    "needs:notifications": Route(lambda f: reverse("needs:notifications"), SIGNED_IN),
    "needs:new": Route(
        lambda f: reverse("needs:new", args=["LBN"]), STATE_A_EDITORS, forbidden=STATE_A_WORKSPACE_READERS
    ),
    "needs:obstacle-new": Route(
        lambda f: reverse("needs:obstacle-new", args=["LBN"]), STATE_A_EDITORS, forbidden=STATE_A_WORKSPACE_READERS
    ),
    "needs:import-new": Route(
        lambda f: reverse("needs:import-new", args=["LBN"]), STATE_A_EDITORS, forbidden=STATE_A_WORKSPACE_READERS
    ),
    "needs:import": Route(lambda f: reverse("needs:import", args=["LBN", f["needs_import"]]), STATE_A_EDITORS),
    "needs:detail": Route(lambda f: reverse("needs:detail", args=[f["draft_need"]]), ORG_A_READERS, anonymous=404),
    "needs:edit": Route(
        lambda f: reverse("needs:edit", args=[f["draft_need"]]), STATE_A_EDITORS, forbidden=STATE_A_WORKSPACE_READERS
    ),
    "needs:publish": Route(
        lambda f: reverse("needs:publish", args=[f["draft_need"]]),
        STATE_A_EDITORS,
        "post",
        forbidden=STATE_A_WORKSPACE_READERS,
    ),
    "needs:withdraw": Route(
        lambda f: reverse("needs:withdraw", args=[f["draft_need"]]),
        STATE_A_EDITORS,
        "post",
        forbidden=STATE_A_WORKSPACE_READERS,
    ),
    "needs:met": Route(
        lambda f: reverse("needs:met", args=[f["public_need"]]), STATE_A_EDITORS, "post", everyone_sees_it=True
    ),
    "needs:respond": Route(
        lambda f: reverse("needs:respond", args=[f["public_need"]]),
        RESPONDERS,
        "post",
        {"kind": "interest"},
        everyone_sees_it=True,
    ),
    # Meetings: a closed meeting is hidden (404) from whoever is not in its circle, its notes from every
    # reader but the convener and the support unit (coordinators included), by page and by API alike.
    "meetings:list": Route(lambda f: reverse("meetings:list"), EVERYONE),
    "meetings:new": Route(lambda f: reverse("meetings:new"), MEETING_CREATORS, everyone_sees_it=True),
    "meetings:detail": Route(
        lambda f: reverse("meetings:detail", args=[f["closed_meeting"]]), MEETING_CIRCLE, anonymous=404
    ),
    "meetings:ics": Route(lambda f: reverse("meetings:ics", args=[f["closed_meeting"]]), MEETING_CIRCLE, anonymous=404),
    "meetings:edit": Route(
        lambda f: reverse("meetings:edit", args=[f["closed_meeting"]]),
        MEETING_CONVENERS,
        forbidden=MEETING_NOT_CONVENERS,
    ),
    "meetings:notes": Route(lambda f: reverse("meetings:notes", args=[f["closed_meeting"]]), MEETING_NOTE_READERS),
    "meetings:reply": Route(
        lambda f: reverse("meetings:reply", args=[f["closed_meeting"]]),
        MEETING_REPLIERS,
        "post",
        {"response": "attending"},
        forbidden=[p for p in MEETING_CIRCLE if p not in MEETING_REPLIERS],
    ),
    **{
        f"meetings:{name}": Route(
            (lambda name: lambda f: reverse(f"meetings:{name}", args=[f["closed_meeting"]]))(name),
            MEETING_CONVENERS,
            "post",
            data,
            forbidden=MEETING_NOT_CONVENERS,
        )
        for name, data in (
            ("manage", {"step": "share_notes"}),
            ("agenda", {"title": "Another item"}),
            ("key-points", {"text": "Another point"}),
            ("actions", {"title": "Follow up"}),
        )
    },
    "api-meetings-list": Route(lambda f: reverse("api-meetings-list"), EVERYONE),
    **{
        name: Route(
            (lambda name: lambda f: reverse(name, args=[f["closed_meeting"]]))(name),
            MEETING_CIRCLE,
            anonymous=404,
        )
        for name in (
            "api-meetings-detail",
            "api-meetings-agenda",
            "api-meetings-replies",
            "api-meetings-key-points",
            "api-meetings-ics",
        )
    },
    "api-meetings-notes": Route(
        lambda f: reverse("api-meetings-notes", args=[f["closed_meeting"]]), MEETING_NOTE_READERS, anonymous=404
    ),
    "api-needs-list": Route(lambda f: reverse("api-needs-list"), EVERYONE),
    "api-needs-detail": Route(lambda f: reverse("api-needs-detail", args=[f["public_need"]]), EVERYONE),
    "api-obstacles-list": Route(lambda f: reverse("api-obstacles-list"), EVERYONE),
    "api-donors-list": Route(lambda f: reverse("api-donors-list"), EVERYONE),
    # Documents: seen by whoever sees the parent, attached and withdrawn by whoever may change it
    "documents:download": Route(lambda f: f["draft_document"].get_absolute_url(), ORG_A_READERS, anonymous=404),
    "documents:attach": Route(
        lambda f: reverse("documents:attach", args=["needs.need", f["draft_need"]]),
        STATE_A_EDITORS,
        "post",
        forbidden=STATE_A_WORKSPACE_READERS,
    ),
    "documents:withdraw": Route(
        lambda f: reverse("documents:withdraw", args=[f["draft_document"].pk]),
        STATE_A_EDITORS,
        "post",
        forbidden=STATE_A_WORKSPACE_READERS,
    ),
    "api-documents-list": Route(
        lambda f: reverse("api-documents-list", args=["needs.need", f["public_need"]]), EVERYONE
    ),
    "api-documents-download": Route(
        lambda f: reverse("api-documents-download", args=[f["public_document"].pk]), EVERYONE
    ),
    # Funding: public pages (content by policy); any organisation's editors record flows; coordinators import
    "funding:overview": Route(lambda f: reverse("funding:overview"), EVERYONE),
    "funding:export-csv": Route(lambda f: reverse("funding:export-csv"), EVERYONE),
    "funding:export-xlsx": Route(lambda f: reverse("funding:export-xlsx"), EVERYONE),
    "funding:explorer": Route(lambda f: reverse("funding:explorer"), EVERYONE),
    "funding:explorer-csv": Route(lambda f: reverse("funding:explorer-csv"), EVERYONE),
    "funding:explorer-xlsx": Route(lambda f: reverse("funding:explorer-xlsx"), EVERYONE),
    "funding:state": Route(lambda f: reverse("funding:state", args=["LBN"]), EVERYONE),
    "funding:donor": Route(lambda f: reverse("funding:donor", args=[f["io"]]), EVERYONE),
    "funding:rates": Route(lambda f: reverse("funding:rates"), EVERYONE),
    "funding:flow-new": Route(
        lambda f: reverse("funding:flow-new"), [*STATE_A_EDITORS, *RESPONDERS], forbidden=[*ORG_VIEWERS, *COORDINATORS]
    ),
    # a need's pledges: seen by whoever sees the need; any other organisation's editors pledge (posted)
    "funding:need": Route(
        lambda f: reverse("funding:need", args=[f["public_need"]]),
        RESPONDERS,
        "post",
        {"amount": "1"},
        everyone_sees_it=True,
    ),
    # the next step of a flow (a commitment against this pledge): its funder's editors and managers
    "funding:flow-follow": Route(
        lambda f: reverse("funding:flow-follow", args=[f["io_pledge"]]),
        ["io_editor", "io_manager"],
        everyone_sees_it=True,
    ),
    "api-pledges-list": Route(lambda f: reverse("api-pledges-list"), EVERYONE),
    "funding:iati": Route(lambda f: reverse("funding:iati"), COORDINATORS),
    "funding:flows-import-new": Route(
        lambda f: reverse("funding:flows-import-new"),
        [*STATE_A_EDITORS, *RESPONDERS],
        forbidden=[*ORG_VIEWERS, *COORDINATORS],
    ),
    "funding:iati-job": Route(lambda f: reverse("funding:iati-job", args=[f["iati_job"]]), COORDINATORS),
    "funding:iati-report-json": Route(
        lambda f: reverse("funding:iati-report-json", args=[f["iati_job"]]), COORDINATORS
    ),
    "tasks:list": Route(lambda f: reverse("tasks:list"), COORDINATORS),
    "api-tasks-list": Route(lambda f: reverse("api-tasks-list"), COORDINATORS),
    "funding:flows-import": Route(
        lambda f: reverse("funding:flows-import", args=[f["flows_import"]]), ["io_editor", "io_manager"]
    ),
    "api-flows-list": Route(lambda f: reverse("api-flows-list"), EVERYONE),
    "api-funding-explorer": Route(lambda f: reverse("api-funding-explorer"), EVERYONE),
    "api-coverage-list": Route(lambda f: reverse("api-coverage-list"), EVERYONE),
    "api-rate": Route(lambda f: reverse("api-rate") + "?currency=EUR&date=2021-05-25", EVERYONE),
    "api-rates-currencies": Route(lambda f: reverse("api-rates-currencies"), EVERYONE),
    # Consultations offline and in field tools: the workbook for the campaign's recipients and the
    # coordinators; uploads by the recipient organisation's editors; the XLSForm of a published version
    "consultation-sheets:workbook": Route(
        lambda f: reverse("consultation-sheets:workbook", args=[f["cons_campaign"]]),
        [*CAMPAIGN_READERS, *COORDINATORS],
    ),
    "api-consultations-workbook": Route(
        lambda f: reverse("api-consultations-workbook", args=[f["cons_campaign"]]),
        [*CAMPAIGN_READERS, *COORDINATORS],
    ),
    "consultation-sheets:upload": Route(
        lambda f: reverse("consultation-sheets:upload", args=[f["cons_campaign"], f["org_a"]]),
        STATE_A_EDITORS,
        forbidden=STATE_A_WORKSPACE_READERS,  # the viewer of organisation A, coordinators
    ),
    "consultation-sheets:import": Route(
        lambda f: reverse("consultation-sheets:import", args=[f["cons_campaign"], f["org_a"], f["answers_import"]]),
        STATE_A_EDITORS,
        forbidden=STATE_A_WORKSPACE_READERS,
    ),
    "consultation-sheets:xlsform": Route(
        lambda f: reverse("consultation-sheets:xlsform", args=[f["cons_set"], 1]), EVERYONE
    ),
    "api-consultations-xlsform": Route(
        lambda f: reverse("api-consultations-xlsform", args=[f["cons_set"], 1]), EVERYONE
    ),
    # A campaign's synthesis: coordinators, the support unit, its conveners, and its participants once it
    # has closed (de-attributed); themes corrected by coordinators, the support unit's editors and the
    # conveners; quotes and key points reviewed by conveners whose mandate runs.
    "synthesis:page": Route(lambda f: reverse("synthesis:page", args=[f["synthesis_campaign"]]), SYNTHESIS_READERS),
    "synthesis:export-xlsx": Route(
        lambda f: reverse("synthesis:export-xlsx", args=[f["synthesis_campaign"]]), SYNTHESIS_READERS
    ),
    "synthesis:export-docx": Route(
        lambda f: reverse("synthesis:export-docx", args=[f["synthesis_campaign"]]), SYNTHESIS_READERS
    ),
    "api-consultations-synthesis": Route(
        lambda f: reverse("api-consultations-synthesis", args=[f["synthesis_campaign"]]), SYNTHESIS_READERS
    ),
    "synthesis:auto-tag": Route(
        lambda f: reverse("synthesis:auto-tag", args=[f["synthesis_campaign"]]),
        SYNTHESIS_TAGGERS,
        "post",
        forbidden=[p for p in SYNTHESIS_READERS if p not in SYNTHESIS_TAGGERS],
    ),
    "synthesis:retag": Route(
        lambda f: reverse("synthesis:retag", args=[f["synthesis_item"]]),
        SYNTHESIS_TAGGERS,
        "post",
        {"themes": ["funding"]},
        forbidden=[p for p in SYNTHESIS_READERS if p not in SYNTHESIS_TAGGERS],
    ),
    "synthesis:quotes": Route(
        lambda f: reverse("synthesis:quotes", args=[f["synthesis_campaign"]]),
        ["coordinator"],
        forbidden=[p for p in SYNTHESIS_READERS if p != "coordinator"],
    ),
    "synthesis:quote-review": Route(
        lambda f: reverse("synthesis:quote-review", args=[f["synthesis_item"]]),
        ["coordinator"],
        "post",
        {"decision": "waive", "waiver_reason": "agreed"},
        forbidden=[p for p in SYNTHESIS_READERS if p != "coordinator"],
    ),
    "synthesis:key-points": Route(
        lambda f: reverse("synthesis:key-points", args=[f["synthesis_campaign"]]),
        ["coordinator"],
        forbidden=[p for p in SYNTHESIS_READERS if p != "coordinator"],
    ),
    # Coalitions (tests/coalitions/helpers.py): State A leads, the IO is a partner, the operator is invited;
    # the summary is public; the workspace is for members and coordinators; threads for members only.
    "coalitions:list": Route(lambda f: reverse("coalitions:list"), EVERYONE),
    "coalitions:detail": Route(lambda f: reverse("coalitions:detail", args=[f["coalition"].coalition.pk]), EVERYONE),
    "coalitions:pack-pdf": Route(
        lambda f: reverse("coalitions:pack-pdf", args=[f["coalition"].coalition.pk]), EVERYONE
    ),
    "coalitions:pack-docx": Route(
        lambda f: reverse("coalitions:pack-docx", args=[f["coalition"].coalition.pk]), EVERYONE
    ),
    "coalitions:new": Route(
        lambda f: reverse("coalitions:new"), [*STATE_A_EDITORS, "other_state_manager", *COORDINATORS]
    ),
    "coalitions:interests": Route(lambda f: reverse("coalitions:interests"), SIGNED_IN),
    "coalitions:preferences": Route(lambda f: reverse("coalitions:preferences"), SIGNED_IN),
    "coalitions:terms": Route(
        lambda f: reverse("coalitions:terms", args=[f["coalition"].coalition.pk]),
        COALITION_STEER,
        everyone_sees_it=True,
    ),
    "coalitions:status": Route(
        lambda f: reverse("coalitions:status", args=[f["coalition"].coalition.pk]),
        COALITION_STEER,
        "post",
        {"step": "conclude", "reason": "Done"},
        everyone_sees_it=True,
    ),
    "coalitions:invite": Route(
        lambda f: reverse("coalitions:invite", args=[f["coalition"].coalition.pk]),
        COALITION_STEER,
        "post",
        {"organisation": "coordinators-office", "role": "observer"},
        everyone_sees_it=True,
    ),
    "coalitions:answer": Route(
        lambda f: reverse("coalitions:answer", args=[f["coalition"].coalition.pk, f["coalition"].invitation.pk]),
        ["operator_manager"],
        "post",
        {"answer": "accept"},
        forbidden=[*COALITION_WORKSPACE, "operator_viewer", "operator_editor"],
    ),
    "coalitions:objective-add": Route(
        lambda f: reverse("coalitions:objective-add", args=[f["coalition"].coalition.pk]),
        COALITION_EDITORS,
        "post",
        {"text": "Clear 1 km2"},
        everyone_sees_it=True,
    ),
    "coalitions:milestone-add": Route(
        lambda f: reverse("coalitions:milestone-add", args=[f["coalition"].coalition.pk]),
        COALITION_EDITORS,
        "post",
        {"title": "Teams deployed", "due_date": "2027-01-31"},
        everyone_sees_it=True,
    ),
    "coalitions:milestone-reach": Route(
        lambda f: reverse(
            "coalitions:milestone-reach", args=[f["coalition"].coalition.pk, f["coalition"].milestone.pk]
        ),
        COALITION_EDITORS,
        "post",
        forbidden=["state_viewer", "io_viewer", *COORDINATORS],
    ),
    "coalitions:action-add": Route(
        lambda f: reverse("coalitions:action-add", args=[f["coalition"].coalition.pk]),
        COALITION_EDITORS,
        "post",
        {"title": "Report", "owner": "state-a-government", "due_date": "2027-01-31"},
        everyone_sees_it=True,
    ),
    # a work plan item: whoever sees the workspace; 404 for anyone else
    "coalitions:action": Route(
        lambda f: reverse("coalitions:action", args=[f["coalition"].coalition.pk, f["coalition"].action.pk]),
        COALITION_WORKSPACE,
    ),
    "coalitions:visit-add": Route(
        lambda f: reverse("coalitions:visit-add", args=[f["coalition"].coalition.pk]),
        COALITION_EDITORS,
        "post",
        {"visited_on": "2026-11-01", "place": "Nabatieh", "participants": "LMAC, IO", "findings": "Teams on site."},
        everyone_sees_it=True,
    ),
    "coalitions:review-add": Route(
        lambda f: reverse("coalitions:review-add", args=[f["coalition"].coalition.pk]),
        COALITION_EDITORS,
        "post",
        {"held_on": "2026-11-01", "political_will_score": "3", "political_will_evidence": "Budget line kept."},
        everyone_sees_it=True,
    ),
    "coalitions:thread-new": Route(
        lambda f: reverse("coalitions:thread-new", args=[f["coalition"].coalition.pk]),
        COALITION_EDITORS,
        "post",
        {"subject": "Next review", "body": "When?"},
        everyone_sees_it=True,
    ),
    # a thread: accepted members only; coordinators who are not members get 404 like any outsider
    "coalitions:thread": Route(
        lambda f: reverse("coalitions:thread", args=[f["coalition"].coalition.pk, f["coalition"].thread.pk]),
        COALITION_MEMBERS,
    ),
    "api-coalitions-list": Route(lambda f: reverse("api-coalitions-list"), EVERYONE),
    "api-coalitions-detail": Route(
        lambda f: reverse("api-coalitions-detail", args=[f["coalition"].coalition.pk]), EVERYONE
    ),
    "api-coalitions-members": Route(
        lambda f: reverse("api-coalitions-members", args=[f["coalition"].coalition.pk]), EVERYONE
    ),
    "api-coalitions-work-plan": Route(
        lambda f: reverse("api-coalitions-work-plan", args=[f["coalition"].coalition.pk]),
        COALITION_WORKSPACE,
        anonymous=404,
    ),
    "api-coalitions-scorecard": Route(
        lambda f: reverse("api-coalitions-scorecard", args=[f["coalition"].coalition.pk]),
        COALITION_WORKSPACE,
        anonymous=404,
    ),
    "api-coalitions-threads": Route(
        lambda f: reverse("api-coalitions-threads", args=[f["coalition"].coalition.pk]),
        COALITION_MEMBERS,
        anonymous=404,
    ),
    "api-coalitions-thread": Route(
        lambda f: reverse("api-coalitions-thread", args=[f["coalition"].coalition.pk, f["coalition"].thread.pk]),
        COALITION_MEMBERS,
        anonymous=404,
    ),
    # A personal token: its owner only
    "accounts:api-token-revoke": Route(
        lambda f: reverse("accounts:api-token-revoke", args=[f["api_token"]]), ["state_editor"], "post"
    ),
    # Consultations: published question sets are public; drafts, campaigns' running and the editor are the
    # coordinators'; a campaign is seen by coordinators, its conveners and the organisations asked; an
    # answer by its organisation (submitted ones by coordinators and conveners too)
    "consultations:index": Route(lambda f: reverse("consultations:index"), EVERYONE),
    "consultations:set_detail": Route(lambda f: reverse("consultations:set_detail", args=[f["cons_set"]]), EVERYONE),
    "consultations:set_new": Route(lambda f: reverse("consultations:set_new"), COORDINATORS),
    "consultations:set_edit": Route(
        lambda f: reverse("consultations:set_edit", args=[f["cons_set"]]), COORDINATORS, everyone_sees_it=True
    ),
    "consultations:draft_start": Route(
        lambda f: reverse("consultations:draft_start", args=[f["cons_set"]]),
        COORDINATORS,
        "post",
        everyone_sees_it=True,
    ),
    "consultations:set_publish": Route(
        lambda f: reverse("consultations:set_publish", args=[f["cons_draft_set"]]), COORDINATORS, "post"
    ),
    "consultations:question_new": Route(
        lambda f: reverse("consultations:question_new", args=[f["cons_draft_set"]]), COORDINATORS
    ),
    "consultations:question_edit": Route(
        lambda f: reverse("consultations:question_edit", args=[f["cons_draft_question"]]), COORDINATORS
    ),
    "consultations:question_move": Route(
        lambda f: reverse("consultations:question_move", args=[f["cons_draft_question"], "down"]),
        COORDINATORS,
        "post",
    ),
    "consultations:question_delete": Route(
        lambda f: reverse("consultations:question_delete", args=[f["cons_draft_question"]]), COORDINATORS, "post"
    ),
    "consultations:campaign_new": Route(lambda f: reverse("consultations:campaign_new"), COORDINATORS),
    "consultations:campaign": Route(
        lambda f: reverse("consultations:campaign", args=[f["cons_campaign"]]),
        [*CAMPAIGN_READERS, *COORDINATORS],
        anonymous=404,
    ),
    "consultations:campaign_edit": Route(
        lambda f: reverse("consultations:campaign_edit", args=[f["cons_campaign"]]),
        COORDINATORS,
        forbidden=CAMPAIGN_READERS,
    ),
    "consultations:campaign_send": Route(
        lambda f: reverse("consultations:campaign_send", args=[f["cons_campaign"]]),
        COORDINATORS,
        "post",
        forbidden=CAMPAIGN_READERS,
    ),
    "consultations:answer": Route(
        lambda f: reverse("consultations:answer", args=[f["cons_campaign"], f["org_a"]]), STATE_A_MEMBERS
    ),
    "consultations:answer_detail": Route(
        lambda f: reverse("consultations:answer_detail", args=[f["cons_answer"]]), STATE_A_MEMBERS
    ),
    "api-consultations-sets": Route(lambda f: reverse("api-consultations-sets"), EVERYONE),
    "api-consultations-version": Route(
        lambda f: reverse("api-consultations-version", args=[f["cons_set"], 1]), EVERYONE
    ),
    "api-consultations-campaigns": Route(lambda f: reverse("api-consultations-campaigns"), EVERYONE),
    "api-consultations-campaign": Route(
        lambda f: reverse("api-consultations-campaign", args=[f["cons_campaign"]]),
        [*CAMPAIGN_READERS, *COORDINATORS],
        anonymous=404,
    ),
    "api-consultations-answers": Route(
        lambda f: reverse("api-consultations-answers", args=[f["cons_campaign"]]),
        [*CAMPAIGN_READERS, *COORDINATORS],
        anonymous=404,
    ),
    "api-consultations-answer": Route(
        lambda f: reverse("api-consultations-answer", args=[f["cons_campaign"], f["org_a"]]),
        STATE_A_MEMBERS,
        anonymous=404,
    ),
    "api-consultations-answer-submit": Route(
        lambda f: reverse("api-consultations-answer-submit", args=[f["cons_campaign"], f["org_a"]]),
        ["state_manager"],
        "post",
        forbidden=["state_viewer", "state_editor"],
        anonymous=404,
    ),
}

ROUTES.update(
    {
        "coordination:dashboard": Route(lambda f: reverse("coordination:dashboard"), COORDINATORS),
        "coordination:attention": Route(lambda f: reverse("coordination:attention"), COORDINATORS),
        "coordination:forecasts": Route(lambda f: reverse("coordination:forecasts"), COORDINATORS),
        "coordination:forecast": Route(lambda f: reverse("coordination:forecast", args=["LBN-art4"]), COORDINATORS),
        "coordination:forecast-run": Route(lambda f: reverse("coordination:forecast-run"), COORDINATORS, "post"),
        "coordination:allocations": Route(lambda f: reverse("coordination:allocations"), COORDINATORS),
        "coordination:allocation-new": Route(lambda f: reverse("coordination:allocation-new"), COORDINATORS),
        "coordination:allocation": Route(
            lambda f: reverse("coordination:allocation", args=[f["coordination"].run.pk]), RUN_READERS
        ),
        "coordination:allocation-share": Route(
            lambda f: reverse("coordination:allocation-share", args=[f["coordination"].run.pk]),
            COORDINATORS,
            "post",
            forbidden=IO_MEMBERS,
        ),
        "coordination:line-pledge": Route(
            lambda f: reverse("coordination:line-pledge", args=[f["coordination"].run.pk, f["coordination"].line.pk]),
            ["io_editor", "io_manager"],
            "post",
            forbidden=["io_viewer", *COORDINATORS],
        ),
        "coordination:need-donors": Route(
            lambda f: reverse("coordination:need-donors", args=[f["coordination"].need.pk]), COORDINATORS
        ),
        "coordination:donor-needs": Route(
            lambda f: reverse("coordination:donor-needs", args=[f["coordination"].donor_slug]), COORDINATORS
        ),
        "api-coordination-forecasts": Route(lambda f: reverse("api-coordination-forecasts"), COORDINATORS),
        "api-coordination-attention": Route(lambda f: reverse("api-coordination-attention"), COORDINATORS),
        "api-coordination-need-donors": Route(
            lambda f: reverse("api-coordination-need-donors", args=[f["coordination"].need.pk]), COORDINATORS
        ),
        "api-coordination-allocations": Route(lambda f: reverse("api-coordination-allocations"), COORDINATORS),
        "api-coordination-allocation": Route(
            lambda f: reverse("api-coordination-allocation", args=[f["coordination"].run.pk]), RUN_READERS
        ),
        "actions:tracker": Route(lambda f: reverse("actions:tracker"), SIGNED_IN),
        "actions:detail": Route(lambda f: reverse("actions:detail", args=[f["restricted_action"]]), MEETING_CIRCLE),
        "api-actions-list": Route(lambda f: reverse("api-actions-list"), SIGNED_IN),
        "api-actions-detail": Route(
            lambda f: reverse("api-actions-detail", args=[f["restricted_action"]]), MEETING_CIRCLE
        ),
    }
)

# Library (issue 18; tests/library/helpers.py): lists for everyone; the operator's private practice for its
# members and the coordinators; the operator's offer (signed-in users) changed by its editors and managers,
# and proposed by them for State A's public need; writing for the editors and managers of any organisation.
LIBRARY_OPERATOR = ["operator_viewer", "operator_editor", "operator_manager"]
LIBRARY_OPERATOR_WRITERS = ["operator_editor", "operator_manager"]
LIBRARY_WRITERS = [
    *STATE_A_EDITORS,
    "io_editor",
    "io_manager",
    *LIBRARY_OPERATOR_WRITERS,
    "isu_editor",
    "isu_manager",
    "other_state_manager",
]
ROUTES.update(
    {
        "library:practices": Route(lambda f: reverse("library:practices"), EVERYONE),
        "library:practices-csv": Route(lambda f: reverse("library:practices-csv"), EVERYONE),
        "library:practices-xlsx": Route(lambda f: reverse("library:practices-xlsx"), EVERYONE),
        "library:practice-new": Route(
            lambda f: reverse("library:practice-new"), LIBRARY_WRITERS, everyone_sees_it=True
        ),
        "library:practice": Route(
            lambda f: reverse("library:practice", args=[f["library"].private_practice.pk]),
            [*LIBRARY_OPERATOR, *COORDINATORS],
            anonymous=404,
        ),
        "library:practice-edit": Route(
            lambda f: reverse("library:practice-edit", args=[f["library"].private_practice.pk]),
            LIBRARY_OPERATOR_WRITERS,
            forbidden=["operator_viewer", *COORDINATORS],
        ),
        "library:practice-delete": Route(
            lambda f: reverse("library:practice-delete", args=[f["library"].private_practice.pk]),
            LIBRARY_OPERATOR_WRITERS,
            forbidden=["operator_viewer", *COORDINATORS],
        ),
        "library:offers": Route(lambda f: reverse("library:offers"), EVERYONE),
        "library:offers-csv": Route(lambda f: reverse("library:offers-csv"), EVERYONE),
        "library:offers-xlsx": Route(lambda f: reverse("library:offers-xlsx"), EVERYONE),
        "library:offer-new": Route(lambda f: reverse("library:offer-new"), LIBRARY_WRITERS, everyone_sees_it=True),
        "library:offer": Route(
            lambda f: reverse("library:offer", args=[f["library"].offer.pk]), SIGNED_IN, anonymous=404
        ),
        "library:offer-edit": Route(
            lambda f: reverse("library:offer-edit", args=[f["library"].offer.pk]),
            LIBRARY_OPERATOR_WRITERS,
            everyone_sees_it=True,
        ),
        "library:offer-withdraw": Route(
            lambda f: reverse("library:offer-withdraw", args=[f["library"].offer.pk]),
            LIBRARY_OPERATOR_WRITERS,
            "post",
            everyone_sees_it=True,
        ),
        "library:offer-propose": Route(
            lambda f: reverse("library:offer-propose", args=[f["library"].offer.pk, f["public_need"]]),
            LIBRARY_OPERATOR_WRITERS,
            "post",
            everyone_sees_it=True,
        ),
        "api-library-practices": Route(lambda f: reverse("api-library-practices"), EVERYONE),
        "api-library-practice": Route(
            lambda f: reverse("api-library-practice", args=[f["library"].private_practice.pk]),
            [*LIBRARY_OPERATOR, *COORDINATORS],
            anonymous=404,
        ),
        "api-library-offers": Route(lambda f: reverse("api-library-offers"), EVERYONE),
        "api-library-offer": Route(
            lambda f: reverse("api-library-offer", args=[f["library"].offer.pk]), SIGNED_IN, anonymous=404
        ),
    }
)


# Site search (search): open to everyone; each result is filtered by its object's policy
# (tests/library/test_search.py checks every persona's results against the policies).
ROUTES.update(
    {
        "search:page": Route(lambda f: reverse("search:page") + "?q=clearance", EVERYONE),
        "api-search": Route(lambda f: reverse("api-search") + "?q=clearance", EVERYONE),
    }
)


# Victim assistance (Article 5): everyone reads (protected or exact); State A's editors and managers write
ROUTES.update(
    {
        "victims:list": Route(lambda f: reverse("victims:list"), EVERYONE),
        "victims:detail": Route(lambda f: reverse("victims:detail", args=["LBN"]), EVERYONE),
        "victims:export-csv": Route(lambda f: reverse("victims:export-csv", args=["LBN"]), EVERYONE),
        "victims:export-xlsx": Route(lambda f: reverse("victims:export-xlsx", args=["LBN"]), EVERYONE),
        "victims:profile-edit": Route(
            lambda f: reverse("victims:profile-edit", args=["LBN"]),
            STATE_A_EDITORS,
            forbidden=STATE_A_WORKSPACE_READERS,
        ),
        "victims:year-new": Route(
            lambda f: reverse("victims:year-new", args=["LBN"]), STATE_A_EDITORS, forbidden=STATE_A_WORKSPACE_READERS
        ),
        "victims:year-edit": Route(
            lambda f: reverse("victims:year-edit", args=["LBN", f["va_year"]]),
            STATE_A_EDITORS,
            forbidden=STATE_A_WORKSPACE_READERS,
        ),
        "victims:year-delete": Route(
            lambda f: reverse("victims:year-delete", args=["LBN", f["va_year"]]),
            STATE_A_EDITORS,
            "post",
            forbidden=STATE_A_WORKSPACE_READERS,
        ),
        "api-victims-profiles": Route(lambda f: reverse("api-victims-profiles"), EVERYONE),
        "api-victims-years": Route(lambda f: reverse("api-victims-years", args=["LBN"]), EVERYONE),
    }
)


# Article 7 reporting status (ccm/transparency): public pages and API; records by coordinators and the
# State's own managers (403 for the others: the report is public); imports by coordinators (404).
ART7_RECORDERS = [*COORDINATORS, "state_manager"]
ART7_RECORD = {"kind": "annual", "year": "2023", "status": "submitted", "submitted_on": "2024-04-01", "source": "s"}


def _art7_import(f: dict[str, Any]) -> int:
    from ccm.core.models import SpreadsheetImport

    return SpreadsheetImport.objects.create(kind="transparency_reports", original_name="t.csv", status="invalid").pk


def _art7_report(f: dict[str, Any]) -> int:
    from ccm.states.models import State
    from ccm.transparency.services import report_record

    lebanon = State.objects.get(iso3="LBN")
    done = report_record(
        state=lebanon,
        kind="initial",
        year=None,
        status="submitted",
        submitted_on=date(2011, 12, 1),
        source="s",
        actor=None,
    )
    return done.report.pk


ROUTES.update(
    {
        "transparency:board": Route(lambda f: reverse("transparency:board"), EVERYONE),
        "transparency:overdue": Route(lambda f: reverse("transparency:overdue"), EVERYONE),
        "transparency:state": Route(lambda f: reverse("transparency:state", args=["LBN"]), EVERYONE),
        "transparency:record": Route(
            lambda f: reverse("transparency:record", args=["LBN"]), ART7_RECORDERS, everyone_sees_it=True
        ),
        "transparency:delete": Route(
            lambda f: reverse("transparency:delete", args=[_art7_report(f)]),
            ART7_RECORDERS,
            "post",
            everyone_sees_it=True,
        ),
        "transparency:import-new": Route(lambda f: reverse("transparency:import-new"), COORDINATORS),
        "transparency:import": Route(lambda f: reverse("transparency:import", args=[_art7_import(f)]), COORDINATORS),
        "transparency:import-template": Route(lambda f: reverse("transparency:import-template"), EVERYONE),
        "api-transparency-reports": Route(lambda f: reverse("api-transparency-reports"), EVERYONE),
        "api-transparency-rates": Route(lambda f: reverse("api-transparency-rates"), EVERYONE),
        "api-transparency-state": Route(lambda f: reverse("api-transparency-state", args=["LBN"]), EVERYONE),
    }
)


# Article 7 drafts (art7draft): State A's draft is for its government and coordinators; hidden from others
ART7_DRAFTERS = [*STATE_A_MEMBERS, *COORDINATORS]
ROUTES.update(
    {
        "transparency_drafts:chooser": Route(
            lambda f: reverse("transparency_drafts:chooser", args=["LBN"]), ART7_DRAFTERS
        ),
        "transparency_drafts:draft": Route(
            lambda f: reverse("transparency_drafts:draft", args=["LBN", 2025]), ART7_DRAFTERS
        ),
        "transparency_drafts:docx": Route(
            lambda f: reverse("transparency_drafts:docx", args=["LBN", 2025]), ART7_DRAFTERS
        ),
        "transparency_drafts:xlsx": Route(
            lambda f: reverse("transparency_drafts:xlsx", args=["LBN", 2025]), ART7_DRAFTERS
        ),
        "api-transparency-draft": Route(lambda f: reverse("api-transparency-draft", args=["LBN", 2025]), ART7_DRAFTERS),
    }
)

# Routes that answer a second method: the role matrix checks it too (ROUTES holds one entry per route name).
OTHER_METHODS: dict[str, Route] = {
    "victims:year-new POST": Route(
        lambda f: reverse("victims:year-new", args=["LBN"]),
        STATE_A_EDITORS,
        "post",
        {"year": "2020", "source": "Matrix", "killed-all-all": "7"},
        forbidden=STATE_A_WORKSPACE_READERS,
    ),
    "api-victims-years POST": Route(
        lambda f: reverse("api-victims-years", args=["LBN"]),
        STATE_A_EDITORS,
        "post",
        {
            "year": 2020,
            "source": "Matrix",
            "figures[0]measure": "killed",
            "figures[0]sex": "all",
            "figures[0]age_group": "all",
            "figures[0]count": 7,
        },
        forbidden=STATE_A_WORKSPACE_READERS,
    ),
    "transparency:record POST": Route(
        lambda f: reverse("transparency:record", args=["LBN"]),
        ART7_RECORDERS,
        "post",
        ART7_RECORD,
        everyone_sees_it=True,
    ),
    "coordination:attention POST": Route(
        lambda f: reverse("coordination:attention"), COORDINATORS, "post", {**ZERO_WEIGHTS, "note": "x"}
    ),
    "coordination:attention GET preview": Route(
        lambda f: reverse("coordination:attention") + "?coverage_gap=1&donor_count=0.5", COORDINATORS
    ),
    "coordination:allocation-new POST": Route(
        lambda f: _in_coordination_world(f, reverse("coordination:allocation-new")),
        COORDINATORS,
        "post",
        {"title": "Matrix run", "percent": "100"},
    ),
    "api-coordination-allocations POST": Route(
        lambda f: _in_coordination_world(f, reverse("api-coordination-allocations")),
        COORDINATORS,
        "post",
        {"title": "Matrix run"},
    ),
}

# Library (issue 18): the forms' POSTs (a valid practice, an offer; the private practice deleted)
_LIBRARY_PRACTICE_POST = {
    "title": "Matrix practice",
    "summary": "s",
    "body": "b",
    "pillar": "survey",
    "published_on": "2025-01-01",
    "language": "en",
    "visibility": "public",
}
_LIBRARY_OFFER_POST = {
    "kind": "training",
    "title": "Matrix places",
    "description": "d",
    "pillar": "survey",
    "modality": "capacity_building",
    "quantity": "3",
    "expires_on": "2099-01-01",
    "visibility": "public",
}
OTHER_METHODS.update(
    {
        "library:practice-new POST": Route(
            lambda f: reverse("library:practice-new"),
            LIBRARY_WRITERS,
            "post",
            _LIBRARY_PRACTICE_POST,
            everyone_sees_it=True,
        ),
        "library:practice-edit POST": Route(
            lambda f: reverse("library:practice-edit", args=[f["library"].private_practice.pk]),
            LIBRARY_OPERATOR_WRITERS,
            "post",
            _LIBRARY_PRACTICE_POST,
            forbidden=["operator_viewer", *COORDINATORS],
        ),
        "library:practice-delete POST": Route(
            lambda f: reverse("library:practice-delete", args=[f["library"].private_practice.pk]),
            LIBRARY_OPERATOR_WRITERS,
            "post",
            forbidden=["operator_viewer", *COORDINATORS],
        ),
        "library:offer-new POST": Route(
            lambda f: reverse("library:offer-new"), LIBRARY_WRITERS, "post", _LIBRARY_OFFER_POST, everyone_sees_it=True
        ),
        "library:offer-edit POST": Route(
            lambda f: reverse("library:offer-edit", args=[f["library"].offer.pk]),
            LIBRARY_OPERATOR_WRITERS,
            "post",
            _LIBRARY_OFFER_POST,
            everyone_sees_it=True,
        ),
    }
)

# The matrix's world, built once per module (and per test worker) and rolled back after it; each route's
# test runs in a savepoint inside it, so what one route's requests write is gone before the next.
matrix_world = shared_world(lambda: _fixtures(everything=True))


@pytest.mark.parametrize("name", sorted(OTHER_METHODS))
def test_role_matrix_of_other_methods(name, matrix_world):
    route = OTHER_METHODS[name]
    url = route.url(matrix_world)
    ok = (200, 201, 302)
    assert_allowed(url, route.allowed, route.method, route.data, ok=ok)
    denied = [p for p in ALL_PERSONAS if p not in route.allowed]
    assert_denied(url, denied, route.method, route.data, forbidden=route.forbidden, anonymous=route.anonymous)


# Django's admin has its own staff check (tested in test_admin_is_for_administrators_only).
EXCLUDED_NAMESPACES = ("admin:",)


def _route_names(patterns: list[Any], prefix: str = "") -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names.extend(_route_names(pattern.url_patterns, namespace))
        elif isinstance(pattern, URLPattern):
            names.append(f"{prefix}{pattern.name}" if pattern.name else f"{prefix}<unnamed {pattern.pattern}>")
    return names


def test_every_route_is_in_the_matrix():
    names = {n for n in _route_names(get_resolver().url_patterns) if not n.startswith(EXCLUDED_NAMESPACES)}
    missing = sorted(names - ROUTES.keys())
    assert not missing, f"Routes without a role-matrix entry: {missing}"
    assert not sorted(ROUTES.keys() - names), "Matrix entries for routes that no longer exist"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_role_matrix(name, matrix_world):
    route = ROUTES[name]
    url = route.url(matrix_world)
    assert_allowed(url, route.allowed, route.method, route.data)
    denied = [p for p in ALL_PERSONAS if p not in route.allowed]
    assert_denied(url, denied, route.method, route.data, forbidden=route.forbidden, anonymous=route.anonymous)


def test_admin_is_for_administrators_only():
    assert_allowed("/admin/", ["administrator"], ok=(200,))
    for name in ["anonymous", "outsider", "state_manager", "coordinator"]:
        response = persona(name).client().get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"], name


def test_api_token_sees_what_its_user_sees_and_a_revoked_token_is_401(client):
    user = persona("state_viewer").user
    token, key = services.api_token_create(user=user, name="script", actor=user)
    org_a = organisation("state").slug
    org_b = organisation("other_state").slug
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"/api/v1/organisations/{org_a}/members/", **auth).status_code == 200
    assert client.get(f"/api/v1/organisations/{org_b}/members/", **auth).status_code == 404
    services.api_token_revoke(token=token, actor=user)
    response = client.get("/api/v1/me/", **auth)
    assert response.status_code == 401
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
