"""The guide's JSON: suggestions (typos, missing Turkish letters, bad input), cards, categories,
'what is here', the QR code, and the pages (including an unknown kiosk)."""

import json

import pytest
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.test import Client

from geo.models import AccessLevel, Feature, Layer
from numarataj.models import Adres, BagimsizBolum, Csbm, Mahalle, Yapi
from rehber.kiosk import View, public_guide_url
from rehber.models import Kiosk
from smartcity.models import Asset

from .conftest import make_kiosk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST="127.0.0.1")


def suggest(client: Client, q: str, **params) -> list[dict]:
    response = client.get("/api/rehber/oner/", {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def door(street: str, kind: str, number: str) -> Adres:
    return Adres.objects.get(csbm__ad=street, csbm__tur=kind, kapi_no=number)


# -- suggestions ------------------------------------------------------------------------------------

def test_a_typo_and_missing_turkish_letters_find_the_right_door(client):
    expected = door("Kazım Karabekir", "cadde", "12")
    for q in ("Kazim Karabekr Cad 12", "KAZIM KARABEKİR CD. NO:12", "kazım karabekir caddesi no 12"):
        first = suggest(client, q)[0]
        assert first["ref"] == f"a-{expected.pk}", q
        assert first["label"] == "Kazım Karabekir Caddesi No: 12"
        assert first["kind"] == "adres"
        assert (first["lat"], first["lon"]) == pytest.approx((expected.geom.y, expected.geom.x), abs=1e-5)


def test_numbered_streets_and_a_written_mahalle(client):
    street = Csbm.objects.get(numara=1205)
    entry = door_on(street)
    mahalle = entry.mahalle.ad
    first = suggest(client, f"{street.numara}. Sok no {entry.kapi_no} {mahalle}")[0]
    assert first["ref"] == f"a-{entry.pk}"
    assert suggest(client, f"{street.numara} sk")[0]["ref"] == f"s-{street.pk}"


def door_on(street: Csbm) -> Adres:
    return street.adresler.filter(kapi_no__regex=r"^\d+$").select_related("mahalle").order_by("id").first()


def test_streets_mahalleler_and_places_by_prefix_case_and_typo(client):
    inonu = Csbm.objects.get(ad="İnönü")
    zubeyde = Csbm.objects.get(ad="Zübeyde Hanım")
    yildiz = Mahalle.objects.get(ad="Yıldız")
    hilal = Feature.objects.get(layer__slug="eczaneler", properties__ad="Hilal Eczanesi")
    assert suggest(client, "inonu bulv")[0]["ref"] == f"s-{inonu.pk}"
    assert suggest(client, "İNÖNÜ")[0]["ref"] == f"s-{inonu.pk}"
    assert suggest(client, "ZUBEYDE HANIM")[0]["ref"] == f"s-{zubeyde.pk}"
    assert suggest(client, "zübyde")[0]["ref"] == f"s-{zubeyde.pk}"  # a letter missing
    assert suggest(client, "yildiz mah")[0]["ref"] == f"m-{yildiz.pk}"
    first = suggest(client, "hilal ecz")[0]
    assert (first["ref"], first["category"], first["kind"]) == (f"f-{hilal.pk}", "eczane", "yer")
    kinds = {r["kind"] for r in suggest(client, "yildiz", limit=20)}
    assert {"mahalle", "yer"} <= kinds


def test_a_ten_digit_unit_code_finds_its_address(client):
    unit = BagimsizBolum.objects.select_related("adres").order_by("id").first()
    first = suggest(client, unit.adres_kodu)[0]
    assert first["ref"] == f"a-{unit.adres_id}" and first["code"] == unit.adres_kodu


def test_near_ranks_equal_suggestions_by_distance(client):
    far = suggest(client, "eczane", limit=20, near="39.8545,32.9100")
    near = suggest(client, "eczane", limit=20, near="39.8650,32.9300")
    assert {r["ref"] for r in far} == {r["ref"] for r in near}
    assert [r["ref"] for r in far] != [r["ref"] for r in near]


def test_an_empty_query_suggests_nothing(client):
    assert suggest(client, "") == []
    assert suggest(client, "   \t ") == []
    assert client.get("/api/rehber/oner/").json() == {"results": []}


def test_a_5000_character_query_is_refused_at_once_with_a_clear_message(client):
    response = client.get("/api/rehber/oner/", {"q": "Kazım Karabekir " * 313})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "InvalidInput"
    assert "çok uzun" in body["description"] and "too long" in body["description"]
    assert body["detail"]["max_length"] == 200
    assert len(response.content) < 400  # the query is not echoed back


def test_html_and_script_in_the_query_are_neither_echoed_nor_harmful(client):
    response = client.get("/api/rehber/oner/", {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert b"<script" not in response.content and b"alert" not in response.content
    pasted = suggest(client, '<b onmouseover="alert(1)">Kazım</b> Karabekir')
    assert pasted[0]["label"] == "Kazım Karabekir Caddesi"  # the text of pasted markup still searches


def test_names_with_markup_come_back_as_plain_data(client):
    layer = Layer.objects.get(slug="eczaneler")
    name = '<img src=x onerror="alert(1)">Zehir Eczanesi'
    Feature.objects.create(layer=layer, geom=Point(32.92, 39.86, srid=4326), properties={"ad": name})
    first = suggest(client, "zehir")[0]
    assert first["label"] == name  # JSON carries it verbatim; the page shows it as text (browser test)


def test_the_index_sees_new_rows(client):
    layer = Layer.objects.get(slug="kutuphaneler")
    assert suggest(client, "Yeni Bilgi Evi") == []
    place = Feature.objects.create(layer=layer, geom=Point(32.92, 39.86, srid=4326),
                                   properties={"ad": "Yeni Bilgi Evi"})
    assert suggest(client, "Yeni Bilgi Evi")[0]["ref"] == f"f-{place.pk}"


# -- cards ----------------------------------------------------------------------------------------

def card(client: Client, ref: str, status: int = 200) -> dict:
    response = client.get(f"/api/rehber/kart/{ref}/")
    assert response.status_code == status, response.content
    return response.json()


def test_an_address_card_has_the_codes_of_its_units_the_building_and_what_is_near(client):
    adres = door("Kazım Karabekir", "cadde", "12")
    c = card(client, f"a-{adres.pk}")
    assert c["title"] == "Kazım Karabekir Caddesi No: 12"
    assert c["subtitle"].startswith(f"{adres.mahalle.ad} Mah.")
    codes = sorted(adres.bagimsiz_bolumler.values_list("adres_kodu", flat=True))
    assert codes and sorted(u["code"] for u in c["units"]) == codes
    assert all(len(u["code"]) == 10 and u["code"].isdigit() for u in c["units"])
    facts = {f["k"]: f["v"] for f in c["facts"]}
    assert facts["fact.door"] == "12" and facts["fact.use"] == adres.yapi.kullanim
    assert facts["fact.floors_above"] == adres.yapi.kat_ust
    assert c["geometry"]["type"] == "MultiPolygon"  # the building, to outline
    distances = [p["distance"] for p in c["nearby"]]
    assert distances and distances == sorted(distances) and max(distances) <= 300
    assert c["links"] == [{"k": "link.street_history", "url": f"/numarataj/csbm/{adres.csbm_id}/"}]


def test_street_mahalle_building_and_place_cards(client):
    street = Csbm.objects.get(ad="Atatürk", tur="cadde")
    c = card(client, f"s-{street.pk}")
    assert c["title"] == "Atatürk Caddesi" and len(c["bbox"]) == 4 and c["geometry"]["type"] == "MultiLineString"
    mahalle = Mahalle.objects.get(ad="Cumhuriyet")
    c = card(client, f"m-{mahalle.pk}")
    assert c["title"] == "Cumhuriyet Mahallesi"
    assert {f["category"] for f in c["facts"] if f["k"] == "category"} >= {"park", "okul"}
    hospital = Yapi.objects.get(ad="Yenikent Devlet Hastanesi")
    c = card(client, f"y-{hospital.pk}")
    assert c["kind"] == "yapi" and c["doors"] and all(len(code) == 10 for d in c["doors"] for code in d["codes"])
    pharmacy = Feature.objects.get(layer__slug="eczaneler", properties__ad="Hilal Eczanesi")
    c = card(client, f"f-{pharmacy.pk}")
    assert c["category"] == "eczane" and c["doors"], c  # the door the pharmacy was drawn at, with its codes
    assert all(p["ref"] != c["ref"] for p in c["nearby"])


def test_a_car_park_card_names_its_live_source_and_keeps_its_registered_figures(client):
    asset = Asset.objects.filter(kind_id="OffStreetParking").order_by("id").first()
    c = card(client, f"v-{asset.pk}")
    assert c["live"] == {"type": "OffStreetParking", "asset_id": asset.asset_id}
    facts = {f["k"]: f["v"] for f in c["facts"]}
    assert facts["fact.capacity"] == asset.attributes["totalSpotNumber"]
    assert facts["fact.free_static"] == asset.attributes["availableSpotNumber"]
    camera = Asset.objects.get(kind_id="TouristCamera")
    c = card(client, f"v-{camera.pk}")
    assert c["category"] == "kamera" and c["live"] is None
    assert {"k": "fact.camera_kind", "v": "tourist", "code": "tur"} in c["facts"]
    assert "rtsp" not in json.dumps(c) and "http" not in json.dumps(c)  # no stream addresses to the public


def test_bad_and_missing_refs(client):
    assert card(client, "x-1", 400)["code"] == "InvalidInput"
    assert card(client, "a-abc", 400)["code"] == "InvalidInput"
    assert card(client, "a-999999999", 404)["code"] == "NotFound"
    assert card(client, "<script>", 400)["code"] == "InvalidInput"


def test_places_of_a_layer_that_is_not_public_are_not_shown(client):
    layer = Layer.objects.get(slug="eczaneler")
    pharmacy = Feature.objects.filter(layer=layer).first()
    assert card(client, f"f-{pharmacy.pk}")["category"] == "eczane"
    layer.access_level = AccessLevel.AGENCY
    layer.save()
    card(client, f"f-{pharmacy.pk}", 404)
    assert client.get("/api/rehber/kategori/eczane/").json()["features"] == []
    assert not [r for r in suggest(client, "eczanesi", limit=20) if r["category"] == "eczane"]


# -- categories, what is here, QR ---------------------------------------------------------------

def test_a_category_lists_its_places_as_geojson(client):
    response = client.get("/api/rehber/kategori/eczane/")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    names = sorted(f["properties"]["label"] for f in features)
    assert names == sorted(Feature.objects.filter(layer__slug="eczaneler").values_list("properties__ad", flat=True))
    parks = client.get("/api/rehber/kategori/otopark/").json()["features"]
    assert parks and all("asset_id" in f["properties"] and "totalSpotNumber" in f["properties"] for f in parks)
    sights = client.get("/api/rehber/kategori/gezi/").json()["features"]
    assert "Gazi Meydanı" in {f["properties"]["label"] for f in sights}
    assert client.get("/api/rehber/kategori/yok/").status_code == 404


def _camera_refs(client: Client) -> set[str]:
    features = client.get("/api/rehber/kategori/kamera/").json()["features"]
    return {f["id"] for f in features}


def test_cameras_are_listed_as_their_layers_are_published(client):
    """Tourist cameras (a public layer) are in the guide; traffic cameras (an agency layer) are not,
    in the category, its search, cards and 'nearby', until their layer is made public."""
    tourist = {f"v-{pk}" for pk in Asset.objects.filter(kind_id="TouristCamera").values_list("pk", flat=True)}
    traffic = {f"v-{pk}" for pk in Asset.objects.filter(kind_id="Camera").values_list("pk", flat=True)}
    assert tourist and traffic
    assert _camera_refs(client) == tourist
    hidden = Asset.objects.filter(kind_id="Camera").order_by("pk").first()
    card(client, f"v-{hidden.pk}", 404)
    assert not [r for r in suggest(client, "Kavşak kamerası", limit=20) if r["ref"] in traffic]
    near = Adres.objects.annotate(d=Distance("geom", hidden.geom)).order_by("d").first()
    assert not {n["ref"] for n in card(client, f"a-{near.pk}")["nearby"]} & traffic

    layer = Layer.objects.get(source="smartcity.Asset", source_filter={"kind_id": "Camera"})
    assert layer.slug == "trafik-kameralari" and layer.access_level == AccessLevel.AGENCY
    layer.access_level = AccessLevel.PUBLIC
    layer.save()
    assert _camera_refs(client) == tourist | traffic
    assert card(client, f"v-{hidden.pk}")["category"] == "kamera"
    assert {r["ref"] for r in suggest(client, "Kavşak kamerası", limit=20)} & traffic
    assert f"v-{hidden.pk}" in {n["ref"] for n in card(client, f"a-{near.pk}")["nearby"]}

    layer.published = False  # public but withdrawn: gone again
    layer.save()
    assert _camera_refs(client) == tourist


def test_what_is_here(client):
    hospital = Yapi.objects.get(ad="Yenikent Devlet Hastanesi")
    inside = hospital.geom.point_on_surface
    ref = client.get("/api/rehber/burada/", {"lat": inside.y, "lon": inside.x}).json()["ref"]
    assert ref in {f"y-{hospital.pk}", *(f"a-{a}" for a in hospital.adresler.values_list("pk", flat=True))}
    assert client.get("/api/rehber/burada/", {"lat": 10, "lon": 10}).json() == {"ref": None}
    assert client.get("/api/rehber/burada/", {"lat": "x", "lon": 1}).status_code == 400


def test_the_qr_code_encodes_only_a_validated_view_of_this_guide(client, rf, settings):
    ok = client.get("/api/rehber/qr.svg", {"z": 17, "lat": 39.86, "lon": 32.92, "sel": "a-5", "lang": "en"})
    assert ok.status_code == 200 and ok["Content-Type"] == "image/svg+xml" and b"<svg" in ok.content
    here = {"z": 17, "lat": 39.86, "lon": 32.92}
    for bad in ({**here, "sel": "javascript:alert(1)"}, {**here, "lat": 99}, {**here, "z": "x"},
                {**here, "lang": "de"}, {**here, "cat": "<b>"}):
        assert client.get("/api/rehber/qr.svg", bad).status_code == 400, bad
    view = View(39.86, 32.92, 17, sel="a-5", cat="eczane", lang="en")
    request = rf.get("/", HTTP_HOST="127.0.0.1:8000")
    assert public_guide_url(request, view) == ("http://127.0.0.1:8000/rehber/"
                                               "#z=17&lat=39.86000&lon=32.92000&sel=a-5&cat=eczane&lang=en")
    settings.KENT_PUBLIC_URL = "https://rehber.yenikent.bel.tr/"
    assert public_guide_url(request, view).startswith("https://rehber.yenikent.bel.tr/rehber/#z=17")


# -- pages ----------------------------------------------------------------------------------------

def test_the_guide_page_in_turkish_and_english(client):
    page = client.get("/rehber/")
    assert page.status_code == 200 and page["Content-Language"] == "tr"
    assert "Kent Rehberi" in page.text and 'data-testid="cat-eczane"' in page.text
    config = json.loads(page.text.split('id="rehber-config" type="application/json">')[1].split("</script>")[0])
    assert config["kiosk"] is None and config["urls"]["basemap"] == "/tiles/basemap/{z}/{x}/{y}{r}.png"
    assert set(config["strings"]) == {"tr", "en"} and config["strings"]["en"]["kiosk.here"] == "You are here"
    assert {lyr["slug"] for lyr in config["layers"]} == set(
        Layer.objects.filter(published=True, access_level=AccessLevel.PUBLIC).values_list("slug", flat=True))
    english = client.get("/rehber/", {"lang": "en"})
    assert "City Guide" in english.text and english["Content-Language"] == "en"
    assert "Pharmacies" in english.text


def test_a_registered_kiosk_page_carries_its_place_and_idle_time(client):
    make_kiosk(idle_seconds=45)
    page = client.get("/kiosk/gazi-meydani/")
    assert page.status_code == 200
    config = json.loads(page.text.split('id="rehber-config" type="application/json">')[1].split("</script>")[0])
    assert config["kiosk"]["idle"] == 45 and config["kiosk"]["zoom"] == 17
    assert config["urls"]["page"] == "/kiosk/gazi-meydani/"
    assert 'href="http' not in page.text  # no way out


@pytest.mark.parametrize("kiosk_id", ["yok", "gazi-meydani-2", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "a" * 300])
def test_an_unknown_kiosk_is_a_clear_404(client, kiosk_id):
    response = client.get(f"/kiosk/{kiosk_id}/")
    assert response.status_code == 404
    assert "Kiosk bulunamadı" in response.text and "kayıtlı değil" in response.text
    assert "<script>" not in response.text


def test_a_switched_off_kiosk_is_a_404_too(client):
    make_kiosk()
    Kiosk.objects.update(active=False)
    assert client.get("/kiosk/gazi-meydani/").status_code == 404


def test_kiosks_are_registered_in_the_admin_by_latitude_and_longitude(client, django_user_model):
    admin = django_user_model.objects.create_superuser("yonetici", password="gizli-parola-123")
    client.force_login(admin)
    form = client.get("/admin/rehber/kiosk/add/")
    assert form.status_code == 200 and 'name="latitude"' in form.text and "openlayers" not in form.text.lower()
    response = client.post("/admin/rehber/kiosk/add/", {
        "kiosk_id": "belediye-onu", "name": "Belediye önü", "latitude": "39.86034", "longitude": "32.92050",
        "idle_seconds": "45", "home_zoom": "17", "active": "on"})
    assert response.status_code == 302, response.content[:2000]
    kiosk = Kiosk.objects.get(kiosk_id="belediye-onu")
    assert (kiosk.location.y, kiosk.location.x, kiosk.idle_seconds) == (39.86034, 32.9205, 45)
    refused = client.post("/admin/rehber/kiosk/add/", {
        "kiosk_id": "cok-kisa", "name": "x", "latitude": "39.8", "longitude": "32.9", "idle_seconds": "1",
        "home_zoom": "17"})
    assert refused.status_code == 200 and not Kiosk.objects.filter(kiosk_id="cok-kisa").exists()
    edit = client.get(f"/admin/rehber/kiosk/{kiosk.pk}/change/")
    assert 'value="39.86034"' in edit.text
