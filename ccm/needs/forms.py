from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.core.forms import CleanTextMixin
from ccm.core.money import AmountFormField
from ccm.needs.models import (
    Channel,
    DonorProfile,
    Modality,
    Need,
    NeedStatus,
    Obstacle,
    Pillar,
    ResponseKind,
)
from ccm.states.models import Region, State


class BoardFilterForm(CleanTextMixin, forms.Form):
    pillar = forms.ChoiceField(label=_("Pillar"), choices=[("", _("Any")), *Pillar.choices], required=False)
    modality = forms.ChoiceField(label=_("Modality"), choices=[("", _("Any")), *Modality.choices], required=False)
    state = forms.CharField(label=_("State (ISO code)"), max_length=3, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *NeedStatus.choices], required=False)
    min_age_days = forms.IntegerField(
        label=_("Published at least … days ago"), min_value=0, max_value=36500, required=False
    )
    unanswered = forms.BooleanField(label=_("Nobody has answered"), required=False)
    matching_me = forms.BooleanField(label=_("Matches my organisation's profile"), required=False)


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
        fields = ["category", "severity", "obligation", "statement", "observed_on", "visibility"]
        widgets = {
            "observed_on": forms.DateInput(attrs={"type": "date"}),
            "statement": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, state: State, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["obligation"].queryset = state.obligations.all()  # type: ignore[attr-defined]


class DonorProfileForm(CleanTextMixin, forms.ModelForm):
    priority_regions = forms.MultipleChoiceField(
        label=_("Priority regions"), choices=Region.choices, required=False, widget=forms.CheckboxSelectMultiple
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
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("funding_cycle", "how_to_apply", "requirements")}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["priority_states"].queryset = State.objects.exclude(ccm_status="")  # type: ignore[attr-defined]
        self.fields["priority_states"].required = False


class PreferenceForm(CleanTextMixin, forms.Form):
    matching_needs = forms.BooleanField(
        label=_("E-mail me when a need matching my organisation's donor profile is published"), required=False
    )
    weekly_digest = forms.BooleanField(label=_("Send me a weekly digest"), required=False)
