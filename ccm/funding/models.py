"""Funding flows (pledge → commitment → disbursement), exchange-rate overrides, IATI activity versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.core.money import MoneyField
from ccm.core.policies import VISIBILITY_MAX_LENGTH, Visibility
from ccm.needs.models import Need, Pillar, Response
from ccm.states.models import State


class Stage(models.TextChoices):
    PLEDGE = "pledge", _("Pledge")
    COMMITMENT = "commitment", _("Commitment")
    DISBURSEMENT = "disbursement", _("Disbursement")


# The stage a flow may follow: a commitment honours a pledge, a disbursement pays a commitment.
FOLLOWS_STAGE = {Stage.COMMITMENT: Stage.PLEDGE, Stage.DISBURSEMENT: Stage.COMMITMENT}


class FlowSource(models.TextChoices):
    ENTERED = "entered", _("Entered here")
    IATI = "iati", _("IATI")
    ARTICLE7 = "article7", _("Article 7 report")


# Who may see a flow (``Visibility`` levels): everyone, or only its funder (the owning
# organisation) and coordinators.
FLOW_VISIBILITIES: tuple[str, ...] = (Visibility.PUBLIC, Visibility.ORGANISATION)
FLOW_VISIBILITY_CHOICES = Visibility.subset(
    *FLOW_VISIBILITIES, labels={Visibility.ORGANISATION: _("Coordinators only (and the funder)")}
)
# The spelling of the old ``confidentiality`` field, still accepted in spreadsheets.
LEGACY_FLOW_VISIBILITY = {"coordinators": Visibility.ORGANISATION}


def flow_visibility(text: str) -> str:
    """The visibility level a spreadsheet cell names (``public`` or ``organisation``, or the old
    ``coordinators``); ValueError otherwise."""
    value = LEGACY_FLOW_VISIBILITY.get(text.strip().lower(), text.strip().lower())
    if value not in FLOW_VISIBILITIES:
        accepted = ", ".join([*FLOW_VISIBILITIES, *LEGACY_FLOW_VISIBILITY])
        raise ValueError(_("'%(v)s' is not one of: %(a)s") % {"v": text, "a": accepted})
    return value


class FundingFlow(models.Model):
    """Money from a funder to a recipient State (or a region, kept apart), at one stage."""

    funder = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="flows_out")
    funder_ref = models.CharField(_("funder reference"), max_length=100, blank=True, db_index=True)
    funder_name = models.CharField(_("funder"), max_length=300, blank=True)
    recipient_state = models.ForeignKey(State, null=True, blank=True, on_delete=models.PROTECT, related_name="flows_in")
    recipient_region = models.CharField(_("recipient region (IATI code)"), max_length=10, blank=True)
    recipient_label = models.CharField(_("recipient as reported"), max_length=100, blank=True)
    implementer_ref = models.CharField(_("implementer reference"), max_length=100, blank=True)
    implementer_name = models.CharField(_("implementer"), max_length=300, blank=True)
    need = models.ForeignKey(Need, null=True, blank=True, on_delete=models.SET_NULL, related_name="flows")
    # The chain of one funder's money (as OCHA FTS's pledge → commitment → paid): a commitment follows the
    # pledge it honours, a disbursement the commitment it pays. Coverage counts a chain once.
    follows = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_by",
        verbose_name=_("follows"),
    )
    # The message in the need's thread that announced a pledge on a need (the amount is here, not there).
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="ledger_flow"
    )
    pillar = models.CharField(_("pillar"), max_length=30, choices=Pillar.choices, default=Pillar.CLEARANCE)
    stage = models.CharField(_("stage"), max_length=15, choices=Stage.choices)
    amount = MoneyField(_("amount as reported"))
    currency = models.CharField(_("currency"), max_length=3)
    value_date = models.DateField(_("value date"))
    rate = models.DecimalField(_("rate to USD used"), max_digits=20, decimal_places=10, null=True, blank=True)
    rate_date = models.DateField(_("rate of"), null=True, blank=True)
    rate_source = models.CharField(_("rate source"), max_length=100, blank=True)
    usd_amount = MoneyField(_("USD"), null=True, blank=True)
    rate_problem = models.CharField(_("rate problem"), max_length=200, blank=True)
    rate_provisional = models.BooleanField(
        _("provisional rate"),
        default=False,
        help_text=_("The value date is after the last rate on file: converted again when newer rates arrive."),
    )
    source = models.CharField(_("source"), max_length=10, choices=FlowSource.choices)
    iati_activity = models.CharField(_("IATI activity"), max_length=200, blank=True, db_index=True)
    iati_key = models.CharField(_("IATI transaction key"), max_length=300, blank=True, db_index=True)
    share = models.DecimalField(_("share counted"), max_digits=7, decimal_places=6, default=1)
    visibility = models.CharField(
        _("who may see it"),
        max_length=VISIBILITY_MAX_LENGTH,
        choices=FLOW_VISIBILITY_CHOICES,
        default=Visibility.PUBLIC,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-value_date", "id"]
        verbose_name = _("funding flow")
        verbose_name_plural = _("funding flows")
        indexes = [
            models.Index(fields=["recipient_state", "stage", "value_date"], name="flow_state_stage_date_idx"),
            # the ledger's own order: a page of flows (API, explorer) is read from the index, not sorted whole
            models.Index(fields=["-value_date", "id"], name="flow_ledger_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="flow_amount_positive"),
            models.UniqueConstraint(fields=["iati_key"], condition=~models.Q(iati_key=""), name="flow_iati_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.funder_name or self.funder_ref} → {self.recipient_label}: {self.amount} {self.currency}"

    # Stored redacted in the audit trail (ccm.core.audit): a flow may be kept for coordinators and the
    # funder. ``usd`` is the key flow_create writes for ``usd_amount``. The label is "Funding flow #3".
    audit_confidential = {"amount": "hmac", "usd_amount": "hmac", "usd": "hmac", "implementer_name": "changed"}
    audit_neutral_label = True


class ExchangeRate(models.Model):
    """A loaded rate laid over the shipped ECB history: daily, or an annual average (``on`` = 1 January).
    Loaded from a file (the ECB's history, a central bank's or the IMF's series) or given with a flow."""

    currency = models.CharField(max_length=3)
    on = models.DateField()
    kind = models.CharField(max_length=10, choices=[("daily", "daily"), ("annual", "annual")])
    to_usd = models.DecimalField(max_digits=20, decimal_places=10)
    source = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["currency", "on"]
        constraints = [models.UniqueConstraint(fields=["currency", "on", "kind"], name="rate_unique")]

    def __str__(self) -> str:
        return f"{self.currency} {self.on} {self.to_usd}"


class IatiActivity(models.Model):
    """The version of each IATI activity last imported, so a newer one replaces its flows."""

    identifier = models.CharField(max_length=200, unique=True)
    last_updated = models.CharField(max_length=40, blank=True)
    content_hash = models.CharField(max_length=64)
    reporting_org = models.CharField(max_length=100, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.identifier
