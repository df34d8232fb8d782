from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.core.forms import CleanTextMixin
from ccm.core.money import AmountFormField
from ccm.funding.models import FLOW_VISIBILITY_CHOICES, Stage
from ccm.needs.models import Need, Pillar
from ccm.states.models import State


class CoverageFilterForm(CleanTextMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    pillar = forms.ChoiceField(label=_("Pillar"), choices=[("", _("Any")), *Pillar.choices], required=False)


class FlowForm(CleanTextMixin, forms.Form):
    funder = forms.ModelChoiceField(label=_("Funder"), queryset=Organisation.objects.none())
    recipient_state = forms.ModelChoiceField(label=_("Recipient State"), queryset=State.objects.exclude(ccm_status=""))
    pillar = forms.ChoiceField(label=_("Pillar"), choices=Pillar.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    amount = AmountFormField(label=_("Amount"), min_value=Decimal("0.01"))
    currency = forms.CharField(label=_("Currency"), min_length=3, max_length=3, initial="USD")
    value_date = forms.DateField(label=_("Value date"), widget=forms.DateInput(attrs={"type": "date"}))
    need = forms.ModelChoiceField(label=_("Answers the need"), queryset=Need.objects.none(), required=False)
    implementer_name = forms.CharField(label=_("Implementing organisation"), max_length=300, required=False)
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=FLOW_VISIBILITY_CHOICES)

    def __init__(self, *args: Any, funders: Any, needs: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = funders  # type: ignore[attr-defined]
        self.fields["need"].queryset = needs  # type: ignore[attr-defined]
        if funders.count() == 1:
            self.fields["funder"].initial = funders.first()


class IatiUploadForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label=_("IATI activity file (XML)"))
    dry_run = forms.BooleanField(label=_("Check only: write nothing"), required=False, initial=True)


class FollowForm(CleanTextMixin, forms.Form):
    """The next step of a funder's money against a flow: a commitment against a pledge, a disbursement
    against a commitment."""

    amount = AmountFormField(label=_("Amount"), min_value=Decimal("0.01"))
    currency = forms.CharField(label=_("Currency"), min_length=3, max_length=3)
    value_date = forms.DateField(label=_("Value date"), widget=forms.DateInput(attrs={"type": "date"}))
    implementer_name = forms.CharField(label=_("Implementing organisation"), max_length=300, required=False)
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=FLOW_VISIBILITY_CHOICES)
