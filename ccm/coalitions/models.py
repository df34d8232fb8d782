"""Country coalitions: an affected State and its partners working to one plan.

A coalition is proposed (by a coordinator, by the State's government, or in one step from an
expression of interest, a need or a meeting action), becomes active once its members are in, and is
concluded with a reason; a concluded coalition is read-only. Members are organisations with a role;
each decides whether it is named publicly. The work plan is milestones plus actions (``ccm.actions``)
whose source is the coalition; the dialogue is threads of messages; field visits log the work on the
ground; reviews rate the five elements of success beside the indicators computed in
``ccm.analytics.scorecard``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.core.policies import VISIBILITY_MAX_LENGTH, Visibility
from ccm.needs.models import Need, Pillar
from ccm.states.models import Obligation, State


class CoalitionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    CONCLUDED = "concluded", _("Concluded")


class MemberRole(models.TextChoices):
    AFFECTED_STATE_LEAD = "affected_state_lead", _("Affected State (lead)")
    PARTNER_DONOR = "partner_donor", _("Partner donor")
    OPERATOR = "operator", _("Operator")
    IMPLEMENTATION_SUPPORT = "implementation_support", _("Implementation support")
    OBSERVER = "observer", _("Observer")


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


class Horizon(models.TextChoices):
    WITHIN_YEAR = "within_year", _("Within a year")
    ONE_TO_THREE = "one_to_three", _("In one to three years")
    LONGER = "longer", _("Longer term")


class Element(models.TextChoices):
    """The five elements the Coordinators named for a coalition's success."""

    POLITICAL_WILL = "political_will", _("Political will")
    NATIONAL_OWNERSHIP = "national_ownership", _("Capacity for national ownership")
    INFORMATION = "information", _("Detailed information and effective communication")
    DONOR_COORDINATION = "donor_coordination", _("Enhanced donor coordination")
    APPETITE = "appetite", _("Existing appetite")


class Trend(models.TextChoices):
    IMPROVING = "improving", _("Improving")
    STEADY = "steady", _("Steady")
    WORSENING = "worsening", _("Worsening")


class MessageNotice(models.TextChoices):
    EVERY = "every", _("Every message")
    DECISIONS = "decisions", _("Decisions only")
    NONE = "none", _("No e-mail")


class ExpressionOfInterest(models.Model):
    """A donor or an operator saying it would partner with a State: seen by that State's government,
    the organisation itself and the coordinators."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="coalition_interests"
    )
    state = models.ForeignKey(
        State, verbose_name=_("State"), on_delete=models.PROTECT, related_name="coalition_interests"
    )
    pillar = models.CharField(_("pillar"), max_length=30, choices=Pillar.choices)
    horizon = models.CharField(_("horizon"), max_length=20, choices=Horizon.choices)
    conditions = models.TextField(_("conditions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_neutral_label = True

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.state}"


class Coalition(models.Model):
    state = models.ForeignKey(
        State, verbose_name=_("affected State"), on_delete=models.PROTECT, related_name="coalitions"
    )
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=CoalitionStatus.choices, default=CoalitionStatus.PROPOSED
    )
    proposed_on = models.DateField(_("proposed on"))
    activated_on = models.DateField(_("active since"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion_reason = models.TextField(_("why it concluded"), blank=True)
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)
    obligations = models.ManyToManyField(Obligation, verbose_name=_("obligations served"), blank=True, related_name="+")
    visibility = models.CharField(
        _("public summary"),
        max_length=VISIBILITY_MAX_LENGTH,
        choices=Visibility.subset(
            Visibility.PUBLIC,
            Visibility.COALITION,
            labels={
                Visibility.PUBLIC: _("Public summary (name, State, status, named partners, progress)"),
                Visibility.COALITION: _("Members and coordinators only"),
            },
        ),
        default=Visibility.PUBLIC,
    )
    # Where the proposal came from (one step from an interest, a need or a meeting action)
    from_interest = models.ForeignKey(
        ExpressionOfInterest, null=True, blank=True, on_delete=models.SET_NULL, related_name="coalitions"
    )
    from_need = models.ForeignKey(Need, null=True, blank=True, on_delete=models.SET_NULL, related_name="coalitions")
    from_action = models.ForeignKey(
        "actions.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="coalitions"
    )
    illustrative = models.BooleanField(_("illustrative (demo)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["state__name", "name", "id"]
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="concluded") | models.Q(concluded_on__isnull=False),
                name="coalition_concluded_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_concluded(self) -> bool:
        return self.status == CoalitionStatus.CONCLUDED


class Objective(models.Model):
    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="objectives")
    text = models.CharField(_("objective"), max_length=300)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Member(models.Model):
    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="coalition_memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=MemberRole.choices)
    status = models.CharField(
        _("invitation"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.INVITED
    )
    invited_on = models.DateField(_("invited on"))
    responded_on = models.DateField(_("answered on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    named_publicly = models.BooleanField(_("named publicly"), default=False)

    class Meta:
        ordering = ["coalition", "role", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["coalition", "organisation"], name="coalition_member_once")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Milestone(models.Model):
    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=300)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title


class Thread(models.Model):
    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="threads")
    subject = models.CharField(_("subject"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    audit_neutral_label = True

    class Meta:
        ordering = ["-last_message_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("message"))
    is_decision = models.BooleanField(_("this records a decision"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_neutral_label = True
    audit_confidential = {"body": "changed"}

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message #{self.pk}"


class ReadMarker(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_markers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="coalition_read_marker_once")]

    def __str__(self) -> str:
        return f"{self.user} read {self.thread}"


class MessagePreference(models.Model):
    """Each person's choice of e-mail about coalition threads (every message, decisions, none)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coalition_notice")
    messages = models.CharField(
        _("e-mail me about coalition threads"),
        max_length=10,
        choices=MessageNotice.choices,
        default=MessageNotice.EVERY,
    )

    def __str__(self) -> str:
        return f"{self.user} coalition e-mail"


class FieldVisit(models.Model):
    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    participants = models.TextField(_("participants"))
    findings = models.TextField(_("findings"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.place} ({self.visited_on})"


class Review(models.Model):
    """A periodic review: members rate the five elements, beside the computed indicators."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("held on"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Review {self.held_on}"


class Rating(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    element = models.CharField(_("element"), max_length=30, choices=Element.choices)
    score = models.PositiveSmallIntegerField(_("rating (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    evidence = models.TextField(_("evidence"))
    trend = models.CharField(_("trend"), max_length=20, choices=Trend.choices)
    # The indicator computed when the rating was given (None: not enough data)
    indicator = models.PositiveSmallIntegerField(_("indicator"), null=True, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["review", "element", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
            models.CheckConstraint(condition=~models.Q(evidence=""), name="rating_has_evidence"),
        ]

    def __str__(self) -> str:
        return f"{self.get_element_display()}: {self.score}"

    @property
    def flagged(self) -> bool:
        """Two or more points from its indicator: for discussion."""
        return self.indicator is not None and abs(self.score - self.indicator) >= 2
