"""Forms of consultations: a question set, a question, publishing, a campaign, and the answer form built
from a version's questions (one widget per question type)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation, User
from ccm.consultations.models import (
    Answer,
    Audience,
    Campaign,
    Question,
    QuestionSetVersion,
    QuestionType,
)
from ccm.consultations.selectors import published_versions, recipient_choices
from ccm.consultations.set_services import format_options, parse_options
from ccm.core.forms import CleanTextMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCALE_LABELS = {
    1: _("1 — not at all"),
    2: _("2 — a little"),
    3: _("3 — somewhat"),
    4: _("4 — well"),
    5: _("5 — very well"),
}


class QuestionSetForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    description = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class QuestionForm(CleanTextMixin, forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    qtype = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)
    help_text = forms.CharField(label=_("Help"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    key = forms.CharField(
        label=_("Key"),
        max_length=60,
        required=False,
        help_text=_(
            "A short name that stays the same across versions (columns of spreadsheets are named by it), "
            "e.g. main_obstacles. Left empty, one is made."
        ),
    )
    options = forms.CharField(
        label=_("Options (choice questions)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One a line, as “key | label” or just the label."),
    )

    @classmethod
    def for_question(cls, question: Question, data: Any = None) -> QuestionForm:
        return cls(
            data,
            initial={
                "text": question.text,
                "qtype": question.qtype,
                "help_text": question.help_text,
                "required": question.required,
                "key": question.key,
                "options": format_options(question.options),
            },
        )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "qtype": data["qtype"],
            "help_text": data["help_text"],
            "required": data["required"],
            "key": data["key"],
            "options": parse_options(data["options"]),
        }


class PublishForm(CleanTextMixin, forms.Form):
    change_note = forms.CharField(label=_("What changed (optional)"), max_length=300, required=False)


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: QuestionSetVersion) -> str:
        return str(_("%(title)s, version %(number)s") % {"title": obj.question_set.title, "number": obj.number})


class OrganisationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class UsersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name or obj.email} ({obj.email})" if obj.full_name else obj.email


class CampaignForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    version = VersionChoiceField(label=_("Question set"), queryset=QuestionSetVersion.objects.none())
    message = forms.CharField(
        label=_("Message to the recipients"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE)
    all_affected = forms.BooleanField(
        label=_("All affected States Parties"),
        required=False,
        help_text=_(
            "The governments of the States Parties with an open stockpile destruction or clearance obligation."
        ),
    )
    recipients = OrganisationsField(
        label=_("Organisations asked"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    conveners = UsersField(
        label=_("Conveners"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("They see who said what until their mandate ends."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    mandate_ends = forms.DateField(label=_("Conveners' mandate ends on"), required=False, widget=DATE)

    def __init__(self, *args: Any, campaign: Campaign | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["version"]).queryset = published_versions()
        cast(forms.ModelChoiceField, self.fields["recipients"]).queryset = recipient_choices()
        cast(forms.ModelChoiceField, self.fields["conveners"]).queryset = User.objects.filter(is_active=True).order_by(
            "full_name", "email"
        )
        if campaign is not None:
            del self.fields["version"]
            self.initial.update(
                {
                    "title": campaign.title,
                    "message": campaign.message,
                    "opens_on": campaign.opens_on,
                    "closes_on": campaign.closes_on,
                    "recipients": list(campaign.recipient_rows.values_list("organisation_id", flat=True)),
                    "conveners": list(campaign.conveners.values_list("user_id", flat=True)),
                    "mandate_ends": campaign.conveners.values_list("mandate_ends", flat=True).first(),
                }
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("all_affected") and not data.get("recipients"):
            self.add_error("recipients", _("Choose at least one organisation, or all affected States Parties."))
        return data

    def chosen_recipients(self, affected: Iterable[Organisation]) -> list[Organisation]:
        chosen = list(self.cleaned_data.get("recipients") or [])
        if self.cleaned_data.get("all_affected"):
            chosen += list(affected)
        return list(dict.fromkeys(chosen))

    def chosen_conveners(self) -> list[tuple[User, Any]]:
        ends = self.cleaned_data.get("mandate_ends")
        return [(user, ends) for user in self.cleaned_data.get("conveners") or []]


class ScaleWidget(forms.RadioSelect):
    pass


class AnswerForm(CleanTextMixin, forms.Form):
    """One field per question, named by its key: radios, checkboxes, a number, a 1–5 scale as radios
    with labels, yes/no as radios. Every field is optional here: required questions are checked when
    the answer is submitted (the service names those left empty)."""

    def __init__(self, *args: Any, questions: Iterable[Question], answer: Answer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        items = {item.question_id: item for item in answer.items.all()} if answer is not None else {}
        for q in self.questions:
            label = f"{q.position}. {q.text}" + (f" ({_('required')})" if q.required else "")
            common: dict[str, Any] = {"label": label, "required": False, "help_text": q.help_text}
            field: forms.Field
            if q.qtype == QuestionType.TEXT:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
            elif q.qtype == QuestionType.NUMBER:
                field = forms.DecimalField(max_digits=20, decimal_places=4, **common)
            elif q.qtype == QuestionType.SCALE:
                field = forms.TypedChoiceField(
                    choices=[(str(n), label) for n, label in SCALE_LABELS.items()],
                    widget=ScaleWidget,
                    coerce=str,
                    **common,
                )
            elif q.qtype == QuestionType.YES_NO:
                field = forms.ChoiceField(
                    choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect, **common
                )
            elif q.qtype == QuestionType.SINGLE:
                field = forms.ChoiceField(
                    choices=[(o["key"], o["label"]) for o in q.options], widget=forms.RadioSelect, **common
                )
            else:
                field = forms.MultipleChoiceField(
                    choices=[(o["key"], o["label"]) for o in q.options],
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
            self.fields[q.key] = field
            item = items.get(q.pk)
            if item is not None:
                self.initial[q.key] = _initial(q, item)

    def values(self) -> dict[str, object]:
        """The values for ``answer_save`` (keyed by question key)."""
        values: dict[str, object] = {}
        for q in self.questions:
            value = self.cleaned_data.get(q.key)
            if q.qtype == QuestionType.YES_NO:
                values[q.key] = {"yes": True, "no": False}.get(value or "")
            elif q.qtype == QuestionType.SCALE:
                values[q.key] = Decimal(value) if value else None
            else:
                values[q.key] = value
        return values


def _initial(q: Question, item: Any) -> Any:
    if q.qtype == QuestionType.TEXT:
        return item.text
    if q.qtype == QuestionType.NUMBER:
        return item.number.normalize() if item.number is not None else None
    if q.qtype == QuestionType.SCALE:
        return str(int(item.number)) if item.number is not None else None
    if q.qtype in (QuestionType.SINGLE, QuestionType.YES_NO):
        return item.choices[0] if item.choices else None
    return item.choices
