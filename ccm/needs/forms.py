from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.core.forms import CleanTextMixin
from ccm.core.money import AmountFormField, CurrencyChoiceField
from ccm.needs.models import (
    Channel,
    DonorProfile,
    Modality,
    Need,
    NeedStatus,
    Obstacle,
    Pillar,
    ResponseKind,
    ResponseNotice,
)
from ccm.states.currencies import usual_currency
from ccm.states.forms import StateChoiceField
from ccm.states.models import Region, State
from ccm.states.selectors import choosable_states, grouped_by_region, regions_with_states


class BoardFilterForm(CleanTextMixin, forms.Form):
    pillar = forms.ChoiceField(label=_("Pillar"), choices=[("", _("Any")), *Pillar.choices], required=False)
    modality = forms.ChoiceField(label=_("Modality"), choices=[("", _("Any")), *Modality.choices], required=False)
    state = StateChoiceField(label=_("State"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *NeedStatus.choices], required=False)
    min_age_days = forms.IntegerField(
        label=_("Published at least … days ago"), min_value=0, max_value=36500, required=False
    )
    unanswered = forms.BooleanField(label=_("Nobody has answered"), required=False)
    matching_me = forms.BooleanField(label=_("Matches my organisation's profile"), required=False)

    def __init__(self, *args: Any, show_matching: bool = False, **kwargs: Any) -> None:
        """``show_matching``: the person belongs to an organisation with a donor profile (else the
        "matches my organisation's profile" box means nothing to them and is not shown)."""
        super().__init__(*args, **kwargs)
        self.fields["state"].load()  # type: ignore[attr-defined]
        if not show_matching:
            del self.fields["matching_me"]


class NeedForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Need
        fields = [
            "title",
            "pillar",
            "modality",
            "obligation",
            "description",
            "amount",
            "currency",
            "in_kind",
            "starts_on",
            "ends_on",
            "priority",
            "obstacles",
            "visibility",
            "chosen_donors",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "in_kind": forms.Textarea(attrs={"rows": 2}),
            "obstacles": forms.CheckboxSelectMultiple,
            "chosen_donors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, state: State, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["obligation"].queryset = state.obligations.all()  # type: ignore[attr-defined]
        self.fields["obstacles"].queryset = Obstacle.objects.filter(state=state)  # type: ignore[attr-defined]
        self.fields["chosen_donors"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            donor_profile__isnull=False, is_active=True
        )
        self.fields["chosen_donors"].help_text = _("Only when “who may see it” is “chosen donors only”.")
        self.fields["currency"] = CurrencyChoiceField(
            label=_("Currency"),
            first=usual_currency(state.iso3),
            required=False,
            help_text=_(
                "A currency without exchange rates on file is counted in coverage once a dated rate is loaded."
            ),
        )


class ResponseForm(CleanTextMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Answering for"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(
        label=_("Response"), choices=[c for c in ResponseKind.choices if c[0] not in ("answer", "pledge")]
    )
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    decline_reason = forms.CharField(label=_("Reason for declining"), max_length=300, required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


class PledgeForm(CleanTextMixin, forms.Form):
    """A pledge on a need: shown on the need's page, posted to the funding ledger (``funding:need``),
    where it is recorded once as a pledge flow."""

    organisation = forms.ModelChoiceField(label=_("Pledging for"), queryset=Organisation.objects.none())
    amount = AmountFormField(label=_("Amount pledged"), min_value=Decimal("0.01"), required=False)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


class AnswerForm(CleanTextMixin, forms.Form):
    message = forms.CharField(label=_("Answer in the State's name"), widget=forms.Textarea(attrs={"rows": 3}))


class ObstacleForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Obstacle
        fields = ["category", "pillar", "severity", "obligation", "statement", "observed_on", "visibility"]
        widgets = {
            "observed_on": forms.DateInput(attrs={"type": "date"}),
            "statement": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, state: State, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["obligation"].queryset = state.obligations.all()  # type: ignore[attr-defined]


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in one fieldset per group (region), with the group's name as its legend."""

    template_name = "states/widgets/grouped_checkboxes.html"


class DonorProfileForm(CleanTextMixin, forms.ModelForm):
    priority_regions = forms.MultipleChoiceField(
        label=_("Priority regions"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    pillars = forms.MultipleChoiceField(
        label=_("Pillars funded"), choices=Pillar.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    modalities = forms.MultipleChoiceField(
        label=_("Modalities"), choices=Modality.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = DonorProfile
        fields = [
            "priority_states",
            "priority_regions",
            "pillars",
            "modalities",
            "channels",
            "grant_min",
            "grant_max",
            "currency",
            "funding_cycle",
            "how_to_apply",
            "requirements",
            "contact_name",
            "contact_email",
            "is_published",
        ]
        widgets = {
            "priority_states": GroupedCheckboxes,
            **{f: forms.Textarea(attrs={"rows": 3}) for f in ("funding_cycle", "how_to_apply", "requirements")},
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # countries as checkboxes in one fieldset per region (no ctrl-click list); only regions with States
        states = self.fields["priority_states"]
        states.queryset = choosable_states()  # type: ignore[attr-defined]
        states.required = False
        states.choices = grouped_by_region(states.queryset, value="pk")  # type: ignore[attr-defined]
        self.fields["priority_regions"].choices = regions_with_states()  # type: ignore[attr-defined]
        if self.instance.pk:  # a region chosen before stays offered, so that saving keeps it
            offered = {code for code, _label in self.fields["priority_regions"].choices}  # type: ignore[attr-defined]
            extra = [c for c in Region.choices if c[0] in self.instance.priority_regions and c[0] not in offered]
            self.fields["priority_regions"].choices = [*self.fields["priority_regions"].choices, *extra]  # type: ignore[attr-defined]
        organisation = getattr(self.instance, "organisation", None)
        self.fields["currency"] = CurrencyChoiceField(
            label=_("Currency"), first=usual_currency(getattr(getattr(organisation, "state", None), "iso3", ""))
        )


class PreferenceForm(CleanTextMixin, forms.Form):
    matching_needs = forms.BooleanField(
        label=_("E-mail me when a need matching my organisation's donor profile is published"), required=False
    )
    weekly_digest = forms.BooleanField(label=_("Send me a weekly digest"), required=False)
    responses = forms.ChoiceField(
        label=_("When a donor responds to one of my State's needs, tell me"),
        choices=ResponseNotice.choices,
        initial=ResponseNotice.IMMEDIATE,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("For the editors and managers of a State's government (left unchanged when none is chosen)."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("responses") == ResponseNotice.DIGEST and not data.get("weekly_digest"):
            self.add_error(
                "responses",
                _("Responses in the weekly digest need the weekly digest: tick it, or choose another way."),
            )
        return data
