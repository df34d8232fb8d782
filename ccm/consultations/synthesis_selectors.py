"""Reads of the synthesis, for the page, the API and the exports alike.

``campaign_synthesis`` answers for one reader: the counts per option and the figures of each
question (submitted answers only), and the free-text answers grouped by theme. Who gave an answer is
shown only to readers who see attribution; for every other reader each quote first passes the
de-identification check, and a quote naming a participant is left out until a convener has rewritten
or waived it (for the text as it stands).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ccm.consultations import synthesis_policies as policies
from ccm.consultations.models import Answer, AnswerItem, AnswerStatus, Campaign, Question, QuestionType
from ccm.consultations.synthesis_deps import Term, find_identities, identity_terms, sees_attribution
from ccm.consultations.synthesis_models import KeyPointsDraft, QuoteReview, QuoteStatus, TagSource, ThemeKey, ThemeTag

NO_THEME = ""


@dataclass(frozen=True)
class OptionCount:
    key: str
    label: str
    count: int
    share: float  # of the answers to the question (several per answer for a multiple choice)


@dataclass(frozen=True)
class Figures:
    n: int
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


@dataclass(frozen=True)
class HitInContext:
    before: str
    matched: str
    after: str
    participant: str
    kind: str


@dataclass(frozen=True)
class TagView:
    theme: str
    label: str
    source: str  # TagSource
    reason: str  # the words that gave an automatic theme, or the person's note; "" when withheld


@dataclass
class Quote:
    item_id: int
    text: str  # as the reader may see it (rewritten where a convener rewrote it)
    original: str
    organisation: str | None  # only for readers who see attribution
    status: str  # QuoteStatus: clear, rewritten, waived, held
    tags: list[TagView] = field(default_factory=list)
    hits: list[HitInContext] = field(default_factory=list)  # what the check found (reviewers only)

    @property
    def themes(self) -> list[str]:
        return [t.theme for t in self.tags]


@dataclass
class ThemeGroup:
    theme: str
    label: str
    quotes: list[Quote]


@dataclass
class QuestionSummary:
    question: Question
    answered: int
    options: list[OptionCount] = field(default_factory=list)
    figures: Figures | None = None
    groups: list[ThemeGroup] = field(default_factory=list)
    held: int = 0

    @property
    def is_text(self) -> bool:
        return self.question.qtype == QuestionType.TEXT

    @property
    def has_chart(self) -> bool:
        return bool(self.options) and self.answered > 0


@dataclass
class Synthesis:
    campaign: Campaign
    attributed: bool
    answers: int
    questions: list[QuestionSummary]
    held: int
    can_tag: bool
    can_review: bool


def _option_rows(question: Question) -> list[tuple[str, str]]:
    if question.qtype == QuestionType.YES_NO:
        return [("yes", _("Yes")), ("no", _("No"))]
    if question.qtype == QuestionType.SCALE:
        return [(str(n), str(n)) for n in range(1, 6)]
    return [(str(o.get("key")), str(o.get("label", o.get("key")))) for o in question.options or []]


def _counts(question: Question, items: list[AnswerItem]) -> list[OptionCount]:
    rows = _option_rows(question)
    counts = dict.fromkeys((key for key, _label in rows), 0)
    for item in items:
        if question.qtype == QuestionType.SCALE:
            keys = [str(int(item.number))] if item.number is not None else []
        else:
            keys = [str(k) for k in item.choices or []]
        for key in keys:
            if key in counts:
                counts[key] += 1
    answered = len(items) or 1
    return [OptionCount(key, label, counts[key], counts[key] / answered) for key, label in rows]


def _figures(items: list[AnswerItem]) -> Figures:
    values = sorted(item.number for item in items if item.number is not None)
    if not values:
        return Figures(0, None, None, None)
    return Figures(len(values), Decimal(statistics.median(values)), values[0], values[-1])


def _answered(question: Question, item: AnswerItem) -> bool:
    if question.qtype == QuestionType.TEXT:
        return bool(item.text.strip())
    if question.qtype in (QuestionType.NUMBER, QuestionType.SCALE):
        return item.number is not None
    return bool(item.choices)


def quote_status(item: AnswerItem, hits: list[Any]) -> str:
    """Clear (no hit), or what a convener decided about this very text, or held."""
    review: QuoteReview | None = getattr(item, "quote_review", None)
    if (
        review is not None
        and review.reviewed_text == item.text
        and review.status
        in (
            QuoteStatus.REWRITTEN,
            QuoteStatus.WAIVED,
        )
    ):
        return str(review.status)
    return QuoteStatus.HELD if hits else QuoteStatus.CLEAR


def _quote(item: AnswerItem, terms: list[Term], *, attributed: bool, reviewer: bool) -> Quote:
    hits = list(find_identities(item.text, terms))
    status = quote_status(item, hits)
    shown = item.text
    if status == QuoteStatus.REWRITTEN and not attributed:
        shown = item.quote_review.rewritten_text
    active = sorted(
        (t for t in item.theme_tags.all() if t.active),
        key=lambda t: (t.source != TagSource.MANUAL, -t.score, t.pk),
    )
    labels = dict(ThemeKey.choices)
    tags = [TagView(t.theme, str(labels.get(t.theme, t.theme)), t.source, t.reason) for t in active]
    if not attributed:
        # A reason quotes the answer (or is a person's note): withheld where it could name a
        # participant — always for a rewritten quote, whose reasons quote the original words.
        tags = [
            TagView(t.theme, t.label, t.source, "")
            if status == QuoteStatus.REWRITTEN or find_identities(t.reason, terms)
            else t
            for t in tags
        ]
    return Quote(
        item_id=item.pk,
        text=shown,
        original=item.text,
        organisation=item.answer.organisation.name if attributed else None,
        status=status,
        tags=tags,
        hits=[HitInContext(*h.context(item.text), h.term.participant, h.term.kind) for h in hits] if reviewer else [],
    )


def _groups(quotes: list[Quote]) -> list[ThemeGroup]:
    labels = dict(ThemeKey.choices)
    grouped: dict[str, list[Quote]] = {}
    for quote in quotes:
        grouped.setdefault(quote.tags[0].theme if quote.tags else NO_THEME, []).append(quote)
    order = [key for key in ThemeKey.values if key in grouped]
    order.sort(key=lambda key: -len(grouped[key]))
    if NO_THEME in grouped:
        order.append(NO_THEME)
    return [
        ThemeGroup(key, str(labels.get(key, _("No theme yet"))), sorted(grouped[key], key=lambda q: q.text.casefold()))
        for key in order
    ]


def submitted_items(campaign: Campaign) -> list[AnswerItem]:
    """Every item of the campaign's submitted answers, with what the synthesis reads (fixed queries)."""
    return list(
        AnswerItem.objects.filter(answer__campaign=campaign, answer__status=AnswerStatus.SUBMITTED)
        .select_related("question", "answer__organisation", "quote_review")
        .prefetch_related(Prefetch("theme_tags", queryset=ThemeTag.objects.order_by("pk")))
        .order_by("pk")
    )


def campaign_synthesis(*, campaign: Campaign, user: Any, today: date, terms: list[Term] | None = None) -> Synthesis:
    """The synthesis of ``campaign`` as ``user`` may see it (the caller resolved the campaign through
    ``synthesis_policies.synthesis``)."""
    attributed = sees_attribution(user, campaign, today=today)
    can_review = policies.synthesis.can(user, policies.REVIEW, campaign)
    can_tag = policies.synthesis.can(user, policies.TAG, campaign)
    terms = identity_terms(campaign, today=today) if terms is None else terms
    questions = list(Question.objects.filter(version_id=campaign.version_id).order_by("position"))
    by_key: dict[str, list[AnswerItem]] = {}
    for item in submitted_items(campaign):
        if _answered(item.question, item):
            by_key.setdefault(item.question.key, []).append(item)
    summaries: list[QuestionSummary] = []
    held_total = 0
    for question in questions:
        items = by_key.get(question.key, [])
        summary = QuestionSummary(question=question, answered=len(items))
        if question.qtype == QuestionType.TEXT:
            quotes = [_quote(i, terms, attributed=attributed, reviewer=can_review) for i in items]
            shown = quotes if attributed else [q for q in quotes if q.status != QuoteStatus.HELD]
            summary.held = len(quotes) - len(shown) if not attributed else sum(q.status == "held" for q in quotes)
            summary.groups = _groups(shown)
            held_total += summary.held
        elif question.qtype == QuestionType.NUMBER:
            summary.figures = _figures(items)
        else:
            summary.options = _counts(question, items)
            if question.qtype == QuestionType.SCALE:
                summary.figures = _figures(items)
        summaries.append(summary)
    answers = Answer.objects.filter(campaign=campaign, status=AnswerStatus.SUBMITTED).count()
    return Synthesis(campaign, attributed, answers, summaries, held_total, can_tag, can_review)


def held_quotes(*, campaign: Campaign, today: date) -> list[Quote]:
    """For the conveners' review: every free-text answer that names a participant, with the hits,
    the reviewed first last (the held ones come first)."""
    terms = identity_terms(campaign, today=today)
    quotes = []
    for item in submitted_items(campaign):
        if item.question.qtype != QuestionType.TEXT or not item.text.strip():
            continue
        quote = _quote(item, terms, attributed=True, reviewer=True)
        if quote.hits:
            quotes.append(quote)
    quotes.sort(key=lambda q: (q.status != QuoteStatus.HELD, q.item_id))
    return quotes


def key_points(campaign: Campaign) -> KeyPointsDraft | None:
    return KeyPointsDraft.objects.filter(campaign=campaign).select_related("updated_by").first()


def text_item_for(*, user: Any, item_id: int, action: str) -> AnswerItem | None:
    """A submitted free-text answer of a campaign whose synthesis ``user`` may take ``action`` on."""
    return (
        AnswerItem.objects.filter(
            pk=item_id,
            answer__status=AnswerStatus.SUBMITTED,
            question__qtype=QuestionType.TEXT,
            answer__campaign__in=policies.synthesis.visible_to(user, action),
        )
        .select_related("answer__campaign", "question")
        .first()
    )
