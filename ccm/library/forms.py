"""Forms of the library pages (input only; the services check the whole change). They work without
JavaScript: tags, skills and languages are typed separated by commas; countries are checkboxes grouped
by region, as on a donor profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.core.forms import CleanTextMixin
from ccm.library.models import Language, Offer, OfferKind, Practice
from ccm.needs.forms import GroupedCheckboxes
from ccm.needs.models import Pillar
from ccm.states.forms import StateChoiceField
from ccm.states.selectors import choosable_states, grouped_by_region

DATE = forms.DateInput(attrs={"type": "date"})
KIND_CHOICES = [("practice", _("Practices and lessons")), ("offer", _("Offers"))]


def split_terms(text: str) -> list[str]:
    return [part for part in (" ".join(p.split()) for p in str(text or "").split(",")) if part]


class PracticeFilterForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Show"), choices=KIND_CHOICES, required=False)
    pillar = forms.ChoiceField(label=_("Pillar"), choices=[("", _("Any")), *Pillar.choices], required=False)
    country = StateChoiceField(label=_("Country"), required=False)
    tag = forms.CharField(label=_("Tag"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("Any")), *Language.choices], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].load()  # type: ignore[attr-defined]


class OfferFilterForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any")), *OfferKind.choices], required=False)
    pillar = forms.ChoiceField(label=_("Pillar"), choices=[("", _("Any")), *Pillar.choices], required=False)
    country = StateChoiceField(label=_("For country"), required=False)
    include_expired = forms.BooleanField(label=_("Include our expired and withdrawn offers"), required=False)

    def __init__(self, *args: Any, show_expired: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].load()  # type: ignore[attr-defined]
        if not show_expired:
            del self.fields["include_expired"]


def _countries_field(field: Any) -> None:
    field.queryset = choosable_states()
    field.required = False
    field.choices = grouped_by_region(field.queryset, value="pk")
    field.widget = GroupedCheckboxes()


def _organisation_field(form: forms.BaseForm, organisations: Any) -> None:
    """Choose among the organisations one writes for; with only one, it is not asked (``clean_organisation``)."""
    field = form.fields["organisation"]
    field.queryset = organisations  # type: ignore[attr-defined]
    only = list(organisations[:2])
    if len(only) == 1:
        field.initial = only[0].slug
        field.required = False
        field.widget = forms.HiddenInput()
        form.only_organisation = only[0]  # type: ignore[attr-defined]


class _OrganisationMixin:
    only_organisation: Organisation | None = None

    def clean_organisation(self) -> Organisation | None:
        chosen = self.cleaned_data.get("organisation")  # type: ignore[attr-defined]
        return chosen or self.only_organisation


class PracticeForm(_OrganisationMixin, CleanTextMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=600,
        required=False,
        help_text=_("Separated by commas, e.g. land release, non-technical survey."),
    )

    class Meta:
        model = Practice
        fields = [
            "title",
            "summary",
            "body",
            "pillar",
            "countries",
            "source_organisation",
            "published_on",
            "language",
            "visibility",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "published_on": DATE,
        }
        help_texts = {
            "body": _(
                "Markdown: **bold**, *italic*, lists with - or 1., links as [words](https://…), "
                "headings with ##. No images or HTML."
            ),
        }

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _countries_field(self.fields["countries"])
        if self.instance.pk:
            del self.fields["organisation"]
            self.initial["tags"] = ", ".join(self.instance.tags)
        else:
            _organisation_field(self, organisations)
        self.order_fields(["organisation", "title", "summary", "body", "pillar", "tags"])

    def clean_tags(self) -> list[str]:
        return split_terms(self.cleaned_data.get("tags", ""))


class OfferForm(_OrganisationMixin, CleanTextMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    skills = forms.CharField(
        label=_("Skills"), max_length=600, required=False, help_text=_("For expertise; separated by commas.")
    )
    languages = forms.CharField(
        label=_("Languages"),
        max_length=600,
        required=False,
        help_text=_("For expertise and training; separated by commas, e.g. Arabic, French."),
    )

    class Meta:
        model = Offer
        fields = [
            "kind",
            "title",
            "description",
            "pillar",
            "modality",
            "expert_name",
            "availability",
            "quantity",
            "condition",
            "location",
            "countries",
            "expires_on",
            "visibility",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "expires_on": DATE}
        help_texts = {
            "expert_name": _("For expertise: the person or the agency."),
            "quantity": _("For equipment: how many items; for training: how many places."),
            "condition": _("For equipment."),
            "countries": _("Leave all unticked if the offer is for any country."),
        }

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _countries_field(self.fields["countries"])
        self.fields["countries"].help_text = _("Leave all unticked if the offer is for any country.")
        if self.instance.pk:
            del self.fields["organisation"]
            self.initial["skills"] = ", ".join(self.instance.skills)
            self.initial["languages"] = ", ".join(self.instance.languages)
        else:
            _organisation_field(self, organisations)
        self.order_fields(
            ["organisation", "kind", "title", "description", "pillar", "modality", "expert_name", "skills", "languages"]
        )

    def clean_skills(self) -> list[str]:
        return split_terms(self.cleaned_data.get("skills", ""))

    def clean_languages(self) -> list[str]:
        return split_terms(self.cleaned_data.get("languages", ""))
