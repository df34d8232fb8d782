"""Audit actions of the synthesis (themes, quote reviews, key points) and who sees their objects.
Imported by ``synthesis_services`` (the app's ``audit_actions`` module belongs to cons-core)."""

from django.utils.translation import gettext_lazy as _

from ccm.consultations import synthesis_policies as policies
from ccm.consultations.synthesis_models import KeyPointsDraft, QuoteReview, ThemeTag
from ccm.core.audit import AuditAction, register_actions, register_model

register_actions(
    AuditAction("theme_tag.auto", _("Themes: found automatically")),
    AuditAction("theme_tag.retag", _("Themes: corrected")),
    AuditAction("quote_review.rewrite", _("Quote: rewritten")),
    AuditAction("quote_review.waive", _("Quote: waived, with a reason")),
    AuditAction("key_points_draft.update", _("Key points: changed")),
    AuditAction("key_points_draft.mark_ready", _("Key points: marked ready")),
)

register_model(ThemeTag, policy=policies.theme_tags)
register_model(QuoteReview, policy=policies.quote_reviews)
register_model(KeyPointsDraft, policy=policies.key_points)
