"""Text that every output survives (ccm.core.text): which characters are kept, forms refuse line breaks in
one-line fields, models clean on the way in, mail subjects are one line."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms
from django.core import mail
from hypothesis import given, settings
from hypothesis import strategies as st

import ccm
from ccm.core.forms import CleanTextMixin
from ccm.core.tasks import send_once
from ccm.core.text import clean_text, one_line, text_problem
from ccm.needs.forms import NeedForm
from ccm.needs.models import Need
from ccm.states.models import State
from tests.factories import NeedFactory, ObstacleFactory

# Any code point, lone surrogates included, with the troublesome ones drawn often.
HOSTILE = "\x00\x01\x08\x0b\x0c\r\n\t\x1b\x1c\x1f\x7f\x80\x85\x9f\ud800\udfff\ufffe\uffff\u2028\u2029=+-@"
any_text = st.text(
    st.one_of(st.characters(codec=None, exclude_categories=()), st.sampled_from(list(HOSTILE))), max_size=80
)
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
BREAKS = re.compile("[\n\r\t\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


@given(any_text)
def test_clean_text_keeps_no_control_character_and_is_idempotent(value):
    for multiline in (True, False):
        cleaned = clean_text(value, multiline=multiline)
        assert not FORBIDDEN.search(cleaned)
        assert clean_text(cleaned, multiline=multiline) == cleaned
        cleaned.encode("utf-8")  # every writer can encode it
    assert not BREAKS.search(clean_text(value, multiline=False))
    assert not BREAKS.search(one_line(value))


def test_ordinary_unicode_tabs_and_newlines_are_kept():
    text = "Déminage — لبنان 地雷 🙂 e\u0301\tcolumn\nsecond line"
    assert clean_text(text, multiline=True) == text
    assert clean_text("a\r\nb\rc", multiline=True) == "a\nb\nc"
    assert clean_text("Title\x0bwith\x00controls\x85", multiline=True) == "Titlewithcontrols"
    assert clean_text("Two\r\nlines", multiline=False) == "Two lines"
    assert text_problem("Two\r\nlines", multiline=False) and text_problem("one\u2028two", multiline=False)
    assert text_problem("Two\nlines", multiline=True) is None


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module_info in pkgutil.walk_packages(ccm.__path__, "ccm."):
        if not module_info.name.endswith("forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
                found.append(obj)
    return found


def test_every_form_of_the_platform_cleans_its_text():
    classes = _form_classes()
    assert len(classes) > 20  # the walk found the forms
    assert [c.__name__ for c in classes if not issubclass(c, CleanTextMixin)] == []


@pytest.mark.django_db
def test_the_need_form_refuses_a_title_on_two_lines_and_strips_control_characters():
    lebanon = State.objects.get(iso3="LBN")
    data = {
        "title": "Teams\r\nBcc: everyone@example.org",
        "pillar": "clearance",
        "modality": "financial",
        "description": "First line\r\nsecond\x0b line\x1b",
        "amount": "1000",
        "currency": "USD",
        "visibility": "public",
        "priority": "2",
    }
    form = NeedForm(data, state=lebanon)
    assert not form.is_valid()
    assert "one line" in str(form.errors["title"])
    form = NeedForm({**data, "title": "Teams\u2028for the south"}, state=lebanon)
    assert not form.is_valid() and "one line" in str(form.errors["title"])
    form = NeedForm({**data, "title": "Teams\x0b for\x1b the south\x7f"}, state=lebanon)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "Teams for the south"
    assert form.cleaned_data["description"] == "First line\nsecond line"
    form = NeedForm({**data, "title": "\x07\x1b"}, state=lebanon)
    assert not form.is_valid() and "title" in form.errors  # nothing left but controls: required


@pytest.mark.django_db
def test_text_is_cleaned_when_saved_through_a_service():
    need = NeedFactory(published=False, title="A\r\nB\x0bC", description="one\r\ntwo\x0b\x00")
    need = Need.objects.get(pk=need.pk)
    assert (need.title, need.description) == ("A BC", "one\ntwo")
    obstacle = ObstacleFactory(statement="No\x0c access\r\nthis year\x9f")
    obstacle.refresh_from_db()
    assert obstacle.statement == "No access\nthis year"


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
@given(subject=any_text, body=any_text)
def test_a_mail_subject_is_always_one_line(subject, body):
    mail.outbox.clear()
    key = f"test-{len(mail.outbox)}-{hash((subject, body))}"
    if not send_once(key=key, kind="test", recipient="someone@example.org", subject=subject, body=body):
        return  # the same example drawn twice: the ledger says it was sent
    (message,) = mail.outbox
    assert not BREAKS.search(message.subject) and not FORBIDDEN.search(message.subject)
    assert not FORBIDDEN.search(message.body)
    message.message().as_bytes()  # the whole message renders
