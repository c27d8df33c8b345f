"""The numarataj officer edits the register in the map editor like any layer: draws a building on
the 'yapilar' layer, fills its floors and saves it (the register's own save service writes it,
with its mahalle and a history row); then opens a door and sees its bağımsız bölümler listed in
the form, with the link to the page that edits them. Layout in metres (tests/numarataj/conftest):
two streets 400 m apart, so the map opens between them on empty ground."""


import pytest
from django.contrib.auth.models import Group, User

from geo.models import Change
from numarataj.models import Adres, BagimsizBolum, Csbm, Il, Ilce, Mahalle, Yapi
from tests.numarataj.conftest import _lonlat

from .conftest import live_data
from .register_district import register_layers
from .test_editor import log_in

pytestmark = [pytest.mark.browser, live_data]


def _poly(x0: float, y0: float, x1: float, y1: float) -> str:
    ring = ",".join(f"{lon} {lat}" for lon, lat in _lonlat([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]))
    return f"SRID=4326;MULTIPOLYGON((({ring})))"


def _line(coords) -> str:
    return "SRID=4326;MULTILINESTRING((" + ",".join(f"{lon} {lat}" for lon, lat in _lonlat(coords)) + "))"


@pytest.fixture
def register_map(kent_catalogue) -> dict:
    ilce = Ilce.objects.create(il=Il.objects.create(ad="Ankara", plaka=6), ad="Deneme",
                               geom=_poly(-1000, -1000, 1400, 1400))
    mahalle = Mahalle.objects.create(ilce=ilce, ad="Alfa", geom=_poly(-1000, -1000, 1400, 1400))
    streets = [Csbm.objects.create(ilce=ilce, tur="cadde", ad=name, geom=_line([(0, y), (400, y)]))
               for name, y in (("Güney", 0), ("Kuzey", 400))]
    office = Group.objects.get(name="Numarataj Memuru")
    register_layers(office)
    User.objects.create_user("memur", password="gizli-parola").groups.add(office)
    return {"mahalle": mahalle, "streets": streets}


def test_officer_draws_a_building_and_saves_it(live_server, browser_page, register_map):
    from playwright.sync_api import expect

    page = browser_page.page
    log_in(page, live_server, "/editor/?katman=yapilar", "memur")
    draw = page.get_by_test_id("tool-draw")
    expect(draw).to_be_enabled()
    page.wait_for_load_state("networkidle")
    draw.click()
    box = page.get_by_test_id("map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(cx - 40, cy - 30), (cx + 40, cy - 30), (cx + 40, cy + 30), (cx - 40, cy + 30)]
    for x, y in [*corners, corners[0]]:
        page.mouse.click(x, y)
        page.wait_for_timeout(120)
    expect(page.get_by_test_id("feature-form")).to_be_visible()
    expect(page.get_by_test_id("attr-maks_id")).to_be_disabled()   # written by imports, shown only
    page.get_by_test_id("attr-ad").fill("Çizilen Yapı")
    page.get_by_test_id("attr-kat_ust").fill("4")
    page.get_by_test_id("attr-kat_alt").fill("1")
    page.get_by_test_id("attr-kullanim").select_option(label="isyeri")
    page.get_by_test_id("save-feature").click()
    expect(page.get_by_test_id("editor-message")).to_contain_text("Eklendi")
    browser_page.screenshot("register-editor-1-building")

    yapi = Yapi.objects.get(ad="Çizilen Yapı")
    assert (yapi.kat_ust, yapi.kat_alt, yapi.kullanim, yapi.version) == (4, 1, "isyeri", 1)
    assert yapi.geom.geom_type == "MultiPolygon" and yapi.mahalle == register_map["mahalle"]
    change = Change.objects.get(model="numarataj.Yapi", object_id=str(yapi.pk))
    assert change.user.username == "memur" and change.layer.slug == "yapilar" and change.after["geom"]
    expect(page.get_by_test_id("feature-title")).to_contain_text(f"#{yapi.pk}")
    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"


def test_a_door_shows_its_units_in_the_form(live_server, browser_page, register_map):
    from playwright.sync_api import expect

    street = register_map["streets"][0]
    yapi = Yapi.objects.create(mahalle=register_map["mahalle"], geom=_poly(190, 10, 210, 30), kat_ust=2)
    door = Adres.objects.create(csbm=street, yapi=yapi, mahalle=yapi.mahalle, kapi_no="12",
                                geom=f"SRID=4326;POINT({' '.join(map(str, _lonlat([(200, 10)])[0]))})")
    BagimsizBolum.objects.create(adres=door, ic_kapi_no="Z1", kat=0, kullanim="isyeri")
    page = browser_page.page
    log_in(page, live_server, "/editor/?katman=adresler", "memur")
    marker = page.locator(".leaflet-overlay-pane path, .leaflet-marker-pane .leaflet-marker-icon").first
    expect(marker).to_be_visible()
    marker.click()
    expect(page.get_by_test_id("attr-kapi_no")).to_have_value("12")
    units = page.get_by_test_id("attr-bagimsiz_bolumler")
    expect(units).to_contain_text("İç kapı Z1 · kat 0 · isyeri")
    link = units.get_by_role("link")
    expect(link).to_have_attribute("href", f"/numarataj/adres/{door.pk}/bolumler/")
    browser_page.screenshot("register-editor-2-door-units")
    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"


def test_a_street_drawn_across_a_building_is_refused_with_the_reason(live_server, browser_page, register_map):
    from playwright.sync_api import expect

    Yapi.objects.create(mahalle=register_map["mahalle"], geom=_poly(180, 180, 220, 220), kat_ust=3)
    page = browser_page.page
    log_in(page, live_server, "/editor/?katman=csbm", "memur")
    draw = page.get_by_test_id("tool-draw")
    expect(draw).to_be_enabled()
    page.wait_for_load_state("networkidle")
    draw.click()
    box = page.get_by_test_id("map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for x in (cx - 150, cx + 150):   # through the building in the middle of the map
        page.mouse.click(x, cy)
        page.wait_for_timeout(150)
    page.get_by_test_id("tool-finish").click()
    expect(page.get_by_test_id("feature-form")).to_be_visible()
    page.get_by_test_id("attr-tur").select_option(label="sokak")
    page.get_by_test_id("attr-ad").fill("Kesen")
    page.get_by_test_id("save-feature").click()
    message = page.get_by_test_id("editor-message")
    expect(message).to_contain_text("numaralı yapıyı")
    expect(message).to_contain_text("kesiyor")
    browser_page.screenshot("register-editor-3-refused")
    assert not Csbm.objects.filter(ad="Kesen").exists()
    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"
