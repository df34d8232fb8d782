"""States, their treaty status, obligations (Art 3, Art 4) and extension requests, with sources."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from ccm import treaty
from ccm.states.names import localized_name, localized_subregion


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed by the source")
    PARTIAL = "partial", _("Partly confirmed")
    DERIVED = "derived", _("Derived from a treaty rule")
    UNKNOWN = "unknown", _("Unverified")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Source(models.Model):
    """Where a fact comes from: a citation, a link and the date the source speaks for."""

    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=_("Stable key used by reference data."))
    citation = models.CharField(_("citation"), max_length=500)
    url = models.URLField(_("link"), max_length=500, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.citation


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    OCEANIA = "oceania", _("Oceania")
    ANTARCTICA = "antarctica", _("Antarctica")


class TreatyStatus(models.TextChoices):
    STATE_PARTY = "state_party", _("State Party")
    SIGNATORY = "signatory", _("Signatory")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_RECORDED = "", _("Not a signatory or State Party")


class Instrument(models.TextChoices):
    RATIFICATION = "ratification", _("Ratification")
    ACCESSION = "accession", _("Accession")
    ACCEPTANCE = "acceptance", _("Acceptance")
    APPROVAL = "approval", _("Approval")
    NOT_RECORDED = "", _("Not recorded")


class StateQuerySet(models.QuerySet["State"]):
    def states(self) -> StateQuerySet:
        """Only States (UN member and observer States, and the other States in the Convention).

        Territories and other areas stay in the registry (as funding recipients) but are not States:
        every list, filter, count and chooser of States goes through this method.
        """
        return self.filter(is_state=True)


class State(models.Model):
    """A country or area (ISO 3166), and its status under the Convention; ``is_state`` marks the States."""

    iso3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO alpha-2"), max_length=2, unique=True)
    numeric = models.CharField(_("ISO numeric"), max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=200)
    official_name = models.CharField(_("official name"), max_length=300, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    subregion = models.CharField(_("sub-region"), max_length=60, blank=True)
    is_state = models.BooleanField(
        _("is a State"),
        default=False,
        db_index=True,
        help_text=_("UN member or observer State, or another State taking part in the Convention (reference data)."),
    )

    ccm_status = models.CharField(
        _("treaty status"), max_length=20, choices=TreatyStatus.choices, blank=True, db_index=True
    )
    signature_date = models.DateField(_("signature"), null=True, blank=True)
    deposit_date = models.DateField(_("deposit of instrument"), null=True, blank=True)
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices, blank=True)
    entry_into_force = models.DateField(_("entry into force"), null=True, blank=True)
    withdrawal_notified = models.DateField(_("withdrawal notified"), null=True, blank=True)
    withdrawal_effective = models.DateField(_("withdrawal took effect"), null=True, blank=True)
    treaty_source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    treaty_confidence = models.CharField(_("confidence"), max_length=20, choices=Confidence.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = StateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("State")
        verbose_name_plural = _("States")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (CLDR, through Babel); the registry's own English name in English
        and for any entity CLDR does not name."""
        return localized_name(self.iso2, self.name)

    @property
    def display_subregion(self) -> str:
        return localized_subregion(self.subregion)

    @property
    def entry_into_force_by_rule(self) -> date | None:
        """Entry into force computed from the deposit date (Art 17), when the deposit is known."""
        return treaty.entry_into_force(self.deposit_date) if self.deposit_date else None


class ObligationKind(models.TextChoices):
    STOCKPILE_DESTRUCTION = treaty.ObligationKind.STOCKPILE_DESTRUCTION.value, _("Stockpile destruction (Art 3)")
    CLEARANCE = treaty.ObligationKind.CLEARANCE.value, _("Clearance (Art 4)")


class Obligation(models.Model):
    """A time-bound duty of one State under Article 3 or Article 4."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField(_("obligation"), max_length=30, choices=ObligationKind.choices)
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    hostilities_ended = models.DateField(
        _("end of active hostilities"),
        null=True,
        blank=True,
        help_text=_("For contamination arising after entry into force (Art 4(1)(b))."),
    )
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="+")
    confidence = models.CharField(_("confidence"), max_length=20, choices=Confidence.choices)

    completed = models.BooleanField(_("completed"), default=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_on_precision = models.CharField(
        _("precision of completion date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    completion_declaration = models.CharField(_("declaration of compliance"), max_length=300, blank=True)
    completion_source = models.ForeignKey(
        Source, verbose_name=_("completion source"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completion_confidence = models.CharField(
        _("completion confidence"), max_length=20, choices=Confidence.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["state__name", "-kind"]  # Article 3 before Article 4
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        constraints = [
            models.UniqueConstraint(fields=["state", "kind"], name="obligation_unique_state_kind"),
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True) | models.Q(completed=True),
                name="obligation_completed_on_implies_completed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state.name}: {self.get_kind_display()}"

    @property
    def treaty_kind(self) -> treaty.ObligationKind:
        return treaty.ObligationKind(self.kind)

    @property
    def article(self) -> int:
        return self.treaty_kind.article

    def _treaty_extensions(self) -> list[treaty.ExtensionRequest]:
        return [e.as_treaty() for e in self.extensions.all()]

    @property
    def current_deadline(self) -> date | None:
        """The deadline after granted extensions; ``None`` when not on record."""
        return treaty.current_deadline(self.original_deadline, self._treaty_extensions())

    @property
    def open_extension(self) -> ExtensionRequest | None:
        """The latest request still awaiting a decision (or whose outcome is unknown)."""
        open_requests = [e for e in self.extensions.all() if treaty.Decision(e.decision).is_open]
        return open_requests[-1] if open_requests else None

    def describe(self, today: date) -> treaty.ObligationDescription:
        """The status on ``today`` and the facts of its sentence (see ``ccm.states.wording``)."""
        return treaty.describe_obligation(
            today=today,
            kind=self.kind,
            original_deadline=self.original_deadline,
            extensions=self._treaty_extensions(),
            completed=self.completed,
            completed_on=self.completed_on,
            completed_on_precision=self.completed_on_precision,
            withdrawal_effective=self.state.withdrawal_effective,
        )

    def status_on(self, today: date) -> treaty.ObligationStatus:
        return self.describe(today).status


class Decision(models.TextChoices):
    PENDING = treaty.Decision.PENDING.value, _("Pending")
    GRANTED = treaty.Decision.GRANTED.value, _("Granted")
    REFUSED = treaty.Decision.REFUSED.value, _("Refused")
    WITHDRAWN = treaty.Decision.WITHDRAWN.value, _("Withdrawn")
    UNKNOWN = treaty.Decision.UNKNOWN.value, _("Outcome not on record")


class ExtensionRequest(models.Model):
    """A request to extend an obligation's deadline, and what the States Parties decided."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="extensions")
    sequence = models.PositiveSmallIntegerField(_("number"))
    is_interim = models.BooleanField(_("interim request"), default=False)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    meeting = models.CharField(_("deciding meeting"), max_length=120, blank=True)
    meeting_on = models.DateField(_("meeting opened on"), null=True, blank=True)
    requested_until = models.DateField(_("requested until"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    granted_until = models.DateField(_("granted until"), null=True, blank=True)
    exceptional_circumstances = models.BooleanField(_("exceptional circumstances set out"), default=False)
    benchmarks = models.TextField(_("benchmarks"), blank=True)
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="+")
    confidence = models.CharField(_("confidence"), max_length=20, choices=Confidence.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["obligation", "sequence"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(fields=["obligation", "sequence"], name="extension_unique_sequence"),
            models.CheckConstraint(
                condition=models.Q(granted_until__isnull=True) | models.Q(decision="granted"),
                name="extension_granted_until_only_when_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.obligation} — request {self.sequence}"

    def as_treaty(self) -> treaty.ExtensionRequest:
        return treaty.ExtensionRequest(
            decision=treaty.Decision(self.decision),
            requested_until=self.requested_until,
            granted_until=self.granted_until,
            submitted_on=self.submitted_on,
            meeting_on=self.meeting_on,
            exceptional_circumstances=self.exceptional_circumstances,
            meeting=self.meeting,
        )

    @property
    def is_shorter_than_requested(self) -> bool:
        return bool(self.granted_until and self.requested_until and self.granted_until < self.requested_until)


class ObligationStatus(models.TextChoices):
    """The one table of words for ``ccm.treaty.ObligationStatus`` (the ``status_label`` filter, API, briefs)."""

    COMPLETED = treaty.ObligationStatus.COMPLETED.value, _("Completed")
    ON_TRACK = treaty.ObligationStatus.ON_TRACK.value, _("On track")
    DUE_SOON = treaty.ObligationStatus.DUE_SOON.value, _("Due within 12 months")
    OVERDUE = treaty.ObligationStatus.OVERDUE.value, _("Overdue")
    EXTENSION_PENDING = treaty.ObligationStatus.EXTENSION_PENDING.value, _("Extension request awaiting decision")
    DECISION_NOT_ON_RECORD = (
        treaty.ObligationStatus.DECISION_NOT_ON_RECORD.value,
        _("Extension request considered; decision not on record"),
    )
    ENDED = treaty.ObligationStatus.ENDED.value, _("Ended by withdrawal")
    UNKNOWN = treaty.ObligationStatus.UNKNOWN.value, _("Deadline not on record")
