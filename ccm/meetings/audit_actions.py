"""Audit actions of meetings; who may see their objects. Confidential fields are declared on the
models (a note's text is never stored in the audit trail, and a note is labelled "Note #12")."""

from django.utils.translation import gettext_lazy as _

from ccm.core.audit import AuditAction, register_actions, register_model
from ccm.meetings import policies
from ccm.meetings.models import AgendaItem, InvitedOrganisation, InvitedPerson, KeyPoint, Meeting, Note, Reply

register_actions(
    AuditAction("meeting.create", _("Meeting: created")),
    AuditAction("meeting.update", _("Meeting: changed")),
    AuditAction("meeting.convene", _("Meeting: convened")),
    AuditAction("meeting.cancel", _("Meeting: cancelled")),
    AuditAction("meeting.mark_held", _("Meeting: marked as held")),
    AuditAction("meeting.share_notes", _("Meeting: notes shared or withdrawn from the participants")),
    AuditAction("meeting.add_convener", _("Meeting: convener added")),
    AuditAction("meeting.remove_convener", _("Meeting: convener removed")),
    AuditAction("invited_organisation.create", _("Meeting: organisation invited")),
    AuditAction("invited_organisation.delete", _("Meeting: organisation's invitation withdrawn")),
    AuditAction("invited_person.create", _("Meeting: person invited")),
    AuditAction("invited_person.delete", _("Meeting: person's invitation withdrawn")),
    AuditAction("reply.save", _("Meeting: invitation answered")),
    AuditAction("agenda_item.create", _("Agenda item: added")),
    AuditAction("agenda_item.update", _("Agenda item: changed")),
    AuditAction("agenda_item.delete", _("Agenda item: removed")),
    AuditAction("note.create", _("Meeting note: written")),
    AuditAction("note.update", _("Meeting note: changed")),
    AuditAction("note.delete", _("Meeting note: removed")),
    AuditAction("key_point.create", _("Key point: added")),
    AuditAction("key_point.update", _("Key point: changed")),
    AuditAction("key_point.delete", _("Key point: removed")),
    AuditAction("key_point.draft", _("Key points: drafted from the notes and the consultation")),
)

register_model(Meeting, policy=policies.meetings)
register_model(InvitedOrganisation, policy=policies.invited_organisations)
register_model(InvitedPerson, policy=policies.invited_people)
register_model(Reply, policy=policies.replies)
register_model(AgendaItem, policy=policies.agenda_items)
register_model(KeyPoint, policy=policies.key_points)
# Strict: entries about notes are listed only to those who may read the notes, coordinators included.
register_model(Note, policy=policies.notes, strict=True)

from ccm.meetings import publish_audit  # noqa: E402, F401  (the summary and the briefing packs)
