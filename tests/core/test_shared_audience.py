"""What is cached for a shared audience (ccm.core.policies.shared_audience) is only ever served to readers who
see exactly the same rows; nobody gets a cached page part holding another person's data."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ccm.core.policies import shared_audience
from ccm.funding.models import FundingFlow
from ccm.funding.policies import flows
from ccm.needs.models import Need
from ccm.needs.policies import needs
from ccm.reporting.models import CompletionPlan
from ccm.reporting.policies import plans
from tests.factories import FlowFactory, NeedFactory
from tests.personas import ALL_PERSONAS, organisation, persona

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("policy", "model"), [(flows, FundingFlow), (needs, Need), (plans, CompletionPlan)])
def test_every_reader_of_a_shared_audience_sees_the_same_rows(policy, model, lebanon_reported):
    FlowFactory(visibility="organisation", amount=7)
    NeedFactory(title="Kept to chosen donors", visibility="chosen", chosen_donors=[organisation("operator")])
    NeedFactory(title="For signed-in readers", visibility="platform")
    NeedFactory(title="Not published", published=False)
    everything = set(model.objects.values_list("pk", flat=True))
    seen: dict[str, set[frozenset[int]]] = {}
    for name in ALL_PERSONAS:
        user = persona(name).user if name != "anonymous" else AnonymousUser()
        rows = frozenset(policy.visible_to(user).values_list("pk", flat=True))
        seen.setdefault(shared_audience(user), set()).add(rows)
    assert all(len(variants) == 1 for variants in seen.values()), "readers of one audience see different rows"
    assert seen["everything"] == {frozenset(everything)}
    assert everything - next(iter(seen["public"])), "the test world holds rows the public does not see"
    # the viewer, editor and manager of one organisation are one audience; other organisations are others
    assert len(seen) >= 5
    assert shared_audience(persona("state_viewer").user) == shared_audience(persona("state_manager").user)
    assert shared_audience(persona("state_viewer").user) != shared_audience(persona("other_state_manager").user)


def _page(name: str, url: str) -> str:
    response = persona(name).client().get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("first", ["coordinator", "anonymous", "io_editor"])
def test_a_cached_board_never_shows_one_reader_what_only_another_may_see(first):
    NeedFactory(title="Open to everyone")
    NeedFactory(title="Only for the chosen operator", visibility="chosen", chosen_donors=[organisation("operator")])
    NeedFactory(title="Only for signed-in readers", visibility="platform")
    _page(first, "/needs/")  # whoever comes first fills the cache for their audience
    anonymous = _page("anonymous", "/needs/")
    coordinator = _page("coordinator", "/needs/")
    operator = _page("operator_viewer", "/needs/")
    io = _page("io_editor", "/needs/")
    assert "Open to everyone" in anonymous
    assert "Only for the chosen operator" not in anonymous and "Only for signed-in readers" not in anonymous
    assert "Only for the chosen operator" in coordinator and "Only for signed-in readers" in coordinator
    assert "Only for the chosen operator" in operator
    assert "Only for the chosen operator" not in io and "Only for signed-in readers" in io


@pytest.mark.parametrize("first", ["coordinator", "anonymous", "io_editor"])
def test_cached_coverage_never_counts_a_flow_for_a_reader_who_may_not_see_it(first):
    FlowFactory(amount=1000)
    FlowFactory(amount=987654, visibility="organisation")  # the international organisation's own
    _page(first, "/funding/states/LBN/")
    assert "987,654" not in _page("anonymous", "/funding/states/LBN/")
    assert "988,654" in _page("coordinator", "/funding/states/LBN/")
    assert "988,654" in _page("io_editor", "/funding/states/LBN/")
    assert "987,654" not in _page("operator_viewer", "/funding/states/LBN/")
    assert "988,654" not in _page("anonymous", "/funding/states/LBN/")


def test_a_write_shows_on_the_next_read_of_a_cached_board():
    NeedFactory(title="The first need")
    assert "The first need" in _page("anonymous", "/needs/")
    NeedFactory(title="A need published later")
    assert "A need published later" in _page("anonymous", "/needs/")


@pytest.mark.parametrize("first", ["io_editor", "anonymous", "operator_viewer"])
def test_cached_explorer_figures_follow_the_reader(first):
    FlowFactory(amount=1000)
    FlowFactory(amount=987654, visibility="organisation")  # the international organisation's own
    _page(first, "/funding/explorer/")
    for name, sees in [("anonymous", False), ("operator_viewer", False), ("io_editor", True), ("io_viewer", True)]:
        page = _page(name, "/funding/explorer/")
        assert ("988,654" in page) is sees, name
        assert ("987,654" in page) is sees, name


def _fragment(user, text):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/needs/?page=1")
    request.user = user
    template = Template('{% load ccm %}{% shared_fragment "probe" "needs" %}' + text + "{% endshared_fragment %}")
    return template.render(Context({"request": request, "user": user}))


def test_a_members_page_part_is_kept_for_that_person_only_and_follows_a_change_of_role():
    from ccm.accounts import services as accounts
    from ccm.accounts.models import Membership

    editor, viewer = persona("state_editor").user, persona("state_viewer").user
    probe = "{{ user.email }}:{% for m in user.memberships.all %}{{ m.role }}{% endfor %}"
    assert _fragment(editor, probe) == f"{editor.email}:editor"
    assert _fragment(viewer, probe) == f"{viewer.email}:viewer"  # same organisation, another person
    assert _fragment(editor, probe) == f"{editor.email}:editor"  # read back, not re-rendered for the viewer
    membership = Membership.objects.get(user=viewer)
    accounts.membership_change_role(membership=membership, role="editor", actor=persona("state_manager").user)
    viewer = type(viewer).objects.get(pk=viewer.pk)  # a new request: memberships read again
    assert _fragment(viewer, probe) == f"{viewer.email}:editor"
