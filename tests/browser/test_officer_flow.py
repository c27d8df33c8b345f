"""The register office's day from end to end in headless Chromium, each step reached the way a user
reaches it: the officer logs in and lands on the staff home, goes to the numarataj home through the
top bar, opens the map editor, draws a new building beside Lale Sokak on the buildings layer and
saves it; then starts an infill plan for it, sees its proposed number on the plan map, approves
it, gives the new door its unit and downloads the address card (PDF text read) and the sign list
(CSV parsed). The district is tests/browser/register_district.py."""

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group

from geo.models import Change
from numarataj.models import Adres, NumberingPlan, Yapi

from .conftest import live_data
from .register_district import OFFICE, OFFICER, box, pdf_text, register_layers

pytestmark = [pytest.mark.browser, live_data]

# the new building in metres: between doors 1 (x 200) and 5 (x 300), north of the street (y 0)
BUILDING = ((235, 10), (265, 10), (265, 30), (235, 30))   # > 20 px from the neighbours: no snapping


def _path_is(path: str):
    return lambda url: urlsplit(url).path == path


def _draw_beside_the_street(page, street_path) -> None:
    """Click the building's corners, placed from where the street lies on the screen (the street
    runs from x 100 to x 500 m along y 0), and close the ring on the first corner."""
    line = street_path.bounding_box()
    per_metre = line["width"] / 400
    corners = [(line["x"] + (x - 100) * per_metre, line["y"] - y * per_metre) for x, y in BUILDING]
    for x, y in [*corners, corners[0]]:
        page.mouse.click(x, y)
        page.wait_for_timeout(120)


def test_officer_draws_a_building_numbers_it_and_gets_its_documents(live_server, browser_page, lale_district):
    from playwright.sync_api import expect

    register_layers(Group.objects.get(name=OFFICE))
    page = browser_page.page
    menu = page.get_by_test_id("kent-menu")

    # 1. log in: the staff home, then the numarataj home through the one top bar
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Kullanıcı adı").fill(OFFICER)
    page.get_by_label("Parola").fill("gizli-parola")
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(_path_is("/calisma/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Çalışma masası")
    menu.get_by_role("link", name="Numarataj").click()
    page.wait_for_url(_path_is("/numarataj/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Numarataj")
    browser_page.screenshot("officer-flow-1-numarataj-home")

    # 2. the map editor: the buildings layer, the street shown underneath, a building drawn beside it
    menu.get_by_role("link", name="Harita düzenleyici").click()
    page.wait_for_url(_path_is("/editor/"))
    page.get_by_test_id("layer-select").select_option("yapilar")
    draw = page.get_by_test_id("tool-draw")
    expect(draw).to_be_enabled()
    page.get_by_test_id("under-csbm").check()
    street = page.locator(".leaflet-kentUnder-pane path")
    expect(street).to_have_count(1)
    page.wait_for_load_state("networkidle")
    draw.click()
    _draw_beside_the_street(page, street)
    expect(page.get_by_test_id("feature-form")).to_be_visible()
    page.get_by_test_id("attr-ad").fill("Yeni Apartman")
    page.get_by_test_id("attr-kat_ust").fill("4")
    page.get_by_test_id("save-feature").click()
    expect(page.get_by_test_id("editor-message")).to_contain_text("Eklendi")
    browser_page.screenshot("officer-flow-2-building-drawn")
    yapi = Yapi.objects.get(ad="Yeni Apartman")
    assert yapi.kat_ust == 4 and yapi.mahalle.ad == "Çamlık" and not yapi.adresler.exists()
    assert box(225, 0, 275, 40).contains(yapi.geom)   # where it was drawn: beside the street, between the doors
    assert Change.objects.filter(model="numarataj.Yapi", object_id=str(yapi.pk), user__username=OFFICER).exists()

    # 3. an infill plan for it: from the numarataj home to the plan list, then the start page
    menu.get_by_role("link", name="Numarataj").click()
    page.wait_for_url(_path_is("/numarataj/"))
    page.get_by_test_id("numarataj-links").get_by_role("link", name="Numaralama planları").click()
    page.get_by_test_id("new-plan").click()
    page.wait_for_url(_path_is("/numarataj/planlar/yeni/"))
    page.locator("#plan-start-map path.pick-yapi").click()   # the only building without a door
    expect(page.get_by_test_id("pick-yapi")).to_have_value(str(yapi.pk))
    expect(page.get_by_label("Tek yeni yapı (araya)")).to_be_checked()
    page.get_by_test_id("start-plan").click()
    page.wait_for_url(lambda url: urlsplit(url).path.rstrip("/").rsplit("/", 1)[1].isdigit())
    plan = NumberingPlan.objects.get()
    assert plan.tur == "ara"

    # 4. the proposed number on the plan map, between its neighbours; approved
    expect(page.locator("#plan-map")).to_have_attribute("data-ready", "1")
    expect(page.locator(".leaflet-tooltip.kapi-no.degisiyor")).to_have_text("3")
    neighbours = page.locator(".leaflet-tooltip.kapi-no.komsu")
    expect(neighbours).to_have_count(2)
    assert sorted(neighbours.all_inner_texts()) == ["1", "5"]
    browser_page.screenshot("officer-flow-3-plan-review")
    page.get_by_test_id("plan-comment").fill("yapı ruhsatı 2026/12")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Onaylandı")
    door = Adres.objects.get(yapi=yapi)
    assert (door.kapi_no, door.csbm_id, door.taraf) == ("3", lale_district.pk, "sol")

    # 5. a new door has no unit yet: one is added, then the documents in one click
    units = page.get_by_test_id(f"add-units-{door.pk}")
    expect(units).to_be_visible()
    units.click()
    expect(page.get_by_test_id("doors-without-units")).to_have_count(0)
    assert door.bagimsiz_bolumler.count() == 1
    page.get_by_test_id("documents").click()
    expect(page.get_by_test_id("cards-pdf")).to_be_visible()
    browser_page.screenshot("officer-flow-4-documents")

    with page.expect_download() as card:
        page.get_by_test_id("cards-pdf").click()
    text = pdf_text(card.value.path())
    assert "ADRES KARTI" in text and "Lale Sokak" in text and "Çamlık Mahallesi" in text
    assert re.search(r"Dış kapı no\s+3\b", text), text   # the number the plan gave the new door
    with page.expect_download() as signs:
        page.get_by_test_id("signs-csv").click()
    with open(signs.value.path(), encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    assert [r["kapi_no"] for r in rows if r["tur"] == "kapi"] == ["3"]
    assert {r["csbm"] for r in rows} == {"Lale Sokak"}
    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"
    assert browser_page.broken_assets("/static/") == []
