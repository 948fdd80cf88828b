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
  const bar = chart.getOption().series[0].data[index];
  const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [bar.value[0], bar.value[1] / 2]);
  const box = element.getBoundingClientRect();
  return [box.left + x, box.top + y, bar.period];
}"""

#: The x pixel of each bar of the events series, by period.
BAR_XS = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById("events-series-chart"));
  return Object.fromEntries(chart.getOption().series[0].data.map((bar) =>
    [bar.period, chart.convertToPixel({ seriesIndex: 0 }, bar.value)[0]]));
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
def store(transactional_db: None, web_store: dict[str, Any]) -> dict[str, Any]:
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


def test_the_time_axis_shows_empty_periods_as_gaps(page: Any, live_server: Any) -> None:
    """NATO -> RUS has stored events in 1982-01, 2000-01 and 2012-01 (among others): on a time axis
    the 18 years between the first two take half again the room of the 12 years after."""
    make_user("NLD", username="gapreader")
    page.goto(f"{live_server.url}/events/?source=NATO&target=RUS&freq=month")
    page.fill("#id_username", "gapreader")
    page.fill("#id_password", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_url("**/events/?*")
    page.wait_for_selector("#events-chart[data-state=ready]", timeout=15000)
    chart = page.locator("#events-chart")
    periods, span = int(chart.get_attribute("data-periods")), int(chart.get_attribute("data-span"))
    assert span > periods  # empty months between the first and the last
    assert (
        f"the other {span - periods} periods of that span have none (gaps)"
        in page.locator("#events-chart-summary").text_content()
    )
    xs = page.evaluate(BAR_XS)
    assert {"1982-01", "2000-01", "2012-01"} <= set(xs)
    first, second = xs["2000-01"] - xs["1982-01"], xs["2012-01"] - xs["2000-01"]
    assert first == pytest.approx(second * 216 / 144, rel=0.02)  # months apart, to scale
    assert "gap, not a zero bar" in page.locator("#events-gaps-note").text_content()
