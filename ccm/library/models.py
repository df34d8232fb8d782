"""Shared knowledge: good practices and lessons, and offers of expertise, equipment and training places.

Site search (``ccm.library.search``) indexes these and what other apps expose through their selectors.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.core.policies import VISIBILITY_MAX_LENGTH, Visibility
from ccm.needs.models import Modality, Pillar
from ccm.states.models import State

# Who may see a practice or an offer: everyone, signed-in users, or only the owning organisation (and
# coordinators, who see every level).
LIBRARY_VISIBILITIES: tuple[str, ...] = (Visibility.PUBLIC, Visibility.PLATFORM, Visibility.ORGANISATION)
LIBRARY_VISIBILITY_CHOICES = Visibility.subset(
    *LIBRARY_VISIBILITIES,
    labels={
        Visibility.PUBLIC: _("Everyone"),
        Visibility.PLATFORM: _("Signed-in users"),
        Visibility.ORGANISATION: _("Our organisation and the coordinators only"),
    },
)


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")


class Practice(models.Model):
    """A good practice or a lesson learned, written in Markdown (rendered sanitised)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="practices")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000)
    body = models.TextField(_("text (Markdown)"), max_length=50_000)
    pillar = models.CharField(_("pillar"), max_length=30, choices=Pillar.choices)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    countries = models.ManyToManyField(State, blank=True, related_name="practices", verbose_name=_("countries"))
    source_organisation = models.CharField(_("source organisation"), max_length=200, blank=True)
    published_on = models.DateField(_("date"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH)
    visibility = models.CharField(
        _("who may see it"),
        max_length=VISIBILITY_MAX_LENGTH,
        choices=LIBRARY_VISIBILITY_CHOICES,
        default=Visibility.PUBLIC,
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def __str__(self) -> str:
        return self.title

    # Stored redacted in the audit trail (ccm.core.audit): a practice may be private to its organisation.
    audit_confidential = {"title": "changed", "summary": "changed", "body": "changed"}
    audit_neutral_label = True


class OfferKind(models.TextChoices):
    EXPERTISE = "expertise", _("Expertise")
    EQUIPMENT = "equipment", _("Equipment")
    TRAINING = "training", _("Training places")


class Condition(models.TextChoices):
    NEW = "new", _("New")
    GOOD = "good", _("Good")
    USED = "used", _("Used, serviceable")
    NEEDS_REPAIR = "needs_repair", _("Needs repair")


class Offer(models.Model):
    """Expertise (a person or an agency), equipment or training places, offered by an organisation until a date."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="offers")
    kind = models.CharField(_("kind"), max_length=10, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10_000)
    pillar = models.CharField(_("pillar"), max_length=30, choices=Pillar.choices)
    modality = models.CharField(_("modality"), max_length=30, choices=Modality.choices)
    # Expertise
    expert_name = models.CharField(_("person or agency"), max_length=200, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    # Equipment and training places
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    condition = models.CharField(_("condition"), max_length=15, choices=Condition.choices, blank=True)
    location = models.CharField(_("where"), max_length=200, blank=True)
    countries = models.ManyToManyField(State, blank=True, related_name="offers", verbose_name=_("for countries"))
    expires_on = models.DateField(_("offered until"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    visibility = models.CharField(
        _("who may see it"),
        max_length=VISIBILITY_MAX_LENGTH,
        choices=LIBRARY_VISIBILITY_CHOICES,
        default=Visibility.PLATFORM,
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["expires_on", "title"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        indexes = [models.Index(fields=["expires_on"], name="offer_expires_idx")]

    def __str__(self) -> str:
        return self.title

    audit_confidential = {"title": "changed", "description": "changed"}
    audit_neutral_label = True


class OfferProposal(models.Model):
    """An offer proposed as a response to a need (the response is posted in the need's thread)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="proposals")
    need = models.ForeignKey("needs.Need", on_delete=models.CASCADE, related_name="offer_proposals")
    response = models.OneToOneField("needs.Response", on_delete=models.CASCADE, related_name="offer_proposal")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("offer proposed for a need")
        verbose_name_plural = _("offers proposed for needs")
        constraints = [models.UniqueConstraint(fields=["offer", "need"], name="offer_proposed_once_per_need")]

    def __str__(self) -> str:
        return f"{self.offer} → {self.need_id}"


from ccm.library.search_models import SearchEntry, SearchKind  # noqa: E402, F401  (site search: its index)
