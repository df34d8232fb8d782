"""The shared cache of aggregates (ccm/core/cache.py): a write through a service invalidates exactly the values
computed from its topic, once it commits; the language is part of every key."""

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation

from ccm.core import audit
from ccm.core import cache as aggregates
from ccm.states.models import State

pytestmark = pytest.mark.django_db


class Builder:
    def __init__(self, value: str):
        self.value = value
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return f"{self.value}-{self.calls}"


def test_the_default_cache_is_shared_by_every_process():
    # the embedded default keeps the cache in the database, which the task worker writes too
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_a_value_is_built_once_and_then_read_from_the_cache():
    build = Builder("registry")
    first = aggregates.cached("t-once", topics=["states"], build=build)
    second = aggregates.cached("t-once", topics=["states"], build=build)
    assert first == second == "registry-1" and build.calls == 1


def test_a_write_invalidates_what_its_topic_feeds_and_nothing_else(django_capture_on_commit_callbacks):
    states_value, funding_value = Builder("states"), Builder("funding")
    aggregates.cached("t-states", topics=["states"], build=states_value)
    aggregates.cached("t-funding", topics=["funding"], build=funding_value)
    lebanon = State.objects.get(iso3="LBN")
    # (the test runs inside a transaction: the commit's callbacks are run as a commit would run them)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit.record(actor=None, action="state.load_reference", obj=lebanon, new={"name": lebanon.name})
    assert aggregates.cached("t-states", topics=["states"], build=states_value) == "states-2"
    assert aggregates.cached("t-funding", topics=["funding"], build=funding_value) == "funding-1"


def test_an_action_without_an_object_invalidates_the_app_that_declared_it(django_capture_on_commit_callbacks):
    funding_value = Builder("coverage")
    aggregates.cached("t-import", topics=["funding"], build=funding_value)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit.record(actor=None, action="iati_import.apply", label="file.xml", new={"created": 1})
    assert aggregates.cached("t-import", topics=["funding"], build=funding_value) == "coverage-2"


def test_a_value_computed_before_the_commit_is_not_read_after_it(django_capture_on_commit_callbacks):
    build = Builder("states")
    aggregates.cached("t-commit", topics=["states"], build=build)
    lebanon = State.objects.get(iso3="LBN")
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        audit.record(actor=None, action="state.load_reference", obj=lebanon, new={"name": lebanon.name})
    # the write invalidates at once; another reader computes before the commit (from the old rows) ...
    assert aggregates.cached("t-commit", topics=["states"], build=build) == "states-2"
    assert callbacks, "the commit bumps the version again"
    for callback in callbacks:
        callback()
    # ... and after the commit that value is not read: it is computed again
    assert aggregates.cached("t-commit", topics=["states"], build=build) == "states-3"


def test_bump_all_invalidates_every_topic():
    build = Builder("any")
    aggregates.cached("t-all", topics=["needs"], build=build)
    aggregates.bump_all()
    assert aggregates.cached("t-all", topics=["needs"], build=build) == "any-2"


def test_the_language_and_the_parts_are_in_the_key():
    build = Builder("labels")
    with translation.override("en"):
        english = aggregates.cached("t-lang", topics=["states"], build=build)
    with translation.override("fr"):
        french = aggregates.cached("t-lang", topics=["states"], build=build)
    assert english != french and build.calls == 2
    assert aggregates.cached("t-lang", topics=["states"], build=build, parts=["region=150"]) == "labels-3"


def test_a_lost_version_only_invalidates():
    from django.core.cache import cache

    build = Builder("states")
    aggregates.cached("t-lost", topics=["states"], build=build)
    cache.delete("topic-version:states")  # evicted
    assert aggregates.cached("t-lost", topics=["states"], build=build) == "states-2"
