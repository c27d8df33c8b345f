"""The public guide in headless Chromium: find a door by an address with a typo, browse a category,
share and reopen a view, keyboard use, search text with markup, print; nothing leaves 127.0.0.1."""

from datetime import date, timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from geo.models import Feature, Layer
from numarataj.models import Adres, Csbm
from numarataj.models.naming import AdlandirmaKarari
from smartcity.models import Asset, AssetState

from .conftest import ARTIFACTS, live_data

pytestmark = [pytest.mark.browser, live_data]


def open_guide(browser_page, live_server, path: str = "/rehber/"):
    from playwright.sync_api import expect

    page = browser_page.page
    page.goto(live_server.url + path, wait_until="commit")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    return page


def assert_stayed_local(browser_page) -> None:
    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"
    assert browser_page.broken_assets("/static/", "/api/rehber/", "/rehber/", "/kiosk/") == []


def test_an_address_with_a_typo_finds_the_door_and_opens_its_card(live_server, browser_page, live_demo):
    from playwright.sync_api import expect

    adres = Adres.objects.select_related("csbm").get(csbm__ad="Kazım Karabekir", csbm__tur="cadde", kapi_no="12")
    codes = sorted(adres.bagimsiz_bolumler.values_list("adres_kodu", flat=True))
    page = open_guide(browser_page, live_server)
    ready_ms = int(page.locator("body").get_attribute("data-ready-ms"))
    assert ready_ms >= 0  # the page reports when it became interactive; its speed is measured in bench/

    box = page.get_by_test_id("search-input")
    box.click()
    box.press_sequentially("Kazim Karabekr Cad 12", delay=30)  # missing ı and a dropped letter
    first = page.get_by_test_id("suggestion").first
    expect(first).to_contain_text("Kazım Karabekir Caddesi No: 12")
    expect(first).to_have_attribute("aria-selected", "true")
    browser_page.screenshot("rehber-1-suggestions")
    box.press("Enter")

    card = page.get_by_test_id("card")
    expect(card).to_be_visible()
    expect(card.locator("h2")).to_have_text("Kazım Karabekir Caddesi No: 12")
    expect(card.get_by_test_id("unit-code")).to_have_count(len(codes))
    assert sorted(card.get_by_test_id("unit-code").all_inner_texts()) == codes
    expect(card).to_contain_text(adres.yapi.ad)
    expect(card.get_by_test_id("nearby").first).to_be_visible()
    page.wait_for_function(f"location.hash.includes('sel=a-{adres.pk}')")
    page.wait_for_timeout(800)  # let the flight end and tiles draw before the picture
    browser_page.screenshot("rehber-2-address-card")
    assert_stayed_local(browser_page)


def test_a_category_shows_its_places_and_car_parks_their_free_spaces(live_server, browser_page, live_demo):
    from playwright.sync_api import expect

    names = sorted(Feature.objects.filter(layer__slug="eczaneler").values_list("properties__ad", flat=True))
    page = open_guide(browser_page, live_server)
    page.get_by_test_id("cat-eczane").click()
    places = page.get_by_test_id("place")
    expect(places).to_have_count(len(names))
    assert sorted(places.locator(".rh-place-name").all_inner_texts()) == names
    expect(page.get_by_test_id("cat-eczane")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.kentRehber.map.getBounds().contains([39.86, 32.92])")
    page.wait_for_timeout(600)
    browser_page.screenshot("rehber-3-pharmacies")

    places.first.click()
    expect(page.get_by_test_id("card").locator(".rh-kind")).to_contain_text("Eczaneler")

    # car parks: one reports live, the others show their registered figures, said to be such
    reporting = Asset.objects.filter(kind_id="OffStreetParking").order_by("id").first()
    total = reporting.attributes["totalSpotNumber"]
    AssetState.objects.create(asset=reporting, observed_at=timezone.now() - timedelta(minutes=1),
                              received_at=timezone.now(), state={"availableSpotNumber": 7, "totalSpotNumber": total})
    page.get_by_test_id("cat-otopark").click()
    notes = page.get_by_test_id("place-note")
    expect(notes).to_have_count(Asset.objects.filter(kind_id="OffStreetParking").count())
    expect(page.get_by_test_id("category-list")).to_contain_text(f"7/{total} boş")
    expect(page.get_by_test_id("category-list")).to_contain_text("(kayıtlı)")
    page.locator(f"[data-ref='v-{reporting.pk}']").click()
    expect(page.get_by_test_id("live-free")).to_contain_text("Boş yer: 7")
    expect(page.get_by_test_id("live-free")).to_contain_text("canlı")
    browser_page.screenshot("rehber-4-car-park")
    assert_stayed_local(browser_page)


def test_a_shared_link_reopens_the_same_view_in_its_language(live_server, browser_page, live_demo):
    from playwright.sync_api import expect

    page = open_guide(browser_page, live_server)
    page.get_by_test_id("cat-park").click()
    expect(page.get_by_test_id("place").first).to_be_visible()
    page.get_by_test_id("place").first.click()
    expect(page.get_by_test_id("card")).to_be_visible()
    page.get_by_test_id("share-button").click()
    link = page.get_by_test_id("share-link").input_value()
    ref = page.get_by_test_id("card").locator("#rh-card-body").get_attribute("data-ref")
    assert f"sel={ref}" in link and "cat=park" in link and "lang=tr" in link

    english = link.replace("lang=tr", "lang=en")
    page.goto("about:blank")  # a fresh load, as from a message or another tab
    page.goto(english)
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("card")).to_be_visible()
    assert page.get_by_test_id("card").locator("#rh-card-body").get_attribute("data-ref") == ref
    expect(page.get_by_test_id("cat-park")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("cat-park")).to_contain_text("Parks")
    zoom = int(link.split("z=")[1].split("&")[0])
    assert page.evaluate("window.kentRehber.map.getZoom()") == zoom
    browser_page.screenshot("rehber-5-shared-link-english")
    assert_stayed_local(browser_page)


def test_public_layers_and_street_naming_decisions(live_server, browser_page, live_demo):
    from playwright.sync_api import expect

    street = Csbm.objects.get(numara=1205)
    AdlandirmaKarari.objects.create(
        tur="ad_degisikligi", durum="meclis", ilce=street.ilce, csbm=street, yeni_tur="sokak", yeni_ad="Papatya",
        eski_tur="sokak", eski_numara=1205, oneren="Muhtarlık", gerekce="Mahalle sakinlerinin dilekçesi",
        oneri_tarihi=date(2025, 3, 1), meclis_tarihi=date(2025, 5, 5), meclis_karar_no="2025/88")
    page = open_guide(browser_page, live_server)
    layer_tiles = []
    page.on("request", lambda r: layer_tiles.append(r.url) if "/tiles/layers/parklar/" in r.url else None)
    page.get_by_test_id("layers-button").click()
    page.get_by_test_id("layer-parklar").check()
    page.wait_for_function("location.hash.includes('lyr=parklar')")
    page.wait_for_timeout(500)
    assert layer_tiles, "the public layer's tiles were not asked for"

    page.get_by_test_id("decisions-button").click()
    # the demo carries decisions of its own: find the one this test made
    decision = page.get_by_test_id("decision").filter(has_text="1205. Sokak → Papatya Sokak")
    expect(decision).to_contain_text("1205. Sokak → Papatya Sokak")
    expect(decision).to_contain_text("meclis kararı alındı")
    expect(page.get_by_test_id("decisions-page")).to_have_attribute("href", "/numarataj/kararlar/")
    decision.get_by_role("button").click()
    card = page.get_by_test_id("card")
    expect(card.locator("h2")).to_have_text("1205. Sokak")
    expect(card).to_contain_text("Öneri: 1205. Sokak → Papatya Sokak (meclis kararı alındı)")
    page.wait_for_timeout(600)
    browser_page.screenshot("rehber-7-decisions")
    assert_stayed_local(browser_page)


def test_keyboard_only_use(live_server, browser_page, live_demo):
    from playwright.sync_api import expect

    page = open_guide(browser_page, live_server)
    page.keyboard.press("/")
    box = page.get_by_test_id("search-input")
    expect(box).to_be_focused()
    page.keyboard.type("yildiz")
    options = page.get_by_test_id("suggestion")
    expect(options.nth(1)).to_be_visible()
    second = options.nth(1).get_attribute("data-ref")
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "rh-opt-1")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("suggestions")).to_be_hidden()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("card")).to_be_visible()
    assert page.locator("#rh-card-body").get_attribute("data-ref") == second
    expect(page.locator("#rh-card-title")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("card")).to_be_hidden()
    assert_stayed_local(browser_page)


def test_search_text_with_markup_is_shown_never_run(live_server, browser_page, live_demo):
    from playwright.sync_api import expect

    Feature.objects.create(layer=Layer.objects.get(slug="eczaneler"), geom=Point(32.9200, 39.8602, srid=4326),
                           properties={"ad": '<img src=x onerror="window.__pwned=1">Zehir Eczanesi'})
    page = open_guide(browser_page, live_server)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    box = page.get_by_test_id("search-input")
    attacks = ('<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">', '"><svg onload=alert(1)>')
    for text in attacks:
        box.fill(text)
        page.wait_for_timeout(400)
    box.fill("zehir")
    first = page.get_by_test_id("suggestion").first
    expect(first).to_contain_text('<img src=x onerror="window.__pwned=1">Zehir Eczanesi')
    first.click()
    expect(page.locator("#rh-card-title")).to_have_text('<img src=x onerror="window.__pwned=1">Zehir Eczanesi')
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None and dialogs == []
    assert page.locator("#rh-suggestions img, #rh-card img, #rh-suggestions script").count() == 0
    assert_stayed_local(browser_page)


def test_print_shows_the_map_and_the_card(live_server, browser_page, live_demo):
    from playwright.sync_api import expect

    adres = Adres.objects.filter(csbm__ad="Atatürk", bagimsiz_bolumler__isnull=False).order_by("id").first()
    view = f"z=18&lat={adres.geom.y:.5f}&lon={adres.geom.x:.5f}&sel=a-{adres.pk}&lang=tr"
    page = open_guide(browser_page, live_server, f"/rehber/#{view}")
    expect(page.get_by_test_id("unit-code").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    expect(page.get_by_test_id("categories")).to_be_hidden()
    expect(page.get_by_test_id("search-input")).to_be_hidden()
    expect(page.get_by_test_id("map")).to_be_visible()
    expect(page.get_by_test_id("card")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "rehber-6-print.png"))  # a full-page shot hangs in print media
    page.pdf(path=str(ARTIFACTS / "rehber-6-print.pdf"), format="A4", landscape=True)
    assert (ARTIFACTS / "rehber-6-print.pdf").stat().st_size > 10_000
    assert_stayed_local(browser_page)
