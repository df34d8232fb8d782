from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.core.clock import today
from ccm.core.forms import CleanTextMixin
from ccm.core.money import AmountFormField
from ccm.funding.models import FLOW_VISIBILITY_CHOICES, FlowSource, Stage
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


class ExplorerFilterForm(CleanTextMixin, forms.Form):
    """The funding explorer's filters (GET): every value is checked against its list, so an unknown
    funder, State, pillar, stage, source or year is refused with a message, never a server error."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    funder = forms.ChoiceField(label=_("Funder"), required=False)
    recipient = forms.ChoiceField(label=_("Recipient State"), required=False)
    pillar = forms.ChoiceField(label=_("Pillar"), choices=[("", _("Any")), *Pillar.choices], required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", _("Any")), *Stage.choices], required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=[("", _("Any")), *FlowSource.choices], required=False)
    activity = forms.CharField(label=_("IATI activity identifier"), max_length=200, required=False)

    def __init__(self, *args: Any, funders: list[tuple[str, str]], states: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["funder"].choices = [("", _("Any")), *funders]  # type: ignore[attr-defined]
        self.fields["recipient"].choices = [("", _("Any")), *states]  # type: ignore[attr-defined]
        years = range(today().year + 10, 1989, -1)
        self.fields["year"].choices = [("", _("Any")), *((str(y), str(y)) for y in years)]  # type: ignore[attr-defined]
