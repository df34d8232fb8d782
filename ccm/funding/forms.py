from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation
from ccm.core.clock import today
from ccm.core.forms import CleanTextMixin
from ccm.core.money import MAX_RATE, AmountFormField, CurrencyChoiceField
from ccm.funding.models import FLOW_VISIBILITY_CHOICES, FlowSource, Stage
from ccm.funding.rates import EnteredRate
from ccm.needs.models import Need, Pillar
from ccm.states.currencies import usual_currency
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
    currency = CurrencyChoiceField(label=_("Currency"), initial="USD")
    value_date = forms.DateField(label=_("Value date"), widget=forms.DateInput(attrs={"type": "date"}))
    rate = forms.DecimalField(
        label=_("Rate to US dollars (US dollars for one unit)"),
        required=False,
        min_value=Decimal("0.0000000001"),
        max_value=MAX_RATE,
        max_digits=20,
        decimal_places=10,
        help_text=_("Only for a currency without exchange rates on file: the rate, its date and its source."),
    )
    rate_date = forms.DateField(
        label=_("Date of the rate"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    rate_source = forms.CharField(
        label=_("Source of the rate"),
        max_length=200,
        required=False,
        help_text=_("For example: the central bank's published rate, or the IMF's series."),
    )
    need = forms.ModelChoiceField(label=_("Answers the need"), queryset=Need.objects.none(), required=False)
    implementer_name = forms.CharField(label=_("Implementing organisation"), max_length=300, required=False)
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=FLOW_VISIBILITY_CHOICES)

    def __init__(self, *args: Any, funders: Any, needs: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = funders  # type: ignore[attr-defined]
        self.fields["need"].queryset = needs  # type: ignore[attr-defined]
        if funders.count() == 1:
            self.fields["funder"].initial = funders.first()
        # the recipient State's usual currency at the top of the list
        chosen = self.data.get("recipient_state") or self.initial.get("recipient_state")
        iso3 = ""
        if isinstance(chosen, State):
            iso3 = chosen.iso3
        elif isinstance(chosen, str) and chosen.isdigit() and len(chosen) < 10:
            iso3 = State.objects.filter(pk=int(chosen)).values_list("iso3", flat=True).first() or ""
        self.fields["currency"] = CurrencyChoiceField(label=_("Currency"), initial="USD", first=usual_currency(iso3))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rate, on, source = data.pop("rate", None), data.pop("rate_date", None), data.pop("rate_source", "")
        data["entered_rate"] = None
        if rate is None and on is None and not source:
            return data
        for name, value in (("rate", rate), ("rate_date", on), ("rate_source", source)):
            if not value:
                self.add_error(name, _("Give the rate, its date and its source together."))
        if rate and on and source:
            data["entered_rate"] = EnteredRate(to_usd=rate, on=on, source=source)
        return data


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


class FollowForm(CleanTextMixin, forms.Form):
    """The next step of a funder's money against a flow: a commitment against a pledge, a disbursement
    against a commitment."""

    amount = AmountFormField(label=_("Amount"), min_value=Decimal("0.01"))
    currency = CurrencyChoiceField(label=_("Currency"), initial="USD")
    value_date = forms.DateField(label=_("Value date"), widget=forms.DateInput(attrs={"type": "date"}))
    implementer_name = forms.CharField(label=_("Implementing organisation"), max_length=300, required=False)
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=FLOW_VISIBILITY_CHOICES)
