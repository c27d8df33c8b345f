"""Numbering from the browser in headless Chromium: an officer picks a building without a door
beside Lale Sokak, starts an infill plan, sees the proposed number on the map, approves it with a
comment, gives the door its unit, makes the documents in one click and downloads the address card
(its PDF text read with pdftotext) and the sign list (CSV parsed)."""

import csv
import io
import json

import pytest

from numarataj.models import Adres, NumberingPlan, Yapi

from .conftest import live_data
from .register_district import box, pdf_text
from .test_editor import log_in

pytestmark = [pytest.mark.browser, live_data]


@pytest.fixture
def lale_sokak(lale_district) -> Yapi:
    """The shared district (tests/browser/register_district.py) and a new building between doors
    1 and 5 that has no door yet."""
    return Yapi.objects.create(mahalle=lale_district.mahalleler.get(), ad="Yeni Apartman", geom=box(244, 10, 256, 24))


def test_officer_numbers_a_new_building_and_downloads_its_card(live_server, browser_page, lale_sokak):
    from playwright.sync_api import expect

    page = browser_page.page
    log_in(page, live_server, "/numarataj/planlar/")
    page.get_by_test_id("new-plan").click()
    # the start map opens on the district and offers the building without a door: a click picks it
    page.locator("#plan-start-map path.pick-yapi").click()
    expect(page.get_by_test_id("pick-yapi")).to_have_value(str(lale_sokak.pk))
    expect(page.get_by_label("Tek yeni yapı (araya)")).to_be_checked()
    page.get_by_test_id("start-plan").click()

    page.wait_for_url(lambda url: "/numarataj/planlar/" in url and url.rstrip("/").rsplit("/", 1)[1].isdigit())
    plan = NumberingPlan.objects.get()
    assert plan.tur == "ara"
    expect(page.locator("#plan-map")).to_have_attribute("data-ready", "1")
    label = page.locator(".leaflet-tooltip.kapi-no.degisiyor")
    expect(label).to_have_text("3")  # between 1 and 5 on the odd side, nobody renumbered
    neighbours = page.locator(".leaflet-tooltip.kapi-no.komsu")
    expect(neighbours).to_have_count(2)
    assert sorted(neighbours.all_inner_texts()) == ["1", "5"]
    expect(page.locator(".leaflet-tooltip", has_text="başlangıç")).to_contain_text("Lale Sokak")
    expect(page.locator("#plan-map .leaflet-tile-pane img.leaflet-tile").first).to_be_attached()
    browser_page.screenshot("plan-infill-review")

    page.get_by_test_id("plan-comment").fill("ruhsat 2025/41")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Onaylandı")
    door = Adres.objects.get(yapi=lale_sokak)
    assert door.kapi_no == "3" and NumberingPlan.objects.get().aciklama == "ruhsat 2025/41"

    page.get_by_test_id(f"add-units-{door.pk}").click()
    expect(page.get_by_test_id("doors-without-units")).to_have_count(0)
    page.get_by_test_id("documents").click()
    expect(page.get_by_test_id("cards-pdf")).to_be_visible()

    with page.expect_download() as card:
        page.get_by_test_id("cards-pdf").click()
    text = pdf_text(card.value.path())
    assert "ADRES KARTI" in text and "Lale Sokak" in text and "Çamlık Mahallesi" in text and "Dış kapı no" in text
    with page.expect_download() as signs:
        page.get_by_test_id("signs-csv").click()
    with open(signs.value.path(), encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    assert [r["kapi_no"] for r in rows if r["tur"] == "kapi"] == ["3"]
    assert {r["csbm"] for r in rows} == {"Lale Sokak"}
    assert browser_page.outside == [] and browser_page.broken_assets("/static/") == []


def test_officer_draws_an_area_reviews_the_plan_and_rejects_it(live_server, browser_page, lale_sokak):
    from playwright.sync_api import expect

    page = browser_page.page
    log_in(page, live_server, "/numarataj/planlar/yeni/")
    street = page.locator("#plan-start-map path.pick-csbm")
    expect(street).to_be_attached()  # a straight east-west line: no height, so never "visible"
    box = street.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.get_by_label("Haritada çizilen alan").check()
    page.get_by_test_id("draw-area").click()
    corners = [(cx - 60, cy - 40), (cx + 60, cy - 40), (cx + 60, cy + 40), (cx - 60, cy + 40)]
    for x, y in [*corners, corners[0]]:  # clicking the first vertex again closes the polygon
        page.mouse.click(x, y)
    expect(page.locator("#plan-area-state")).not_to_be_empty()
    assert json.loads(page.locator("#plan-area").input_value())["type"] == "Polygon"
    page.get_by_test_id("start-plan").click()

    page.wait_for_url(lambda url: url.rstrip("/").rsplit("/", 1)[1].isdigit())
    plan = NumberingPlan.objects.get()
    assert plan.tur == "sokak" and plan.ozet["alan"]["type"] == "Polygon"
    expect(page.locator("#plan-map")).to_have_attribute("data-ready", "3")
    expect(page.locator(".leaflet-tooltip.kapi-no.degisiyor")).to_have_text("3")
    kept = page.locator(".leaflet-tooltip.kapi-no:not(.degisiyor)")
    expect(kept).to_have_count(2)
    assert sorted(kept.all_inner_texts()) == ["1", "5"]
    browser_page.screenshot("plan-area-review")
    page.get_by_role("columnheader", name="Önerilen").click()   # the table sorts by door number
    expect(page.locator("[data-testid=plan-items] tbody td:nth-child(5)")).to_have_text(["1", "3", "5"])
    page.get_by_role("columnheader", name="Önerilen").click()
    expect(page.locator("[data-testid=plan-items] tbody td:nth-child(5)")).to_have_text(["5", "3", "1"])

    page.get_by_test_id("plan-comment").fill("alan yanlış çizildi")
    page.get_by_test_id("reject").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Reddedildi")
    plan.refresh_from_db()
    assert (plan.durum, plan.aciklama) == ("reddedildi", "alan yanlış çizildi")
    assert not Adres.objects.filter(yapi=lale_sokak).exists()
    assert browser_page.outside == []
