"""In real Chromium, on the shipped records: the calendar opens on a month that has records and
draws a multi-day record as one bar across its days; the year view shows the records; the
network draws the filtered nations and links and its table lists the same links.

Screenshots go to the test's temporary folder (``--basetemp`` to keep them) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from comity.core.testing.browser import sign_in
from comity.core.testing.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(chromium: Any, transactional_db: None) -> Any:
    make_user("NLD", "SECRET", username="watchkeeper")
    page = chromium.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return page


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector)
    assert found.count() == 1, f"{selector}: {found.count()} elements"
    return found.bounding_box()


def test_the_calendar_opens_on_records_and_draws_one_bar_per_record(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    sign_in(page, f"{live_server.url}/engagements/calendar/", "watchkeeper")
    # The last shipped record starts on 28 November 2024 (a Baltic Air Policing rotation).
    assert page.text_content("h1") == "November 2024"
    assert "nearest today" in page.text_content("#cal-nearest")
    assert page.locator('.cal-bar[data-key="bap-2024-11-ita-siauliai"]').count() == 1
    page.screenshot(path=str(tmp_path / "calendar-opening.png"), full_page=True)

    # Ramstein Legacy 2022 ran Monday 6 to Friday 10 June 2022: one bar from Monday's column to Friday's.
    page.goto(f"{live_server.url}/engagements/calendar/?year=2022&month=6")
    bar = box(page, '.cal-bar[data-key="ramstein-legacy-2022"]')
    monday, friday = box(page, '.cal-day[data-day="2022-06-06"]'), box(page, '.cal-day[data-day="2022-06-10"]')
    assert monday["x"] <= bar["x"] <= monday["x"] + 8
    assert friday["x"] + friday["width"] - 8 <= bar["x"] + bar["width"] <= friday["x"] + friday["width"]
    assert monday["y"] < bar["y"] < monday["y"] + monday["height"]
    assert bar["height"] < 30  # one line, not a copy per day stacked up
    page.screenshot(path=str(tmp_path / "calendar-june-2022.png"), full_page=True)

    # Trident Juncture 2018 (Thursday 25 October to 7 November) is split where the week row ends.
    page.goto(f"{live_server.url}/engagements/calendar/?year=2018&month=10")
    pieces = page.locator('.cal-bar[data-key="trident-juncture-2018"]')
    assert pieces.count() == 2
    first, second = pieces.nth(0).bounding_box(), pieces.nth(1).bounding_box()
    thursday, sunday = box(page, '.cal-day[data-day="2018-10-25"]'), box(page, '.cal-day[data-day="2018-10-28"]')
    assert abs(first["x"] - thursday["x"]) <= 8
    assert abs(first["x"] + first["width"] - sunday["x"] - sunday["width"]) <= 1
    assert second["y"] > first["y"] + 40 and second["width"] > first["width"] * 1.5
    assert "cal-bar--after" in pieces.nth(0).get_attribute("class")
    assert "cal-bar--before" in pieces.nth(1).get_attribute("class")
    page.screenshot(path=str(tmp_path / "calendar-october-2018.png"), full_page=True)

    page.click("#cal-year-link")
    page.wait_for_selector("#year-calendar")
    assert page.text_content("h1") == "Engagements in 2018"
    october = page.locator('.cal-mini[data-month="2018-10"]')
    assert october.locator('a[data-key="trident-juncture-2018"]').count() == 1
    assert "cal-busy-" in october.locator('td[data-day="2018-10-25"]').get_attribute("class")
    page.screenshot(path=str(tmp_path / "calendar-year-2018.png"), full_page=True)
    # Exercises only: none ran in January 2018, so none of its days is shaded.
    page.select_option("#calendar-filters select[name=kind]", "exercise")
    page.click("#calendar-filters button[type=submit]")
    page.wait_for_url("**kind=exercise**")
    assert page.locator('.cal-mini[data-month="2018-01"] td[class^="cal-busy-"]').count() == 0
    assert page.locator('.cal-mini[data-month="2018-10"] td[data-day="2018-10-25"][class^="cal-busy-"]').count() == 1
    assert page.errors == []


def drawn(page: Any) -> dict[str, Any]:
    page.wait_for_selector("#network[data-ready=true]", timeout=20000)
    return page.evaluate(
        """() => {
            const cy = window.comityNetwork;
            return {
                nodes: cy.nodes().map((n) => n.id()).sort(),
                edges: Object.fromEntries(cy.edges().map((e) => [e.id(), e.data('weight')])),
                widths: Object.fromEntries(cy.edges().map((e) => [e.id(), parseFloat(e.renderedStyle('width'))])),
                labelled: cy.nodes('.labelled').length,
                inside: cy.nodes().every((n) => {
                    const p = n.renderedPosition();
                    return p.x >= 0 && p.y >= 0 && p.x <= cy.width() && p.y <= cy.height();
                }),
            };
        }"""
    )


def table_rows(page: Any) -> list[tuple[str, str, int]]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#network-pairs tbody tr[data-source]'))
            .map((r) => [r.dataset.source, r.dataset.target, Number(r.dataset.weight)])"""
    )


def test_the_network_draws_the_filtered_links_and_the_table_lists_them(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    sign_in(page, f"{live_server.url}/engagements/network/", "watchkeeper")
    graph = drawn(page)
    rows = table_rows(page)
    assert len(rows) == len(graph["edges"]) == 80  # the page's default: the 80 heaviest links
    assert graph["labelled"] == len(graph["nodes"]) == 18 and graph["inside"]
    page.screenshot(path=str(tmp_path / "network-default.png"), full_page=True)

    page.goto(f"{live_server.url}/engagements/network/?top=")  # every link: names for the 15 most linked only
    graph = drawn(page)
    assert len(graph["nodes"]) == 50 and len(table_rows(page)) == len(graph["edges"]) > 900
    assert graph["labelled"] == 15 and graph["inside"]

    page.goto(f"{live_server.url}/engagements/network/?start=2018&end=2018&kind=exercise&min_weight=2")
    graph = drawn(page)
    rows = table_rows(page)
    assert rows and {f"{a}-{b}": w for a, b, w in rows} == graph["edges"]
    assert min(w for _a, _b, w in rows) >= 2
    assert graph["nodes"] == sorted({a for a, _b, _w in rows} | {b for _a, b, _w in rows})
    heaviest = max(graph["edges"], key=graph["edges"].get)
    lightest = min(graph["edges"], key=graph["edges"].get)
    assert graph["widths"][heaviest] > graph["widths"][lightest]
    assert [w for _a, _b, w in rows] == sorted((w for _a, _b, w in rows), reverse=True)

    page.click('#network-pairs button[data-sort="pair"]')
    names = page.eval_on_selector_all("#network-pairs tbody tr", "rows => rows.map((r) => r.dataset.pair)")
    assert names == sorted(names)
    page.click('#network-pairs button[data-sort="pair"]')
    names = page.eval_on_selector_all("#network-pairs tbody tr", "rows => rows.map((r) => r.dataset.pair)")
    assert names == sorted(names, reverse=True)
    page.click("#network-pairs tbody tr:first-child")
    assert page.evaluate("() => window.comityNetwork.edges('.picked').length") == 1
    page.screenshot(path=str(tmp_path / "network-2018-exercises.png"), full_page=True)

    page.select_option("#network-layout", "groups")
    page.click("#network-filters button[type=submit]")
    page.wait_for_url("**layout=groups**")
    graph = drawn(page)
    assert graph["inside"] and graph["labelled"] == len(graph["nodes"])
    page.screenshot(path=str(tmp_path / "network-2018-groups.png"), full_page=True)
    assert page.errors == []
