"""In real Chromium: sign in, open the dyad explorer, see the chart drawn from the API, click a
bar and see the events behind it listed."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from comity.core.testing.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The pixel (page coordinates) of the middle of bar ``index`` of the events series, and its period.
BAR_MIDDLE = """(index) => {
  const element = document.getElementById("events-series-chart");
  const chart = echarts.getInstanceByDom(element);
  const option = chart.getOption();
  const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [index, option.series[0].data[index] / 2]);
  const box = element.getBoundingClientRect();
  return [box.left + x, box.top + y, option.xAxis[0].data[index]];
}"""


def click_bar(page: Any, index: int, period: str) -> None:
    """Click the middle of bar ``index`` as a user would, until the page lists its events.

    The bar's position is read just before each click; on a loaded machine the layout can still
    move between reading and clicking (and a click that lands beside the bar does nothing), so a
    click is tried up to three times before the test gives up.
    """
    for _ in range(3):
        x, y, shown = page.evaluate(BAR_MIDDLE, index)
        assert shown == period
        page.mouse.click(x, y)
        try:
            page.wait_for_selector(f"#events-chart[data-events-period='{period}']", timeout=10000)
            return
        except PlaywrightTimeoutError:
            continue
    title = page.locator("#events-list-title").text_content()
    raise AssertionError(f"clicking bar {index} never listed the events of {period} (list title: {title!r})")


@pytest.fixture
def store(reference_data: None, web_store: dict[str, Any]) -> dict[str, Any]:
    return web_store  # after the reference data: the store's labels need the policies


@pytest.fixture
def page(chromium: Any, store: dict[str, Any]) -> Any:
    return chromium.new_page()


def test_dyad_explorer_draws_the_series_and_lists_the_events_of_a_clicked_bar(page: Any, live_server: Any) -> None:
    make_user("NLD", "RESTRICTED", username="analyst")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/events/?source=USA&target=RUS&freq=month&from=2012-01-01&to=2012-06-30")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_url("**/events/?*")
    page.wait_for_selector("#events-chart[data-state=ready]", timeout=15000)
    assert errors == []
    assert page.locator("#events-chart").get_attribute("data-periods") == "6"
    assert "in 6 periods (month)" in page.locator("#events-chart-summary").text_content()
    assert page.locator("#events-series-chart svg path").count() > 6  # bars, line, axes
    assert page.locator("#events-quad-chart svg").count() == 1

    click_bar(page, 1, "2012-02")
    count = int(page.locator("#events-chart").get_attribute("data-events-count"))
    assert count > 0
    assert page.locator("#events-list-title").text_content() == f"USA → RUS, 2012-02: {count} events"
    assert page.locator("#events-list-rows tr").count() == min(count, 50)
    assert page.locator("#events-list-rows tr td").first.text_content().startswith("2012-02")

    page.select_option("#events-period", "0|2012-05")
    page.wait_for_selector("#events-chart[data-events-period='2012-05']", timeout=15000)
    assert page.locator("#events-list-title").text_content().startswith("USA → RUS, 2012-05: ")
    assert errors == []
