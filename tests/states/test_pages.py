from datetime import UTC, date, datetime, time

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_day(time_machine):
    """Moves the clock (time-machine) to noon UTC of a day, for the rest of the test."""

    def set_day(day: date) -> None:
        time_machine.move_to(datetime.combine(day, time(12), tzinfo=UTC), tick=False)

    return set_day


def test_home_shows_headline_figures_computed_from_the_registry(client, on_day):
    on_day(date(2026, 11, 28))
    response = client.get("/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.states_parties == 112
    assert figures.signatories == 12
    assert figures.withdrawn == 1
    assert figures.source.as_of == date(2026, 2, 3)
    assert "as of 3 February 2026" in response.content.decode()
    assert figures.obligations == 31
    assert figures.status_counts["overdue"] == 1  # Chad: 1 Oct 2026 passed, no request on record
    assert "Country Coalitions" in response.content.decode()


def test_state_page_shows_lebanon_deadline_extension_and_sources(client, on_day):
    on_day(date(2026, 11, 28))
    response = client.get("/states/LBN/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 May 2021" in html  # original Article 4 deadline
    assert "Extension granted: Clearance (Art 4) until 1 May 2026" in html
    assert "http://www.the-monitor.org/en-gb/reports/2021/lebanon/impact.aspx" in html
    assert "Extension request considered; decision not on record" in html


def test_state_page_shows_bosnia_entry_into_force_with_its_source(client):
    html = client.get("/states/BIH/").content.decode()
    assert '<time datetime="2011-03-01">1 March 2011</time>' in html
    assert "bosnia-and-herzegovina/cluster-munition-ban-policy" in html
    assert "August 2023" in html  # clearance completed, month precision


def test_a_lowercase_code_redirects_to_the_canonical_page(client):
    response = client.get("/states/lbn/")
    assert response.status_code == 301
    assert response["Location"] == "/states/LBN/"


def test_an_unknown_code_is_a_404_page(client):
    response = client.get("/states/QQQ/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_states_list_filters_by_status_obligation_and_region(client):
    rows = client.get("/states/", {"status": "state_party", "obligation": "clearance", "region": "europe"}).context[
        "rows"
    ]
    assert {r.state.iso3 for r in rows} == {"ALB", "BIH", "HRV", "DEU", "MNE", "NOR", "GBR"}
    withdrawn = client.get("/states/", {"status": "withdrawn"}).context["rows"]
    assert [r.state.iso3 for r in withdrawn] == ["LTU"]


def test_states_list_sorts_by_next_open_deadline(client, on_day):
    on_day(date(2026, 11, 28))
    rows = client.get("/states/", {"obligation": "open", "sort": "next_deadline"}).context["rows"]
    deadlines = [r.next_deadline for r in rows if r.next_deadline]
    assert deadlines == sorted(deadlines)
    assert rows[0].state.iso3 == "IRQ"  # 1 November 2023, request outcome unknown


def test_an_invalid_filter_value_shows_all_states_rather_than_failing(client):
    response = client.get("/states/", {"status": "bogus"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 197  # every State, no territory


def test_states_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, django_assert_max_num_queries):
    # States, obligations, extension requests (sources joined in); the rest stores the table in the shared
    # cache (a database table on the embedded default) with its topics' versions
    with django_assert_max_num_queries(23):
        first = client.get("/states/")
    with django_assert_num_queries(2):  # then from the shared cache: the versions, the table
        second = client.get("/states/")
    rows = first.content.decode().count('<th scope="row">')
    assert rows > 150 and second.content.decode().count('<th scope="row">') == rows


def test_deadline_board_groups_open_obligations(client, on_day, django_assert_max_num_queries):
    on_day(date(2026, 11, 28))
    with django_assert_max_num_queries(3):
        response = client.get("/deadlines/")
    board = response.context["board"]
    assert [r.state.iso3 for r in board.overdue] == ["TCD"]
    considered = {r.state.iso3 for r in board.decision_not_on_record}
    assert considered == {"AFG", "CHL", "DEU", "IRQ", "LAO", "LBN", "MRT", "SOM"}  # 13MSP, decision not on record
    assert board.pending == []
    assert [r.state.iso3 for r in board.unknown] == ["GBR"]


def test_deadline_board_on_an_earlier_day(client, on_day):
    on_day(date(2025, 6, 1))
    board = client.get("/deadlines/").context["board"]
    assert "TCD" in {r.state.iso3 for r in board.later}  # 1 October 2026 is more than a year away


def test_pages_are_marked_up_for_assistive_technology(client):
    html = client.get(reverse("states:list")).content.decode()
    assert '<html lang="en">' in html
    assert 'href="#main"' in html
    assert '<label for="id_status">' in html


def test_the_stylesheet_is_found_by_the_static_finders():
    from django.contrib.staticfiles import finders

    assert finders.find("ccm/site.css")


def test_an_undated_grant_is_placed_at_the_deadline_it_replaced(client):
    timeline = client.get("/states/LBN/").context["timeline"]
    titles = [event.title for event in timeline]
    granted = titles.index("Extension granted: Clearance (Art 4) until 1 May 2026")
    assert titles.index("Original deadline: Clearance (Art 4)") < granted
    assert granted < titles.index("Extension requested: Clearance (Art 4) until a date not on record")


def test_states_export_lists_the_states_of_the_page_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    import csv
    import io

    # States, obligations, extension requests, and the list stored in the shared cache; then from the cache
    with django_assert_max_num_queries(10):
        client.get("/states/export.csv", {"status": "state_party", "region": "europe"})
    with django_assert_num_queries(2):
        response = client.get("/states/export.csv", {"status": "state_party", "region": "europe"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    listed = {
        r.state.iso3 for r in client.get("/states/", {"status": "state_party", "region": "europe"}).context["rows"]
    }
    assert {r["iso3"] for r in rows} == listed and "ATA" not in listed
    assert all(r["treaty_status"] == "State Party" for r in rows)
    xlsx = client.get("/states/export.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
