"""The API documentation describes every resource: each operation has a description and a tag, and each
tag is declared with a description in the schema's introduction (a new endpoint without one fails here)."""

from __future__ import annotations

import pytest
import yaml
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield f"{method.upper()} {path}", operation


def test_every_operation_is_described_and_tagged(schema):
    undescribed = [name for name, op in _operations(schema) if not (op.get("description") or "").strip()]
    untagged = [name for name, op in _operations(schema) if not op.get("tags")]
    assert undescribed == [] and untagged == []


def test_every_tag_is_declared_with_a_description(schema):
    declared = {tag["name"]: tag.get("description", "") for tag in settings.SPECTACULAR_SETTINGS["TAGS"]}
    used = {tag for _, op in _operations(schema) for tag in op["tags"]}
    assert sorted(used - set(declared)) == []
    assert all(declared[tag].strip() for tag in used)
    assert {tag["name"] for tag in schema["tags"]} >= used


def test_the_introduction_explains_access_pagination_and_the_resources(schema):
    text = schema["info"]["description"]
    for words in (
        "Authorization: Token",
        "404",
        "403",
        "limit",
        "offset",
        "needs",
        "funding ledger",
        "completion plans",
    ):
        assert words in text
