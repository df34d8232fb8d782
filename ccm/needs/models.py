"""Needs stated by affected States, the obstacles behind them, donors' profiles and their responses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.core.money import MoneyField
from ccm.core.policies import VISIBILITY_MAX_LENGTH, Visibility
from ccm.states.models import Obligation, Region, State


class Pillar(models.TextChoices):
    CLEARANCE = "clearance", _("Clearance")
    STOCKPILE_DESTRUCTION = "stockpile_destruction", _("Stockpile destruction")
    RISK_EDUCATION = "risk_education", _("Risk education")
    VICTIM_ASSISTANCE = "victim_assistance", _("Victim assistance")
    SURVEY = "survey", _("Survey")
    CAPACITY_BUILDING = "capacity_building", _("Capacity building and national ownership")


class ObstacleCategory(models.TextChoices):
    FUNDING = "funding", _("Funding")
    TECHNICAL_EXPERTISE = "technical_expertise", _("Technical expertise")
    EQUIPMENT = "equipment", _("Equipment and resources")
    POLITICAL_WILL = "political_will", _("Political will")
    NATIONAL_CAPACITY = "national_capacity", _("National capacity and ownership")
    SECURITY_ACCESS = "security_access", _("Security and access")
    INFORMATION_SURVEY = "information_survey", _("Information and survey")
    COORDINATION = "coordination", _("Coordination")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Modality(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    TECHNICAL_EXPERTISE = "technical_expertise", _("Technical expertise")
    EQUIPMENT = "equipment", _("Equipment")
    CAPACITY_BUILDING = "capacity_building", _("Capacity building")
    DIRECT_ENGAGEMENT = "direct_engagement", _("Direct engagement")


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


# Who may see a need (``Visibility`` levels; the State's government and coordinators always do):
# everyone, signed-in users, or only the members of its chosen donors.
NEED_VISIBILITIES: tuple[str, ...] = (Visibility.PUBLIC, Visibility.PLATFORM, Visibility.CHOSEN)
# Who may see an obstacle: everyone, or only its State's government (and coordinators).
OBSTACLE_VISIBILITIES: tuple[str, ...] = (Visibility.PUBLIC, Visibility.ORGANISATION)


class Obstacle(models.Model):
    """A barrier a State faces, in one category, with its severity, as of a date."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="obstacles")
    obligation = models.ForeignKey(
        Obligation, null=True, blank=True, on_delete=models.SET_NULL, related_name="obstacles"
    )
    category = models.CharField(_("category"), max_length=30, choices=ObstacleCategory.choices)
    pillar = models.CharField(
        _("pillar"),
        max_length=30,
        choices=Pillar.choices,
        blank=True,
        help_text=_("The pillar of work the obstacle stands in the way of, if one."),
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    statement = models.TextField(_("statement"))
    observed_on = models.DateField(_("as of"))
    visibility = models.CharField(
        _("who may see it"),
        max_length=VISIBILITY_MAX_LENGTH,
        choices=Visibility.subset(
            *OBSTACLE_VISIBILITIES,
            labels={Visibility.ORGANISATION: _("The State's government and coordinators only")},
        ),
        default=Visibility.PUBLIC,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["state", "-observed_on"]
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")

    def __str__(self) -> str:
        return f"{self.state.name}: {self.get_category_display()}"

    # Stored redacted in the audit trail (ccm.core.audit): a private obstacle's statement.
    audit_confidential = {"statement": "changed"}


class Need(models.Model):
    """A specific ask by an affected State."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="needs")
    obligation = models.ForeignKey(Obligation, null=True, blank=True, on_delete=models.SET_NULL, related_name="needs")
    title = models.CharField(_("title"), max_length=200)
    pillar = models.CharField(_("pillar"), max_length=30, choices=Pillar.choices)
    modality = models.CharField(_("modality"), max_length=30, choices=Modality.choices)
    description = models.TextField(_("description"))
    amount = MoneyField(_("amount"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    in_kind = models.TextField(_("in-kind description"), blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.MEDIUM)
    obstacles = models.ManyToManyField(Obstacle, blank=True, related_name="needs", verbose_name=_("obstacles"))
    visibility = models.CharField(
        _("who may see it"),
        max_length=VISIBILITY_MAX_LENGTH,
        choices=Visibility.subset(
            *NEED_VISIBILITIES,
            labels={
                Visibility.PUBLIC: _("Everyone"),
                Visibility.PLATFORM: _("Signed-in users"),
                Visibility.CHOSEN: _("Chosen donors only"),
            },
        ),
        default=Visibility.PLATFORM,
    )
    chosen_donors = models.ManyToManyField(
        Organisation, blank=True, related_name="chosen_for_needs", verbose_name=_("chosen donors")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    met_at = models.DateTimeField(_("marked as met"), null=True, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [models.Index(fields=["state", "published_at"], name="need_state_published_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0), name="need_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state.name}: {self.title}"

    # Stored redacted in the audit trail (ccm.core.audit): a need may be seen only by chosen donors.
    # ``reason`` is the withdrawal reason services record. The label is "Need #12" (no title).
    audit_confidential = {
        "title": "changed",
        "description": "changed",
        "in_kind": "changed",
        "amount": "hmac",
        "reason": "changed",
    }
    audit_neutral_label = True


class ResponseKind(models.TextChoices):
    INTEREST = "interest", _("Interest")
    QUESTION = "question", _("Question")
    OFFER = "offer", _("Offer")
    PLEDGE = "pledge", _("Pledge")
    DECLINE = "decline", _("Decline")
    ANSWER = "answer", _("Answer from the State")


class Response(models.Model):
    """One message in a need's thread: a donor's interest, question, offer, pledge or decline, or the
    State's answer."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="responses")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ResponseKind.choices)
    message = models.TextField(_("message"), blank=True)
    # A pledge's amount is not here: the pledge is a flow in the funding ledger (``ccm.funding``), which
    # points to this message (``ledger_flow``).
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["need", "created_at", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.need}: {self.get_kind_display()}"

    # Stored redacted in the audit trail (ccm.core.audit): a response is seen by whoever sees its need.
    audit_confidential = {"message": "changed", "decline_reason": "changed", "amount": "hmac"}
    audit_neutral_label = True


class Channel(models.TextChoices):
    BILATERAL = "bilateral", _("Bilateral")
    TRUST_FUNDS = "trust_funds", _("Trust funds")
    OPERATORS = "operators", _("Through operators")


class DonorProfile(models.Model):
    """What a donor funds, how and when, and how to ask."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="donor_profile")
    priority_states = models.ManyToManyField(State, blank=True, related_name="+", verbose_name=_("priority countries"))
    priority_regions = models.JSONField(_("priority regions"), default=list, blank=True)
    pillars = models.JSONField(_("pillars"), default=list, blank=True)
    modalities = models.JSONField(_("modalities"), default=list, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    grant_min = MoneyField(_("typical grant from"), null=True, blank=True)
    grant_max = MoneyField(_("typical grant up to"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    funding_cycle = models.TextField(_("funding cycle: when decisions are made"), blank=True)
    how_to_apply = models.TextField(_("how to apply"), blank=True)
    requirements = models.TextField(_("what a request must contain"), blank=True)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_published = models.BooleanField(_("shown on 'How to access assistance'"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("donor profile")
        verbose_name_plural = _("donor profiles")

    def __str__(self) -> str:
        return str(self.organisation)

    # The multi-value codes in words, for pages and e-mails ("Clearance, Stockpile destruction").
    def get_priority_regions_display(self) -> str:
        return _labels(Region, self.priority_regions)

    def get_pillars_display(self) -> str:
        return _labels(Pillar, self.pillars)

    def get_modalities_display(self) -> str:
        return _labels(Modality, self.modalities)

    def get_channels_display(self) -> str:
        return _labels(Channel, self.channels)


def _labels(choices: type[models.TextChoices], values: object) -> str:
    """Codes in words, in the order of the choices (an unknown code is shown as it is)."""
    codes = [str(v) for v in values] if isinstance(values, list | tuple) else []
    known = {c.value: str(c.label) for c in choices}
    ordered = [known[c.value] for c in choices if c.value in codes]
    return ", ".join(ordered + [c for c in codes if c not in known])


class ResponseNotice(models.TextChoices):
    """When a State's editors and managers hear that a donor responded to one of its needs."""

    IMMEDIATE = "immediate", _("At once, one e-mail per response")
    DIGEST = "digest", _("In the weekly digest")
    NEVER = "never", _("Not by e-mail (I look at the needs' threads)")


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    matching_needs = models.BooleanField(
        _("e-mail me when a need matching my organisation's donor profile is published"), default=True
    )
    weekly_digest = models.BooleanField(_("send me a weekly digest"), default=True)
    responses = models.CharField(
        _("when a donor responds to my State's need, tell me"),
        max_length=10,
        choices=ResponseNotice.choices,
        default=ResponseNotice.IMMEDIATE,
    )

    def __str__(self) -> str:
        return f"{self.user} notifications"


class NeedNotification(models.Model):
    """One e-mail about one need to one person: never sent twice."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "user"], name="need_notification_once")]

    def __str__(self) -> str:
        return f"{self.need_id} → {self.user_id}"


class DigestDelivery(models.Model):
    """The weekly digest of one week for one person: recorded before sending, so never sent twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    needs_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week_start"], name="digest_once_per_week")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week_start}"


def need_status(need: Need, pledged: Decimal, today: date, pledges: int = 0) -> str:
    """open, partly met, met, withdrawn or expired — following from what happened to the need.
    A need without an amount (in kind) is partly met by any pledge and met when the State says so."""
    if need.withdrawn_at:
        return "withdrawn"
    if need.published_at is None:
        return "draft"
    if need.met_at or (need.amount is not None and pledged >= need.amount):
        return "met"
    if need.ends_on is not None and need.ends_on < today:
        return "expired"
    if pledged > 0 or pledges > 0:
        return "partly_met"
    return "open"


class NeedStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    PARTLY_MET = "partly_met", _("Partly met")
    MET = "met", _("Met")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
