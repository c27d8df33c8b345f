"""The smart-city unit's pages in headless Chromium: readings sent over HTTP show on the live map
(coloured by state, over Kent's own base map), on the asset's chart and in the dashboard's charts,
with Chart.js and Leaflet served by Kent; nothing leaves 127.0.0.1."""

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.browser.conftest import live_data
from tests.browser.test_editor import log_in as editor_log_in

from ..conftest import ts

pytestmark = [pytest.mark.browser, live_data]

RED, GREEN = "#c8553d", "#2a9d8f"


@pytest.fixture
def watched_city(make_asset, make_device):
    """A full container, a car park over an hour (half empty now) and a signal in fault, one batch."""
    make_asset("WasteContainer", "kont-b1", binCapacity=800)
    make_asset("OffStreetParking", "otopark-b1", totalSpotNumber=120)
    make_asset("TrafficSignal", "sinyal-b1")
    _, token = make_device(kinds=("OffStreetParking", "WasteContainer", "TrafficSignal"))
    batch = [{"id": "kont-b1", "type": "WasteContainer", "dateObserved": ts(300 * k), "fillingLevel": 0.95 - k / 20}
             for k in range(8)]
    batch += [{"id": "otopark-b1", "type": "OffStreetParking", "dateObserved": ts(600 * k), "totalSpotNumber": 120,
               "availableSpotNumber": 60 - 10 * k} for k in range(6)]
    batch += [{"id": "sinyal-b1", "type": "TrafficSignal", "dateObserved": ts(30), "mode": "fault"}]
    response = Client().post("/api/smartcity/readings/", json.dumps(batch), content_type="application/json",
                             HTTP_X_DEVICE_TOKEN=token)
    assert response.status_code == 201, response.content
    User.objects.create_user("izleme", password="gizli-parola", is_staff=True)
    return len(batch)


def log_in(page, live_server, next_path: str) -> None:
    editor_log_in(page, live_server, next_path, "izleme")


def assert_stayed_local(browser_page) -> None:
    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"
    assert browser_page.broken_assets("/static/", "/api/smartcity/", "/akilli-kent/") == []


def test_live_map_colours_assets_by_state_over_kents_base_map(live_server, browser_page, watched_city):
    from playwright.sync_api import expect

    page = browser_page.page
    log_in(page, live_server, "/akilli-kent/harita/")
    tiles = page.locator("img.leaflet-tile[src*='/tiles/basemap/']")
    expect(tiles.first).to_be_attached()
    page.wait_for_function("document.querySelectorAll('img.leaflet-tile-loaded').length > 0")
    page.wait_for_function("() => window.KentLiveMap && "
                           "KentLiveMap.layers.reduce((n, l) => n + l.getLayers().length, 0) >= 3")
    colours = page.evaluate("""() => {
        const out = {};
        KentLiveMap.layers.forEach((l) => l.eachLayer((m) => {
            out[m.feature.properties.assetId] = m.options.fillColor;
        }));
        return out;
    }""")
    # the container at 95 % is red, the car park with 60 of 120 free green, the signal in fault red
    assert colours == {"kont-b1": RED, "otopark-b1": GREEN, "sinyal-b1": RED}
    overlays = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert {"Atık konteyneri", "Otopark", "Sinyalize kavşak"} <= {t.strip() for t in overlays}
    page.locator(".sc-legend").wait_for()
    browser_page.screenshot("akilli-kent-1-harita")
    assert_stayed_local(browser_page)


def test_asset_page_charts_the_last_day(live_server, browser_page, watched_city):
    from playwright.sync_api import expect

    page = browser_page.page
    log_in(page, live_server, "/akilli-kent/varlik/kont-b1/")
    expect(page.locator("h1")).to_contain_text("kont-b1")
    canvas = page.locator("#sc-asset-charts canvas[aria-label='fillingLevel']")
    expect(canvas).to_be_visible()
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length > 0")
    points = page.evaluate("""() => Object.values(Chart.instances)
        .filter((c) => c.canvas.getAttribute('aria-label') === 'fillingLevel')
        .map((c) => c.data.datasets[0].data.length)""")
    assert points == [8]
    expect(page.locator("#sc-asset-empty")).to_be_hidden()
    browser_page.screenshot("akilli-kent-2-varlik")
    assert_stayed_local(browser_page)


def test_dashboard_draws_its_charts_from_the_indicators(live_server, browser_page, watched_city):
    from playwright.sync_api import expect

    page = browser_page.page
    log_in(page, live_server, "/akilli-kent/")
    page.wait_for_function("() => window.Chart && Chart.getChart('sc-parking') && Chart.getChart('sc-fill')")
    parking = page.evaluate("() => Chart.getChart('sc-parking').data.datasets.map((d) => d.data.length)")
    assert parking and max(parking) >= 6
    fill = page.evaluate("() => Chart.getChart('sc-fill').data.datasets[0].data.reduce((a, b) => a + b, 0)")
    assert fill == 1
    expect(page.locator("#sc-alerts tr")).not_to_have_count(0)
    browser_page.screenshot("akilli-kent-3-pano")
    assert_stayed_local(browser_page)
