"""A numarataj officer renames a street in headless Chromium: picks the street on the proposal map,
records the commission report, the council decision and the governor's approval with their PDFs
(made here with reportlab), sees the name take effect, and finds exactly the street's doors on the
reissue list and its plates on the sign list."""

import csv
import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon
from reportlab.pdfgen import canvas

from numarataj.models import Adres, Csbm, Il, Ilce, Mahalle
from numarataj.models.naming import AdlandirmaKarari
from numarataj.services import naming

from .conftest import live_data

pytestmark = [pytest.mark.browser, live_data]

LON, LAT = 32.8370, 39.9250   # the street's middle, in central Ankara
M = 1 / 85_000                # about a metre of longitude here, in degrees


def pdf_file(path: Path, text: str) -> Path:
    page = canvas.Canvas(str(path))
    page.drawString(72, 720, text)
    page.save()
    return path


def square(x: float, y: float, half: float) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((x - half, y - half, x + half, y + half)), srid=4326)


@pytest.fixture
def district(kent_catalogue, settings) -> Csbm:
    """'Lale Sokak' (three doors) and 'Gül Sokak' (one door) in one mahalle; the map opens on them."""
    settings.KENT_MAP_CENTER, settings.KENT_MAP_ZOOM = (LAT, LON), 17
    ilce = Ilce.objects.create(il=Il.objects.create(ad="Ankara", plaka=6), ad="Deneme",
                               geom=square(LON, LAT, 0.02))
    mahalle = Mahalle.objects.create(ilce=ilce, ad="Alfa", uavt_kodu="100001", geom=square(LON, LAT, 0.01))
    lale = Csbm.objects.create(ilce=ilce, tur="sokak", ad="Lale", geom=MultiLineString(
        LineString((LON - 200 * M, LAT), (LON + 200 * M, LAT)), srid=4326))
    gul = Csbm.objects.create(ilce=ilce, tur="sokak", ad="Gül", geom=MultiLineString(
        LineString((LON + 260 * M, LAT - 150 * M), (LON + 260 * M, LAT + 150 * M)), srid=4326))
    for street in (lale, gul):
        street.mahalleler.add(mahalle)
    for no, dx, dy, taraf in (("1", -100, 12, "sol"), ("3", 0, 12, "sol"), ("2", -50, -12, "sag")):
        Adres.objects.create(csbm=lale, mahalle=mahalle, kapi_no=no, taraf=taraf,
                             geom=Point(LON + dx * M, LAT + dy * M, srid=4326))
    Adres.objects.create(csbm=gul, mahalle=mahalle, kapi_no="1", taraf="sol",
                         geom=Point(LON + 272 * M, LAT, srid=4326))
    User.objects.create_user("memur1", password="gizli-parola").groups.add(Group.objects.get(name="Numarataj Memuru"))
    return lale


def step(page, key: str, fields: dict[str, str], selects: dict[str, str] | None = None,
         document: Path | None = None) -> None:
    form = page.get_by_test_id(f"adim-{key}")
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    for label, value in (selects or {}).items():
        form.get_by_label(label).select_option(value)
    if document is not None:
        form.get_by_label("Karar belgesi (PDF)").set_input_files(str(document))
    form.locator("button[type=submit]").click()


def test_rename_through_council_and_governor_takes_effect(live_server, browser_page, district, tmp_path, settings):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    today = naming.today().isoformat()
    page = browser_page.page
    page.goto(live_server.url + "/numarataj/kararlar/yeni/")
    page.wait_for_url(lambda url: urlsplit(url).path == "/accounts/login/")
    page.get_by_label("Kullanıcı adı").fill("memur1")
    page.get_by_label("Parola").fill("gizli-parola")
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/numarataj/kararlar/yeni/")

    # the proposal: the street is chosen on the map
    expect(page.locator("#naming-map[data-loaded='1']")).to_be_attached()
    expect(page.locator(".leaflet-tile-pane img").first).to_be_attached()   # Kent's own base map
    # a straight street's path has no height, so Playwright sees it as invisible: click its middle
    street = page.locator(f'path[data-csbm="{district.pk}"]')
    x, y = street.evaluate("p => { const r = p.getBoundingClientRect(); "
                           "return [r.x + r.width / 2, r.y + r.height / 2]; }")
    page.mouse.click(x, y)
    expect(page.get_by_test_id("secilen-csbm")).to_contain_text("Lale Sokak")
    expect(page.get_by_label("Adı değişecek CSBM # (haritadan seçin)")).to_have_value(str(district.pk))
    page.get_by_label("CSBM türü").select_option("cadde")
    page.get_by_label("Ad (tür eki olmadan)").fill("İstiklal")
    page.get_by_label("Öneren (kişi ya da birim)").fill("Alfa Mahallesi Muhtarlığı")
    page.get_by_label("Gerekçe").fill("Mahalle sakinlerinin talebi")
    browser_page.screenshot("naming-1-proposal")
    page.get_by_test_id("oneri-kaydet").click()
    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/numarataj/kararlar/")
                      and urlsplit(url).path != "/numarataj/kararlar/yeni/")
    karar = AdlandirmaKarari.objects.get(csbm=district)
    expect(page.get_by_test_id("karar-durum")).to_contain_text("Öneri")

    step(page, "komisyon", {"Rapor tarihi": today, "Rapor no": "K-7"}, {"Komisyon görüşü": "olumlu"})
    expect(page.get_by_test_id("karar-durum")).to_contain_text("Komisyon raporu verildi")

    council = pdf_file(tmp_path / "meclis.pdf", "Meclis karari 2026/41")
    step(page, "meclis", {"Karar tarihi": today, "Karar no": "2026/41", "Kabul oyu": "22", "Ret oyu": "8",
                          "Çekimser oy": "1", "Üye tamsayısı": "31"}, document=council)
    expect(page.get_by_test_id("karar-durum")).to_contain_text("Meclis kararı alındı")

    approval = pdf_file(tmp_path / "valilik.pdf", "Valilik onayi E-2026-77")
    step(page, "onay", {"Onay tarihi": today, "Belge no": "E-2026-77", "Yürürlük tarihi": today},
         {"Onay makamı": "valilik"}, document=approval)
    expect(page.get_by_test_id("karar-durum")).to_contain_text("Yürürlükte")
    district.refresh_from_db()
    assert district.tam_ad == "İstiklal Caddesi"
    for key, source in (("meclis", council), ("onay", approval)):
        href = page.get_by_test_id(f"belge-{key}").get_attribute("href")
        got = page.request.get(live_server.url + href)
        assert got.status == 200 and got.body() == source.read_bytes()
    browser_page.screenshot("naming-2-in-effect")

    # what the rename makes the office reissue
    page.get_by_test_id("yeniden-basim-link").click()
    expect(page.get_by_test_id("yeniden-basim-table")).to_be_visible()
    listed = page.locator("[data-testid='yeniden-basim-table'] tbody tr").evaluate_all(
        "rows => rows.map(r => Number(r.dataset.adres))")
    assert sorted(listed) == sorted(Adres.objects.filter(csbm=district).values_list("pk", flat=True))
    assert len(listed) == 3
    signs = page.request.get(live_server.url + page.get_by_test_id("levha-csv").get_attribute("href"))
    rows = list(csv.DictReader(io.StringIO(signs.body().decode("utf-8-sig"))))
    assert sorted(r["kapi_no"] for r in rows if r["tur"] == "kapi") == ["1", "2", "3"]
    assert all(r["csbm"] == "İstiklal Caddesi" for r in rows)
    browser_page.screenshot("naming-3-reissue")
    assert karar.pk and browser_page.outside == [] and browser_page.broken_assets("/static/") == []


def test_a_new_streets_centreline_is_drawn_on_the_proposal_map(live_server, browser_page, district):
    from playwright.sync_api import expect

    page = browser_page.page
    page.goto(live_server.url + "/accounts/login/?next=/numarataj/kararlar/yeni/")
    page.get_by_label("Kullanıcı adı").fill("memur1")
    page.get_by_label("Parola").fill("gizli-parola")
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/numarataj/kararlar/yeni/")
    expect(page.locator("#naming-map[data-loaded='1']")).to_be_attached()

    page.get_by_label("Ad verme (yeni CSBM)").check()
    expect(page.get_by_test_id("eksen-ciz")).to_be_visible()
    expect(page.get_by_label("İlçe (yeni CSBM)")).to_have_value(str(Ilce.objects.get().pk))  # the only ilçe
    page.get_by_test_id("eksen-ciz").click()
    box = page.get_by_test_id("map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for x in (cx - 150, cx - 20, cx + 100):   # north of Lale Sokak, crossing nothing
        page.mouse.click(x, cy - 120)
        page.wait_for_timeout(120)
    page.get_by_test_id("eksen-bitir").click()
    expect(page.get_by_test_id("eksen-durum")).to_have_text("Yeni CSBM ekseni çizildi.")
    page.get_by_label("CSBM türü").select_option("sokak")
    page.get_by_label("ya da numara").fill("1203")
    page.get_by_label("Öneren (kişi ya da birim)").fill("İmar ve Şehircilik Müdürlüğü")
    page.get_by_label("Gerekçe").fill("İmar planıyla açılan yol")
    page.get_by_test_id("oneri-kaydet").click()
    expect(page.get_by_test_id("karar-durum")).to_contain_text("Öneri")
    karar = AdlandirmaKarari.objects.get()
    assert (karar.tur, karar.yeni_tam_ad, karar.csbm_id) == ("ad_verme", "1203. Sokak", None)
    drawn = karar.geom.transform(5255, clone=True)
    assert 150 < drawn.length < 350   # about 250 px at zoom 17: the line drawn, in metres
    browser_page.screenshot("naming-4-new-street")
    assert browser_page.outside == [] and browser_page.broken_assets("/static/") == []
