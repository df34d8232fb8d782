"""The annual Article 7 report drafted from what the platform already holds, as plain data.

For a State and a calendar year, ``draft_for`` returns items (a) to (n) of Article 7(1), each with the
figures the platform has (every figure names its source) and what is left for the State to complete. An
item the platform holds nothing for is marked so, never guessed. Everything is read through the owning
apps' selectors and policies, as the requesting user may see it:

- (e)/(f), (h)/(i): the country profile's reads (``ccm.reporting.selectors.country_profile``: baselines,
  additions, releases, the obligation's status) and the year as the progress page shows it
  (``year_shown``); a year never published counts only for a reader of the State's own government, and
  the draft says which figures come from an unpublished report;
- (j), (k), (m): the same progress report; (k) also the exact victim-assistance figures
  (``ccm.victims.selectors.exact_year``: only the State's government and coordinators may draft); (m) the
  completion plan in force as the reader sees it (``plans_shown``);
- (n): the State's government organisations' outgoing flows of the year that the reader may see (the
  funding policy), by recipient, pillar and stage, per currency and in US dollars: one aggregate query,
  whatever the number of flows.

The renderers (page, DOCX, XLSX, API) lay out the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _

from ccm.core import money
from ccm.core.policies import is_coordinator, state_ids
from ccm.core.templatetags.ccm import area, date_filter, number
from ccm.core.templatetags.ccm import money as money_text
from ccm.funding import policies as funding_policies
from ccm.funding.models import FlowSource, Stage
from ccm.needs.models import Pillar
from ccm.reporting import policies as reporting_policies
from ccm.reporting import selectors as reporting_selectors
from ccm.reporting.models import FigureKind, ProgressReport, ReportStatus
from ccm.states.models import State
from ccm.victims import selectors as victim_selectors
from ccm.victims.models import AgeGroup, Measure, Sex, VictimAssistanceProfile

# The Convention was adopted in 2008: no Article 7 year before it. The year must also be over or under way.
FIRST_YEAR = 2008

ITEM_KEYS = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n")


def year_in_range(year: int, *, today: date) -> bool:
    """Whether an Article 7 draft can be asked for ``year`` (from 2008 to the current year)."""
    return FIRST_YEAR <= year <= today.year


# --- Languages ------------------------------------------------------------------------------------


def draft_language(requested: str) -> tuple[str, str]:
    """The language the draft is written in, and a note when it is not the one asked for.

    Only English exists until the platform's translations do: a CCM language (French, Spanish) is
    accepted and answered in English, with a note; anything else is refused (ValueError)."""
    code = (requested or "en").strip().lower()
    languages = dict(settings.LANGUAGES)
    if code not in languages:
        raise ValueError(_("Unknown language. Choose one of: %(codes)s.") % {"codes": ", ".join(sorted(languages))})
    if code == "en":
        return "en", ""
    return "en", _(
        "The draft is in English: a draft in %(language)s will follow once the platform's translations exist."
    ) % {"language": _(get_language_info(code)["name"])}


# --- The data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure of the draft: what it is, its value (a number, or None for a text figure), how it reads,
    its unit, and its source. ``unpublished``: from a report the State has not published."""

    label: str
    value: int | Decimal | None
    text: str
    unit: str
    source: str
    unpublished: bool = False
    illustrative: bool = False


@dataclass(frozen=True)
class FlowLine:
    """Item (n): one recipient, pillar and stage of the year's outgoing flows, in one currency."""

    recipient: str
    recipient_iso3: str
    pillar: str
    pillar_label: str
    stage: str
    stage_label: str
    currency: str
    amount: Decimal
    usd: Decimal | None  # None: some flows of the line have no US-dollar amount (no rate)
    flows: int
    sources: str


@dataclass
class Item:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    flow_lines: list[FlowLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # What the State still has to write for this item (also when some figures are filled in)
    left_for_state: str = ""

    @property
    def to_complete(self) -> bool:
        """Left for the State to complete: the platform holds no figure for this item."""
        return not self.figures and not self.flow_lines

    @property
    def unpublished(self) -> bool:
        return any(f.unpublished for f in self.figures)


@dataclass(frozen=True)
class StageTotal:
    stage: str
    label: str
    usd: Decimal
    flows: int
    unconverted: int


@dataclass
class ReportDraft:
    state: State
    year: int
    prepared_on: date
    language: str
    language_note: str
    items: list[Item]
    # Item (n): the year's totals per stage in US dollars (stages are never added together)
    flow_totals: list[StageTotal] = field(default_factory=list)
    uses_unpublished: bool = False
    year_under_way: bool = False

    @property
    def marking(self) -> str:
        return _("Draft — prepared from Country Coalitions data on %(day)s") % {"day": date_filter(self.prepared_on)}

    @property
    def title(self) -> str:
        return _("%(state)s: Article 7 report for %(year)s (draft)") % {
            "state": self.state.display_name,
            "year": self.year,
        }

    @property
    def items_to_complete(self) -> list[Item]:
        return [item for item in self.items if item.to_complete]


# --- Titles in our own words ------------------------------------------------------------------------


def item_titles() -> dict[str, str]:
    return {
        "a": _("National implementation measures (Article 9)"),
        "b": _("Cluster munitions and explosive submunitions held, by type, quantity and lot"),
        "c": _("Technical characteristics of each type produced or held"),
        "d": _("Conversion or decommissioning of production facilities"),
        "e": _("Stockpile destruction programmes (Article 3): status and progress"),
        "f": _("Cluster munitions and submunitions destroyed during the year"),
        "g": _("Stockpiles discovered after completion, and plans to destroy them"),
        "h": _("Contaminated areas: size and location"),
        "i": _("Clearance programmes (Article 4): status and progress during the year"),
        "j": _("Risk reduction education and warnings to civilians"),
        "k": _("Victim assistance (Article 5): status, progress and data collection"),
        "l": _("Institutions responsible, with contact details"),
        "m": _("National resources allocated to Articles 3, 4 and 5"),
        "n": _("International cooperation and assistance provided (Article 6): amounts, types, destinations"),
    }


def _left_for_state() -> dict[str, str]:
    return {
        "a": _("Legislation, regulations and administrative measures adopted."),
        "b": _("Totals by type, with quantities and, if possible, lot numbers."),
        "c": _("Dimensions, fusing, explosive and metallic content, colour photographs."),
        "d": _("Status and progress of conversion or decommissioning."),
        "e": _("Methods, location of destruction sites, safety and environmental standards."),
        "f": _("Methods used, sites, standards observed."),
        "g": _("Any stockpile found after completion and the plan to destroy it."),
        "h": _("Location of each area, type and quantity of each remnant type, when used."),
        "i": _("Location of the areas cleared; breakdown by type of remnant cleared and destroyed."),
        "j": _("The measures taken (programmes, warnings, materials) beyond the number of people reached."),
        "k": _("Measures taken and data collection; the breakdown by sex and age where the platform has none."),
        "l": _("Names and contact details of the institutions (beyond any focal point shown)."),
        "m": _("Material and in-kind resources, and the split between Articles 3, 4 and 5."),
        "n": _("Types of assistance (technical, material, financial) and assistance not in the ledger."),
    }


# --- Assembly -------------------------------------------------------------------------------------


def _of_state(user: Any, state: State) -> bool:
    return state.pk in state_ids(user)


def _year_report(*, state: State, year: int, user: Any) -> ProgressReport | None:
    """Year ``year`` as the progress page shows it to ``user``; a year never published only for a reader of
    the State's own government (coordinators draft from published figures)."""
    stored = (
        reporting_policies.progress_reports.visible_to(user)
        .filter(state=state, year=year)
        .select_related("published_version")
        .first()
    )
    if stored is None:
        return None
    shown = reporting_selectors.year_shown(stored, user=user)
    if shown is not None:
        return shown
    return stored if _of_state(user, state) else None


def _unpublished(report: ProgressReport) -> bool:
    return report.status != ReportStatus.PUBLISHED


def _report_source(report: ProgressReport) -> str:
    name = _("Progress report %(year)s") % {"year": report.year}
    detail = report.source or _("no source given")
    return f"{name} ({detail})"


def draft_for(*, state: State, year: int, user: Any, today: date, language: str = "en") -> ReportDraft:
    """The draft of ``state``'s Article 7 report for ``year``, from what ``user`` may see. The caller has
    checked the draft policy and the year (``year_in_range``)."""
    lang, note = draft_language(language)
    profile = reporting_selectors.country_profile(state=state, user=user, today=today)
    report = _year_report(state=state, year=year, user=user)
    titles, left = item_titles(), _left_for_state()
    items = {key: Item(key, titles[key], left_for_state=left[key]) for key in ITEM_KEYS}
    work = {w.obligation.kind: w for w in profile.work}
    _stockpile(items, work.get("stockpile_destruction"), report, year)
    _clearance(items, work.get("clearance"), report, year)
    _people(items, report, state=state, year=year, user=user)
    _resources(items, profile, report, year)
    _institutions(items["l"], state)
    totals = _assistance(items["n"], state=state, year=year, user=user)
    draft = ReportDraft(
        state=state,
        year=year,
        prepared_on=today,
        language=lang,
        language_note=note,
        items=[items[key] for key in ITEM_KEYS],
        flow_totals=totals,
        year_under_way=year >= today.year,
    )
    draft.uses_unpublished = any(item.unpublished for item in draft.items)
    return draft


def _figure(label: str, value: int | Decimal | None, text: str, unit: str, report: ProgressReport) -> Figure:
    return Figure(
        label,
        value,
        text,
        unit,
        _report_source(report),
        unpublished=_unpublished(report),
        illustrative=report.illustrative,
    )


def _obligation_figures(item: Item, w: Any) -> None:
    """The obligation's deadline and status, as on the country profile."""
    obligation = w.obligation
    if w.status_sentence:
        item.notes.append(w.status_sentence)
    source = obligation.source.citation if obligation.source_id else ""
    if obligation.original_deadline:
        d = obligation.original_deadline
        item.figures.append(Figure(_("Original deadline"), None, date_filter(d), "", source))
    if obligation.current_deadline and obligation.current_deadline != obligation.original_deadline:
        d = obligation.current_deadline
        item.figures.append(Figure(_("Current deadline (extended)"), None, date_filter(d), "", source))
    if obligation.completed:
        done = date_filter(obligation.completed_on) if obligation.completed_on else _("date not on record")
        citation = obligation.completion_source.citation if obligation.completion_source_id else source
        item.figures.append(Figure(_("Completed"), None, done, "", citation))


def _baseline_figures(item: Item, w: Any, year: int, *, unit: str) -> None:
    """Baselines and additions recorded up to the end of ``year`` (the profile's own rows)."""
    for f in w.figures:
        if f.recorded_on.year > year:
            continue
        if f.kind == FigureKind.BASELINE:
            label = _("Baseline as of %(day)s") % {"day": date_filter(f.recorded_on)}
        else:
            label = _("Newly found on %(day)s") % {"day": date_filter(f.recorded_on)}
        if f.munition_type:
            label = f"{label} ({f.munition_type})"
        if unit == "m²":
            item.figures.append(Figure(label, f.amount, area(f.amount), "m²", f.source, illustrative=f.illustrative))
            continue
        if f.munitions is not None:
            item.figures.append(
                Figure(
                    f"{label}: " + _("cluster munitions"),
                    f.munitions,
                    number(f.munitions),
                    _("items"),
                    f.source,
                    illustrative=f.illustrative,
                )
            )
        if f.submunitions is not None:
            item.figures.append(
                Figure(
                    f"{label}: " + _("submunitions"),
                    f.submunitions,
                    number(f.submunitions),
                    _("items"),
                    f.source,
                    illustrative=f.illustrative,
                )
            )


def _remaining_at_end(w: Any, year: int) -> int | None:
    """Remaining at the end of ``year`` as the country profile's chart draws it (same function, same
    inputs: the baselines, additions and releases of the profile)."""
    from ccm.analytics.remaining import remaining_by_year

    baseline = w.baseline
    if baseline is None or baseline.recorded_on.year > year:
        return None
    series = remaining_by_year(
        baseline=w.baseline_amount,
        baseline_year=baseline.recorded_on.year,
        additions=[(f.recorded_on, f.amount) for f in w.additions],
        releases=w.releases,
        last_year=year,
    )
    return dict(series).get(year)


def _stockpile(items: dict[str, Item], w: Any, report: ProgressReport | None, year: int) -> None:
    e, f = items["e"], items["f"]
    if w is not None:
        _obligation_figures(e, w)
        _baseline_figures(e, w, year, unit="items")
        remaining = _remaining_at_end(w, year)
        if remaining is not None:
            e.figures.append(
                Figure(
                    _("Remaining to destroy at the end of %(year)s (as the country profile shows)") % {"year": year},
                    remaining,
                    number(remaining),
                    _("items"),
                    _("Country profile: baselines less the destruction reported"),
                )
            )
    else:
        e.notes.append(_("No obligation under Article 3 is on record for this State."))
    if report is None:
        return
    holds = report.stockpile_munitions_destroyed or report.stockpile_submunitions_destroyed
    if w is None and not holds:
        return
    f.figures.append(
        _figure(
            _("Cluster munitions destroyed"),
            report.stockpile_munitions_destroyed,
            number(report.stockpile_munitions_destroyed),
            _("items"),
            report,
        )
    )
    f.figures.append(
        _figure(
            _("Explosive submunitions destroyed"),
            report.stockpile_submunitions_destroyed,
            number(report.stockpile_submunitions_destroyed),
            _("items"),
            report,
        )
    )


def _clearance(items: dict[str, Item], w: Any, report: ProgressReport | None, year: int) -> None:
    h, i = items["h"], items["i"]
    if w is not None:
        _baseline_figures(h, w, year, unit="m²")
        remaining = _remaining_at_end(w, year)
        if remaining is not None:
            h.figures.append(
                Figure(
                    _("Remaining contaminated area at the end of %(year)s (as the country profile shows)")
                    % {"year": year},
                    remaining,
                    area(remaining),
                    "m²",
                    _("Country profile: baselines and areas found, less the land released"),
                )
            )
        _obligation_figures(i, w)
    else:
        h.notes.append(_("No obligation under Article 4 is on record for this State."))
    if report is None:
        return
    released = report.land_released_m2
    if w is None and not (released or report.submunitions_destroyed or report.other_remnants_destroyed):
        return
    for label, value in (
        (_("Cancelled by non-technical survey"), report.cancelled_m2),
        (_("Reduced by technical survey"), report.reduced_m2),
        (_("Cleared"), report.cleared_m2),
        (_("Land released in total"), released),
    ):
        i.figures.append(_figure(label, value, area(value), "m²", report))
    i.figures.append(
        _figure(
            _("Submunitions destroyed in clearance"),
            report.submunitions_destroyed,
            number(report.submunitions_destroyed),
            _("items"),
            report,
        )
    )
    i.figures.append(
        _figure(
            _("Other remnants destroyed"),
            report.other_remnants_destroyed,
            number(report.other_remnants_destroyed),
            _("items"),
            report,
        )
    )


def _institutions(item: Item, state: State) -> None:
    """(l): the victim-assistance focal point the State named on the platform (public on its page); the
    other institutions are the State's to name."""
    va = VictimAssistanceProfile.objects.filter(state=state).first()
    if va is None or not (va.focal_point_name or va.focal_point_institution):
        return
    who = ", ".join(part for part in (va.focal_point_name, va.focal_point_institution, va.focal_point_email) if part)
    source = va.declaration_source or _("Victim assistance profile on this platform")
    item.figures.append(
        Figure(_("Victim assistance focal point (Article 5)"), None, who, "", source, illustrative=va.illustrative)
    )


def _people(items: dict[str, Item], report: ProgressReport | None, *, state: State, year: int, user: Any) -> None:
    j, k = items["j"], items["k"]
    people = _("people")
    if report is not None and report.risk_education_beneficiaries is not None:
        value = report.risk_education_beneficiaries
        j.figures.append(_figure(_("People reached by risk education"), value, number(value), people, report))
    if report is not None and report.victim_assistance_beneficiaries is not None:
        value = report.victim_assistance_beneficiaries
        k.figures.append(_figure(_("Victims and survivors assisted"), value, number(value), people, report))
    # Exact figures: only the State's government and coordinators may draft (``draft_policies``).
    if not (is_coordinator(user) or _of_state(user, state)):
        return
    exact = victim_selectors.exact_year(state, year)
    if exact is None:
        return
    source = exact.source + (f" ({exact.source_url})" if exact.source_url else "")
    sexes, ages = dict(Sex.choices), dict(AgeGroup.choices)
    for measure, label in Measure.choices:
        cells = {(s, a): n for (m, s, a), n in exact.cells.items() if m == measure}
        if not cells:
            continue
        total = cells.get((Sex.ALL, AgeGroup.ALL))
        if total is not None:
            k.figures.append(Figure(str(label), total, number(total), people, source, illustrative=exact.illustrative))
        for (sex, age), count in sorted(cells.items()):
            if (sex, age) == (Sex.ALL, AgeGroup.ALL):
                continue
            k.figures.append(
                Figure(
                    f"{label}: {sexes.get(sex, sex)}, {ages.get(age, age)}",
                    count,
                    number(count),
                    people,
                    source,
                    illustrative=exact.illustrative,
                )
            )


def _resources(items: dict[str, Item], profile: Any, report: ProgressReport | None, year: int) -> None:
    m = items["m"]
    if report is not None and report.national_resources is not None:
        currency = report.national_resources_currency
        m.figures.append(
            _figure(
                _("National resources allocated"),
                report.national_resources,
                money_text(report.national_resources, currency),
                currency,
                report,
            )
        )
    for w in profile.work:
        plan = w.plan
        if plan is None:
            continue
        line = next((y for y in plan.years.all() if y.year == year), None)
        kind = w.obligation.get_kind_display()
        source = _("Completion plan for %(obligation)s, version %(v)s (approved)") % {
            "obligation": kind,
            "v": plan.version,
        }
        if plan.illustrative:
            source += " — " + _("illustrative")
        if line is None:
            years = [y.year for y in plan.years.all()]
            if years:
                m.notes.append(
                    _("%(obligation)s: the completion plan in force covers %(first)s–%(last)s, not %(year)s.")
                    % {"obligation": kind, "first": min(years), "last": max(years), "year": year}
                )
            continue
        for label, value in (
            (_("%(obligation)s: national funding planned for %(year)s"), line.national_funding),
            (_("%(obligation)s: cost planned for %(year)s"), line.cost),
        ):
            m.figures.append(
                Figure(
                    label % {"obligation": kind, "year": year},
                    value,
                    money_text(value, plan.currency),
                    plan.currency,
                    source,
                    illustrative=plan.illustrative,
                )
            )


# --- Item (n): outgoing flows ------------------------------------------------------------------------


def outgoing_flows(*, state: State, year: int, user: Any) -> Any:
    """The flows of ``year`` whose funder is one of ``state``'s government organisations, that ``user``
    may see (the funding policy): the rows item (n) is built from."""
    return funding_policies.flows.visible_to(user).filter(
        funder__kind="state_government", funder__state=state, value_date__year=year
    )


def _assistance(item: Item, *, state: State, year: int, user: Any) -> list[StageTotal]:
    """Item (n) from the ledger: one aggregate query, by recipient, pillar, stage and currency."""
    rows = (
        outgoing_flows(state=state, year=year, user=user)
        .order_by()
        .values(
            "recipient_state__iso3", "recipient_state__name", "recipient_label", "pillar", "stage", "currency", "source"
        )
        .annotate(
            flows=Count("id"),
            unconverted=Count("id", filter=Q(usd_amount__isnull=True)),
            **money.sum_parts("amount", name="amount"),
            **money.sum_parts("usd_amount", name="usd"),
        )
        .order_by("recipient_state__name", "recipient_label", "pillar", "stage", "currency", "source")
    )
    pillars, stages, origins = dict(Pillar.choices), dict(Stage.choices), dict(FlowSource.choices)
    sums: dict[str, list[Any]] = {s: [Decimal(0), 0, 0] for s in Stage.values}
    for row in rows:
        usd = money.from_parts(row["usd_high"], row["usd_low"])
        stage = row["stage"]
        item.flow_lines.append(
            FlowLine(
                recipient=row["recipient_state__name"] or row["recipient_label"] or _("not stated"),
                recipient_iso3=row["recipient_state__iso3"] or "",
                pillar=row["pillar"],
                pillar_label=str(pillars.get(row["pillar"], row["pillar"])),
                stage=stage,
                stage_label=str(stages.get(stage, stage)),
                currency=row["currency"],
                amount=money.from_parts(row["amount_high"], row["amount_low"]) or Decimal(0),
                usd=usd if not row["unconverted"] else None,
                flows=row["flows"],
                sources=ngettext(
                    "Funding ledger (%(origin)s): %(n)s flow", "Funding ledger (%(origin)s): %(n)s flows", row["flows"]
                )
                % {"origin": origins.get(row["source"], row["source"]), "n": row["flows"]},
            )
        )
        if stage in sums:
            sums[stage][0] += usd or Decimal(0)
            sums[stage][1] += row["flows"]
            sums[stage][2] += row["unconverted"]
    if item.flow_lines:
        item.notes.append(
            _(
                "From the funding ledger: flows of %(year)s (by value date) from this State's government "
                "organisations that you may see. Pledges, commitments and disbursements are listed apart and "
                "never added together."
            )
            % {"year": year}
        )
    return [StageTotal(s, str(stages[s]), *sums[s]) for s in Stage.values if sums[s][1]]
