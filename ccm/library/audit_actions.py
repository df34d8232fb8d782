"""Audit actions of the library (practices and offers); who may see their entries. Confidential fields
are declared on the models."""

from django.utils.translation import gettext_lazy as _

from ccm.core.audit import AuditAction, register_actions, register_model
from ccm.library import policies
from ccm.library.models import Offer, Practice

register_actions(
    AuditAction("practice.create", _("Practice: written")),
    AuditAction("practice.update", _("Practice: changed")),
    AuditAction("practice.delete", _("Practice: deleted")),
    AuditAction("offer.create", _("Offer: made")),
    AuditAction("offer.update", _("Offer: changed")),
    AuditAction("offer.withdraw", _("Offer: withdrawn")),
    AuditAction("offer.propose", _("Offer: proposed as a response to a need")),
)

register_model(Practice, policy=policies.practices)
register_model(Offer, policy=policies.offers)
