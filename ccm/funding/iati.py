"""Streaming, safe reader of IATI activity files, and the rules that turn transactions into funding
flows (no Django imports).

Safety: no network, no DTD (a file declaring one is refused, so no external entity and no entity
expansion), a size limit, and the file fed to the parser in chunks, with every finished element
outside the activity being read removed after each chunk, so memory stays flat, even for a file with
millions of elements outside any activity.

Counting rules (also in README.md, "IATI import"):
- Only the share of sector 15250 "Removal of land mines and explosive remnants of war" (DAC 5-digit
  vocabulary, the default) counts. Transaction-level sectors and recipient countries override the
  activity's. Activity-level percentages split amounts; missing percentages are split evenly and
  percentages that do not sum to 100 are normalised, each with a warning.
- Stages: 12 outgoing pledge → pledge; 2 outgoing commitment → commitment; 3 disbursement →
  disbursement; 4 expenditure → disbursement only when the reporting organisation is also a funding
  participant (role 1). IATI 1.0x letter codes C, D, E map the same way. Incoming transactions
  (1, 11, 13) are never counted: each flow is counted once, from the funder's side.
- An activity that received its money from another organisation (an incoming transaction whose
  provider is not the reporter, or that names a provider activity) passes money on: its outgoing
  transactions are skipped, because the funder's own activity already counts them.
- Negative values (reversals and corrections, which the standard allows) are counted: the report's
  totals add them up with the rest, and in the ledger each nets against the same activity's flows of
  the same funder, recipient, stage and currency (the latest dated on or before it first). What a
  reversal takes back beyond what the activity counted stays in the totals, with a warning.
- Every transaction that is not counted is listed with its reason (``Skip``), zero values included;
  the transactions of activities with no share in the sector are counted, not listed one by one.
- Countries are ISO alpha-2 codes mapped to States by the caller; others (e.g. the user code XK) are
  kept as unmapped recipients with a warning.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from ccm.core.money import MAX_AMOUNT, MAX_AMOUNT_TEXT

SECTOR = "15250"
DAC5_VOCABULARIES = {"1", "DAC", ""}
SUPPORTED_VERSIONS = {"2.01", "2.02", "2.03", "1.01", "1.02", "1.03", "1.04", "1.05"}
DEFAULT_MAX_BYTES = 2 * 1024**3
STAGES = {"12": "pledge", "2": "commitment", "3": "disbursement", "C": "commitment", "D": "disbursement"}
EXPENDITURE = {"4", "E"}
INCOMING = {"1", "11", "13", "IF"}
# The IATI TransactionType codelist (2.0x numbers, 1.0x letters), to name a skipped type in words.
TRANSACTION_TYPES = {
    "1": "incoming funds",
    "2": "outgoing commitment",
    "3": "disbursement",
    "4": "expenditure",
    "5": "interest payment",
    "6": "loan repayment",
    "7": "reimbursement",
    "8": "purchase of equity",
    "9": "sale of equity",
    "10": "credit guarantee",
    "11": "incoming commitment",
    "12": "outgoing pledge",
    "13": "incoming pledge",
    "IF": "incoming funds",
    "C": "commitment",
    "D": "disbursement",
    "E": "expenditure",
    "IR": "interest repayment",
    "LR": "loan repayment",
    "R": "reimbursement",
    "QP": "purchase of equity",
    "QS": "sale of equity",
    "CG": "credit guarantee",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CHUNK_BYTES = 1 << 16  # the file is fed to the parser this much at a time
CENT = Decimal("0.01")


def outside_sector_reason(sector: str = SECTOR) -> str:
    """The reason given (as a count) for the transactions of activities with no share in ``sector``."""
    return f"in an activity with no share in sector {sector}"


class IatiFileError(Exception):
    """The file cannot be imported at all; ``message`` says where and why."""


@dataclass(frozen=True)
class Flow:
    key: str
    activity: str
    reporting_org: str
    funder_ref: str
    funder_name: str
    implementer_ref: str
    implementer_name: str
    country: str  # ISO alpha-2 as reported, or "" for a region
    region: str
    stage: str
    amount: Decimal  # negative for a reversal (in ``ActivityResult.counted`` only; ledger flows are positive)
    currency: str
    value_date: date
    share: Decimal
    transaction_type: str
    transaction: str = ""  # "transaction 3 (line 40)"


@dataclass(frozen=True)
class Skip:
    """A transaction of a matching activity that is not counted, and why."""

    transaction: str  # "transaction 3 (line 40)"
    reason: str


@dataclass(frozen=True)
class Reversal:
    """A negative value, and what it netted against in the ledger."""

    transaction: str
    amount: Decimal  # negative, as reported × the share counted
    currency: str
    stage: str
    funder_ref: str
    country: str
    region: str
    netted_against: tuple[str, ...]  # the transactions it reduced
    not_in_ledger: Decimal  # what it takes back beyond what the activity counted (0 when all netted)


@dataclass
class ActivityResult:
    identifier: str
    line: int
    last_updated: str
    reporting_org: str
    content_hash: str
    matched: bool = False
    transactions: int = 0  # transaction elements in the activity
    counted: list[Flow] = field(default_factory=list)  # every counted share, reversals negative (totals)
    flows: list[Flow] = field(default_factory=list)  # what the ledger holds: positive, reversals netted
    reversals: list[Reversal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def transactions_counted(self) -> int:
        return len({f.transaction for f in self.counted})


def _refuse_dtd(path: str) -> None:
    with open(path, "rb") as handle:
        head = handle.read(65536)
    prolog = head.split(b"<iati-", 1)[0]
    if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
        raise IatiFileError("the file declares a DTD or entities, which IATI files never need: refused for safety")


def _text(element: Any) -> str:
    return (element.text or "").strip() if element is not None else ""


def _narrative(element: Any) -> str:
    if element is None:
        return ""
    for child in element:
        if child.tag == "narrative" and child.text:
            return child.text.strip()
    return (element.text or "").strip()


def _date(value: str) -> date:
    return date.fromisoformat(value.strip()[:10])


def _percent(value: str | None) -> Decimal | None:
    if value is None or value.strip() == "":
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _shares(items: list[tuple[str, Decimal | None]], label: str, warnings: list[str]) -> dict[str, Decimal]:
    """Fractions per code: percentages normalised to 1; missing ones split evenly (with a warning)."""
    if not items:
        return {}
    if any(p is None for _c, p in items):
        if len(items) > 1:
            warnings.append(f"{label} percentages missing: split evenly over {len(items)}")
        return {code: Decimal(1) / len(items) for code, _p in items}
    total = sum((p for _c, p in items if p is not None), Decimal(0))
    if total <= 0:
        warnings.append(f"{label} percentages sum to {total}: split evenly over {len(items)}")
        return {code: Decimal(1) / len(items) for code, _p in items}
    if abs(total - 100) > Decimal("0.5"):
        warnings.append(f"{label} percentages sum to {total}, not 100: normalised")
    result: dict[str, Decimal] = {}
    for code, p in items:
        result[code] = result.get(code, Decimal(0)) + (p or Decimal(0)) / total
    return result


def _syntax_error(exc: etree.XMLSyntaxError, last_identifier: str) -> IatiFileError:
    line = getattr(exc, "lineno", None) or (exc.position[0] if exc.position else "?")
    after = f" (after activity {last_identifier})" if last_identifier else ""
    return IatiFileError(f"line {line}: not well-formed XML{after}: {exc.msg}")


_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def _root(path: str) -> tuple[str, str]:
    """The root element's tag and version attribute, read from the head of the file only (an error
    further on is left to the full reading, which names the activity it follows)."""
    parser = etree.XMLPullParser(events=("start",), remove_comments=True, **_SAFE)
    for events, ended, problem in _feed(path, parser):
        for _event, element in events:
            docinfo = element.getroottree().docinfo
            if docinfo.internalDTD is not None or docinfo.doctype:
                raise IatiFileError(
                    "the file declares a DTD or entities, which IATI files never need: refused for safety"
                )
            return element.tag, (element.get("version") or "").strip()
        if problem is not None:
            raise _syntax_error(problem, "")
        if ended:
            break
    raise IatiFileError("not an IATI activity file: no <iati-activities> root element")


def _feed(path: str, parser: Any) -> Iterator[tuple[list[tuple[str, Any]], bool, etree.XMLSyntaxError | None]]:
    """Feed the file to ``parser`` a chunk at a time (memory stays bounded whatever the file's size); after
    each chunk, yield the events it produced, whether the file has ended, and the syntax error met if any
    (the events before the error come first; nothing is read after it)."""
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(CHUNK_BYTES)
            problem: etree.XMLSyntaxError | None = None
            try:
                if chunk:
                    parser.feed(chunk)
                else:
                    parser.close()
            except etree.XMLSyntaxError as exc:
                problem = exc
            yield list(parser.read_events()), not chunk, problem
            if problem is not None or not chunk:
                return


def _prune(root: Any) -> None:
    """Remove every finished element outside the activity being read: at each level of the path the
    parser is on, all children but the last (the one still open) are done. Activities were read and
    cleared as they ended; anything else in the file is not needed."""
    node = root
    while node is not None and node.tag != "iati-activity":
        count = len(node)
        if count > 1:
            del node[: count - 1]
        node = node[0] if count else None


def read_activities(path: str, *, sector: str = SECTOR, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ActivityResult]:
    """Yield each activity of an IATI activity file, normalised. Raises IatiFileError for a file that
    cannot be read (not XML, truncated, not IATI, unsupported version, DTD, too large)."""
    size = os.path.getsize(path)
    if size > max_bytes:
        raise IatiFileError(f"the file is {size:,} bytes; the limit is {max_bytes:,}")
    _refuse_dtd(path)
    tag, version = _root(path)
    if tag == "iati-organisations":
        raise IatiFileError("this is an IATI organisation file, not an activity file")
    if tag != "iati-activities":
        raise IatiFileError(f"not an IATI activity file: no <iati-activities> root element (the root is <{tag}>)")
    if version not in SUPPORTED_VERSIONS:
        raise IatiFileError(f"unsupported IATI version {version or '(none)'}: 2.01-2.03 and 1.0x are read")
    last_identifier = ""
    root = None
    parser = etree.XMLPullParser(
        events=("start", "end"), tag=("iati-activities", "iati-activity"), remove_comments=True, **_SAFE
    )
    problem: etree.XMLSyntaxError | None = None
    for events, ended, met in _feed(path, parser):
        problem = met  # the activities read before an error are yielded first
        for event, element in events:
            if event == "start":
                if root is None:
                    root = element
                continue
            if element.tag != "iati-activity":
                continue
            result = _activity(element, sector)
            last_identifier = result.identifier
            element.clear(keep_tail=False)
            yield result
        if not ended and root is not None:
            _prune(root)
    if problem is not None:
        raise _syntax_error(problem, last_identifier)


def _first(element: Any, tag: str) -> Any:
    return next(element.iterchildren(tag), None)


def _activity(element: Any, sector: str) -> ActivityResult:
    transactions = list(element.iterchildren("transaction"))
    identifier_element = _first(element, "iati-identifier")
    result = ActivityResult(
        identifier=_text(identifier_element) or "(no identifier)",
        line=element.sourceline or 0,
        last_updated=(element.get("last-updated-datetime") or "").strip(),
        reporting_org="",
        content_hash="",
        transactions=len(transactions),
    )
    in_sector = any(
        (s.get("code") or "").strip() == sector and (s.get("vocabulary") or "").strip() in DAC5_VOCABULARIES
        for s in element.iterchildren("sector")
    )
    if not in_sector and not any(_first(t, "sector") is not None for t in transactions):
        return result  # nothing of this activity can count: skip the detailed reading (most activities)
    reporting_ref = reporting_name = ""
    default_currency = (element.get("default-currency") or "").strip()
    funding_refs: set[str] = set()
    sectors: list[tuple[str, Decimal | None]] = []
    countries: list[tuple[str, Decimal | None]] = []
    regions: list[tuple[str, Decimal | None]] = []
    for child in element:
        tag = child.tag
        if tag == "reporting-org":
            reporting_ref, reporting_name = (child.get("ref") or "").strip(), _narrative(child)
        elif tag == "participating-org":
            if (child.get("role") or "").strip() in ("1", "Funding"):
                funding_refs.add((child.get("ref") or "").strip())
        elif tag == "sector":
            vocabulary = (child.get("vocabulary") or "").strip()
            if vocabulary in DAC5_VOCABULARIES:
                sectors.append(((child.get("code") or "").strip(), _percent(child.get("percentage"))))
        elif tag == "recipient-country":
            countries.append(((child.get("code") or "").strip().upper(), _percent(child.get("percentage"))))
        elif tag == "recipient-region":
            regions.append(((child.get("code") or "").strip(), _percent(child.get("percentage"))))
    result.reporting_org = reporting_ref
    result.content_hash = hashlib.sha256(etree.tostring(element)).hexdigest()
    activity_sector = _shares(sectors, "sector", result.warnings).get(sector, Decimal(0)) if sectors else Decimal(0)
    places = [("c:" + c, p) for c, p in countries] + [("r:" + r, p) for r, p in regions]
    activity_places = _shares(places, "recipient", result.warnings) if places else {}
    transaction_sectors = False
    parsed = [_transaction(t, default_currency) for t in transactions]
    incoming_from_others = any(
        t["type"] in INCOMING and ((t["provider_ref"] and t["provider_ref"] != reporting_ref) or t["provider_activity"])
        for t in parsed
    )
    skip = result.skips.append
    for index, t in enumerate(parsed):
        where = f"transaction {index + 1} (line {t['line']})"
        if t["sectors"]:
            transaction_sectors = True
            share = Decimal(1) if sector in t["sectors"] else Decimal(0)
        else:
            share = activity_sector
        if share == 0:
            skip(Skip(where, f"its sectors do not include {sector}"))
            continue
        result.matched = True
        kind = t["type"]
        named = f"{TRANSACTION_TYPES[kind]} (type {kind})" if kind in TRANSACTION_TYPES else f"type {kind or '(none)'}"
        if kind in INCOMING:
            skip(Skip(where, f"{named}: money received is counted once, from the funder's side"))
            continue
        if kind in EXPENDITURE:
            if reporting_ref not in funding_refs:
                skip(Skip(where, "expenditure by an organisation that is not a funder of the activity"))
                continue
            stage = "disbursement"
        elif kind in STAGES:
            stage = STAGES[kind]
        else:
            skip(Skip(where, f"{named} is not a pledge, commitment or disbursement"))
            continue
        if incoming_from_others:
            skip(Skip(where, "passes on money received from another organisation, counted at the funder's side"))
            continue
        if t["error"]:
            result.errors.append(f"activity {result.identifier}, {where}: {t['error']}")
            continue
        if t["value"] == 0:
            skip(Skip(where, "the value is zero" if t["has_value"] else "no value"))
            continue
        place_shares = {("c:" + t["country"]): Decimal(1)} if t["country"] else activity_places
        if not place_shares:
            skip(Skip(where, "no recipient country or region"))
            continue
        counted = 0
        for place, fraction in sorted(place_shares.items()):
            kind_of_place, code = place.split(":", 1)
            amount = (t["value"] * share * fraction).quantize(CENT)
            if amount == 0:
                result.warnings.append(
                    f"{where}: the share for {code} rounds to 0.00 {t['currency']}: not counted for {code}"
                )
                continue
            if abs(amount) > MAX_AMOUNT:  # a value just under the bound, rounded up to the cent
                result.errors.append(
                    f"activity {result.identifier}, {where}: the amount is above the largest amount accepted "
                    f"({MAX_AMOUNT_TEXT})"
                )
                continue
            counted += 1
            result.counted.append(
                Flow(
                    key=f"{result.identifier}|{index}|{place}",
                    activity=result.identifier,
                    reporting_org=reporting_ref,
                    funder_ref=t["provider_ref"] or reporting_ref,
                    funder_name=t["provider_name"] or reporting_name,
                    implementer_ref=t["receiver_ref"],
                    implementer_name=t["receiver_name"],
                    country=code if kind_of_place == "c" else "",
                    region=code if kind_of_place == "r" else "",
                    stage=stage,
                    amount=amount,
                    currency=t["currency"],
                    value_date=t["date"],
                    share=(share * fraction).quantize(Decimal("0.000001")),
                    transaction_type=kind,
                    transaction=where,
                )
            )
        if not counted and not result.errors:
            skip(Skip(where, "the share counted rounds to 0.00 for every recipient"))
    if transaction_sectors and sectors:
        result.warnings.append(
            "sectors are given both for the activity and for transactions: the transactions' are used"
        )
    _net(result)
    return result


def _net(result: ActivityResult) -> None:
    """The ledger's flows of an activity: each negative value reduces the activity's positive flows of
    the same funder, recipient, stage and currency (the latest dated on or before it first, then the
    earliest after it); what remains of it is reported, never dropped."""
    amounts = [flow.amount for flow in result.counted]
    if all(amount > 0 for amount in amounts):
        result.flows = list(result.counted)
        return
    groups: dict[tuple[str, str, str, str, str], list[int]] = {}
    for index, flow in enumerate(result.counted):
        key = (flow.funder_ref, flow.country, flow.region, flow.stage, flow.currency)
        groups.setdefault(key, []).append(index)
    for members in groups.values():
        for index in members:
            reversal = result.counted[index]
            if reversal.amount >= 0:
                continue
            day = reversal.value_date.toordinal()
            candidates = sorted(
                (i for i in members if amounts[i] > 0),
                key=lambda i: (
                    result.counted[i].value_date.toordinal() > day,
                    abs(result.counted[i].value_date.toordinal() - day),
                    i,
                ),
            )
            left = -reversal.amount
            against: list[str] = []
            for i in candidates:
                if left == 0:
                    break
                taken = min(left, amounts[i])
                amounts[i] -= taken
                left -= taken
                against.append(result.counted[i].transaction)
            amounts[index] = Decimal(0)
            place = reversal.country or reversal.region
            result.reversals.append(
                Reversal(
                    transaction=reversal.transaction,
                    amount=reversal.amount,
                    currency=reversal.currency,
                    stage=reversal.stage,
                    funder_ref=reversal.funder_ref,
                    country=reversal.country,
                    region=reversal.region,
                    netted_against=tuple(against),
                    not_in_ledger=left,
                )
            )
            if left:
                result.warnings.append(
                    f"{reversal.transaction}: the reversal of {reversal.amount} {reversal.currency} ({reversal.stage}, "
                    f"{place}) takes back {left} more than this activity counted for the same funder, recipient, "
                    "stage and currency: the report's totals include it, the ledger cannot"
                )
    result.flows = [
        flow if amounts[i] == flow.amount else replace(flow, amount=amounts[i])
        for i, flow in enumerate(result.counted)
        if amounts[i] > 0
    ]


def _transaction(element: Any, default_currency: str) -> dict[str, Any]:
    info: dict[str, Any] = {
        "type": "",
        "value": Decimal(0),
        "has_value": False,
        "currency": default_currency,
        "date": None,
        "provider_ref": "",
        "provider_name": "",
        "provider_activity": "",
        "receiver_ref": "",
        "receiver_name": "",
        "sectors": set(),
        "country": "",
        "error": "",
        "line": element.sourceline or 0,
    }
    transaction_date = ""
    value_date = ""
    for child in element:
        tag = child.tag
        if tag == "transaction-type":
            info["type"] = (child.get("code") or "").strip()
        elif tag == "value":
            value_date = (child.get("value-date") or "").strip()
            info["has_value"] = True
            info["currency"] = (child.get("currency") or "").strip() or default_currency
            try:
                info["value"] = Decimal(_text(child).replace(",", ""))
                if not info["value"].is_finite():
                    raise InvalidOperation
                if abs(info["value"]) > MAX_AMOUNT:
                    info["value"] = Decimal(0)
                    shown = _text(child)[:40]
                    info["error"] = f"the value {shown!r} is above the largest amount accepted ({MAX_AMOUNT_TEXT})"
            except InvalidOperation:
                info["value"] = Decimal(0)
                info["error"] = f"the value {_text(child)[:40]!r} is not a usable number"
        elif tag == "transaction-date":
            transaction_date = (child.get("iso-date") or "").strip()
        elif tag == "provider-org":
            info["provider_ref"] = (child.get("ref") or "").strip()
            info["provider_name"] = _narrative(child)
            info["provider_activity"] = (child.get("provider-activity-id") or "").strip()
        elif tag == "receiver-org":
            info["receiver_ref"] = (child.get("ref") or "").strip()
            info["receiver_name"] = _narrative(child)
        elif tag == "sector" and (child.get("vocabulary") or "").strip() in DAC5_VOCABULARIES:
            info["sectors"].add((child.get("code") or "").strip())
        elif tag == "recipient-country":
            info["country"] = (child.get("code") or "").strip().upper()
    raw_date = value_date or transaction_date
    if not info["error"]:
        if not info["currency"]:
            info["error"] = "no currency on the value and no default currency on the activity"
        elif not raw_date:
            info["error"] = "no value date and no transaction date"
        else:
            try:
                info["date"] = _date(raw_date)
            except ValueError:
                info["error"] = f"the date {raw_date!r} is not in the form YYYY-MM-DD"
    return info


_SCHEMAS: dict[str, Any] = {}


def validate_file(path: str, schema_path: str) -> str:
    """Validate ``path`` against the IATI activities XSD while streaming (no network: the schema's own
    imports are local files). Returns "" when valid, else the first error with its line."""
    if schema_path not in _SCHEMAS:
        _SCHEMAS[schema_path] = etree.XMLSchema(etree.parse(schema_path, etree.XMLParser(no_network=True)))
    _refuse_dtd(path)
    try:
        for _event, element in etree.iterparse(
            path, events=("end",), schema=_SCHEMAS[schema_path], no_network=True, resolve_entities=False, load_dtd=False
        ):
            if element.getparent() is not None and element.getparent().getparent() is None:
                element.clear(keep_tail=False)  # a finished top-level child: keep memory flat
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None) or "?"
        return f"line {line}: not valid against the IATI schema: {exc.msg}"
    return ""
