"""Consultations: question sets sent to States and organisations, their answers, and the synthesis.

A question set is edited as a draft version; publishing freezes the draft as a numbered version, and
every campaign (and so every answer) is tied to the version it sent. Changing a published set starts a
new draft (a copy of the last version), published as the next number.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation


class Audience(models.TextChoices):
    AFFECTED = "affected", _("Affected States")
    DONORS = "donors", _("Donor States and organisations")
    ALL = "all", _("All States and organisations")


class QuestionType(models.TextChoices):
    TEXT = "text", _("Free text")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    NUMBER = "number", _("Number")
    SCALE = "scale", _("Scale from 1 to 5")
    YES_NO = "yes_no", _("Yes or no")


CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE)


class QuestionSet(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    description = models.TextField(_("purpose"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class QuestionSetVersion(models.Model):
    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    introduction = models.TextField(_("introduction"), blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["question_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "number"], name="question_set_version_number_unique"),
            # At most one draft per set.
            models.UniqueConstraint(
                fields=["question_set"], condition=models.Q(status="draft"), name="question_set_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_set} (v{self.number})"


class Question(models.Model):
    version = models.ForeignKey(QuestionSetVersion, on_delete=models.CASCADE, related_name="questions")
    # A stable key across versions ("deadline_obstacles"): spreadsheets and XLSForms name columns by it.
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("question"))
    help_text = models.TextField(_("help"), blank=True)
    qtype = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    required = models.BooleanField(_("required"), default=False)
    # Choice questions: [{"key": "funding", "label": "Funding"}, ...] in display order.
    options = models.JSONField(_("options"), default=list, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_key_unique_in_version"),
            models.UniqueConstraint(fields=["version", "position"], name="question_position_unique_in_version"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def option_label(self, key: str) -> str:
        for option in self.options or []:
            if option.get("key") == key:
                return str(option.get("label", key))
        return key


class Campaign(models.Model):
    title = models.CharField(_("title"), max_length=200)
    version = models.ForeignKey(
        QuestionSetVersion, verbose_name=_("question set version"), on_delete=models.PROTECT, related_name="campaigns"
    )
    message = models.TextField(_("message to the recipients"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    recipients: models.ManyToManyField[Organisation, CampaignRecipient] = models.ManyToManyField(
        Organisation, through="CampaignRecipient", related_name="consultation_campaigns", blank=True
    )

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="campaign_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CampaignRecipient(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipient_rows")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="campaign_recipient_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.campaign}"


class Convener(models.Model):
    """A person convening a campaign: sees attributed answers while the mandate lasts (until
    ``mandate_ends``, inclusive; no end = while the campaign is on record)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="conveners")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mandate_ends = models.DateField(_("mandate ends"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="campaign_convener_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.campaign}"


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Answer(models.Model):
    """One organisation's answer to one campaign, tied to the version it answered."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="consultation_answers")
    version = models.ForeignKey(QuestionSetVersion, on_delete=models.PROTECT, related_name="answers")
    status = models.CharField(_("status"), max_length=20, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Who said what is confidential: the audit trail never shows the organisation's words.
    audit_neutral_label = True

    class Meta:
        ordering = ["campaign", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="answer_one_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.campaign}"


class AnswerItem(models.Model):
    """The answer to one question: text (free text), number (number, scale), choices (single,
    multiple: option keys), or yes/no (``choices`` = ["yes"] or ["no"])."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answer_items")
    text = models.TextField(_("answer"), blank=True)
    number = models.DecimalField(_("number"), max_digits=20, decimal_places=4, null=True, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)

    audit_neutral_label = True
    audit_confidential = {"text": "changed", "number": "changed", "choices": "changed"}

    class Meta:
        ordering = ["answer", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "question"], name="answer_item_unique"),
        ]

    def __str__(self) -> str:
        return f"Answer item #{self.pk}"


# The synthesis's tables (themes, quote reviews, key points) live in their own module.
from ccm.consultations.synthesis_models import KeyPointsDraft, QuoteReview, ThemeTag  # noqa: E402, F401, I001
