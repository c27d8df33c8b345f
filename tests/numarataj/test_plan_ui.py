"""Numbering from the browser, over HTTP: a plan started for a street, a drawn area, one new
building and a whole ilçe (a job); the review map's JSON and the sortable table; approval and
rejection with a comment; and the documents' one click (sign list PDF/CSV, the changed doors'
cards as one PDF, the fee accruals, a missing tariff refused with the service's message)."""

import csv
import io
import json
import shutil
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from geo.models import Job
from numarataj.models import Adres, BagimsizBolum, NumberingPlan
from numarataj.models.documents import AdresKarti, Tahakkuk, Tarife
from numarataj.services import numbering, plans
from tests.conftest import missing
from tests.numarataj import test_documents, test_register
from tests.numarataj.test_documents import days_ago, pdf_text

# fixtures shared with the register's and the documents' tests
gul, street_with_buildings = test_register.gul, test_register.street_with_buildings
tariffs = test_documents.tariffs

START = "/numarataj/planlar/yeni/"


@pytest.fixture
def office(client, officer):
    client.force_login(officer)
    return client


def _plan_of(response) -> NumberingPlan:
    assert response.status_code == 302, response.content[:400]
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert response["Location"] == f"/numarataj/planlar/{pk}/"
    return NumberingPlan.objects.get(pk=pk)


def _polygon(pt, x0, y0, x1, y1) -> dict:
    ring = [pt(x, y).coords for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))]
    return {"type": "Polygon", "coordinates": [ring]}


def _doors(fc: dict) -> dict[str, dict]:
    return {f["properties"]["no"]: f["properties"] for f in fc["features"] if f["properties"]["kind"] == "kapi"}


# ---- starting ---------------------------------------------------------------------------------

def test_start_page_is_for_officers_and_offers_streets_and_doorless_buildings(street_with_buildings, client,
                                                                               officer, make_yapi):
    assert client.get(START)["Location"].startswith("/accounts/login/")
    client.force_login(User.objects.create_user("vatandas"))
    assert client.get(START).status_code == 403
    assert client.post(START, {"tur": "sokak", "csbm": street_with_buildings.pk}).status_code == 403
    assert not NumberingPlan.objects.exists()
    client.force_login(officer)
    page = client.get(START).content.decode()
    assert "Gül Sokak" in page and "geo/map-base.js" in page and "numarataj/plan-start.js" in page
    config = json.loads(page.split('id="plan-start-config" type="application/json">')[1].split("</script>")[0])
    assert "backgrounds" in config["map"] and config["layerUrl"] == "/api/numarataj/planlar/yeni/harita/"
    addressed = make_yapi(600, 520)
    Adres.objects.create(csbm=street_with_buildings, yapi=addressed, kapi_no="9", geom=addressed.geom.centroid)
    fc = client.get("/api/numarataj/planlar/yeni/harita/", {"bbox": "32.0,39.0,33.5,40.5"}).json()
    kinds = {(f["properties"]["kind"], f["properties"]["id"]) for f in fc["features"]}
    assert ("csbm", street_with_buildings.pk) in kinds and ("yapi", addressed.pk) not in kinds
    assert sum(k == "yapi" for k, _ in kinds) == 4  # the four buildings still without a door
    assert client.get("/api/numarataj/planlar/yeni/harita/", {"bbox": "x"}).status_code == 400


def test_street_plan_started_from_the_form_is_reviewed_on_the_map(street_with_buildings, office):
    plan = _plan_of(office.post(START, {"tur": "sokak", "csbm": street_with_buildings.pk}))
    assert plan.tur == "sokak" and plan.csbm == street_with_buildings and plan.durum == "onerildi"
    assert not Adres.objects.exists()  # a plan changes nothing
    fc = office.get(f"/api/numarataj/planlar/{plan.pk}/").json()
    doors = _doors(fc)
    assert {no: d["taraf"] for no, d in doors.items()} == {"1": "sol", "3": "sol", "5": "sol", "2": "sag"}
    assert all(d["degisiyor"] and d["eski"] == "" for d in doors.values())
    starts = [f["properties"] for f in fc["features"] if f["properties"]["kind"] == "baslangic"]
    assert [s["ad"] for s in starts] == ["Gül Sokak"] and starts[0]["neden"]

    page = office.get(f"/numarataj/planlar/{plan.pk}/").content.decode()
    assert "geo/map-base.js" in page and "numarataj/plan-map.js" in page and 'class="kent-table sortable"' in page
    config = json.loads(page.split('id="plan-config" type="application/json">')[1].split("</script>")[0])
    assert config["geojson"] == f"/api/numarataj/planlar/{plan.pk}/" and "backgrounds" in config["map"]
    table = page.split('data-testid="plan-items"')[1]
    assert table.count("<tr") == 5 and table.count('class="degisiyor"') == 4  # a heading + four new doors
    assert 'data-testid="no-street"' not in page


def test_area_plan_numbers_each_street_crossing_the_area_whole(street_with_buildings, office, pt, make_yapi):
    lonely = make_yapi(250, 600)  # in the area, 100 m from Gül Sokak: no street within 60 m
    area = _polygon(pt, 150, 450, 350, 650)  # over the west end of Gül Sokak only
    plan = _plan_of(office.post(START, {"tur": "alan", "alan": json.dumps(area)}))
    assert plan.csbm == street_with_buildings and plan.ozet["alan"]["type"] == "Polygon"
    fc = office.get(f"/api/numarataj/planlar/{plan.pk}/").json()
    assert set(_doors(fc)) == {"1", "2", "3", "5"}  # the doors east of the area too
    assert [f["properties"]["id"] for f in fc["features"] if f["properties"]["kind"] == "sokaksiz"] == [lonely.pk]
    assert [f["properties"]["kind"] for f in fc["features"]].count("alan") == 1
    assert f"(#{lonely.pk})" in office.get(f"/numarataj/planlar/{plan.pk}/").content.decode().split(
        'data-testid="no-street"')[1]
    both = _polygon(pt, 150, 450, 600, 550)  # Atatürk Caddesi too: two streets, no single CSBM
    made = office.post("/api/numarataj/alan/numarala/", {"alan": both}, content_type="application/json")
    assert made.status_code == 201 and made.json()["ozet"]["sokak"] == 2
    assert NumberingPlan.objects.get(pk=made.json()["id"]).csbm is None
    empty = office.post(START, {"tur": "alan", "alan": json.dumps(_polygon(pt, 150, 800, 350, 950))})
    assert empty.status_code == 400 and "CSBM yok" in empty.content.decode()
    for bad in ("not a polygon", '{"type": "Polygon"}', json.dumps({"type": "Point", "coordinates": [32.8, 39.9]})):
        refused = office.post(START, {"tur": "alan", "alan": bad})
        assert refused.status_code == 400 and "çokgen" in refused.content.decode(), bad
    assert NumberingPlan.objects.count() == 2


def test_infill_plan_for_a_new_building_from_the_form(street_with_buildings, office, officer, make_yapi, pt):
    plans.approve(numbering.plan_street(street_with_buildings, user=officer), user=officer)
    new = make_yapi(800, 520)
    plan = _plan_of(office.post(START, {"tur": "ara", "yapi": new.pk}))
    assert plan.tur == "ara" and [(i.yapi_id, i.onerilen_no) for i in plan.kalemler.all()] == [(new.pk, "7")]
    fc = office.get(f"/api/numarataj/planlar/{plan.pk}/").json()
    assert set(_doors(fc)) == {"7"}
    context = sorted((f["properties"]["no"], f["properties"]["taraf"]) for f in fc["features"]
                     if f["properties"]["kind"] == "komsu")
    assert context == [("1", "sol"), ("2", "sag"), ("3", "sol"), ("5", "sol")]  # read against its neighbours
    starts = [f for f in fc["features"] if f["properties"]["kind"] == "baslangic"]
    assert [f["properties"]["neden"] for f in starts] == ["yön merkezine yakın uç"]  # the west end, (100, 500)
    assert starts[0]["geometry"]["coordinates"] == pytest.approx(list(pt(100, 500).coords), abs=1e-6)
    again = office.post(START, {"tur": "ara", "yapi": Adres.objects.first().yapi_id})
    assert again.status_code == 409 and "zaten bir adresi var" in again.content.decode()
    assert office.post(START, {"tur": "ara"}).status_code == 400


def test_whole_ilce_is_started_as_a_background_job(street_with_buildings, office, officer, ilce):
    response = office.post(START, {"tur": "ilce", "ilce": ilce.pk})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/isler/{job.pk}/"
    assert job.kind == "number_district" and job.params == {"ilce": ilce.pk} and job.user == officer
    assert not NumberingPlan.objects.exists()  # the job makes the plan, not the request


# ---- deciding ----------------------------------------------------------------------------------

def test_approve_and_reject_with_a_comment(street_with_buildings, office, officer, make_yapi):
    plan = numbering.plan_street(street_with_buildings, user=officer)
    done = office.post(f"/api/numarataj/planlar/{plan.pk}/onayla/", {"aciklama": "sahada görüldü"},
                       content_type="application/json")
    assert done.status_code == 200 and done.json()["durum"] == "onaylandi"
    assert sorted(Adres.objects.values_list("kapi_no", flat=True)) == ["1", "2", "3", "5"]
    page = office.get(f"/numarataj/planlar/{plan.pk}/").content.decode()
    assert "sahada görüldü" in page.split('data-testid="plan-decision"')[1] and 'data-testid="documents"' in page
    other = numbering.plan_infill(make_yapi(800, 520), user=officer)
    no = office.post(f"/api/numarataj/planlar/{other.pk}/reddet/", {"aciklama": "ruhsat eksik"},
                     content_type="application/json")
    other.refresh_from_db()
    assert no.status_code == 200 and (other.durum, other.aciklama, other.karar_veren) == ("reddedildi",
                                                                                          "ruhsat eksik", officer)
    assert Adres.objects.count() == 4
    assert 'data-testid="documents"' not in office.get(f"/numarataj/planlar/{other.pk}/").content.decode()


# ---- documents ------------------------------------------------------------------------------------

@pytest.fixture
def approved(street_with_buildings, officer) -> NumberingPlan:
    return plans.approve(numbering.plan_street(street_with_buildings, user=officer), user=officer)


@pytest.fixture
def all_tariffs(tariffs) -> None:
    Tarife.objects.create(kalem="csbm_levhasi", birim_fiyat=Decimal("300.00"), gecerlilik_baslangic=days_ago(30),
                          meclis_karar_no="2024/112")


def test_one_click_gives_signs_cards_and_accruals(approved, all_tariffs, office, tmp_path):
    if not shutil.which("pdftotext"):
        missing("pdftotext (poppler-utils) not installed: make setup installs it")
    base = f"/api/numarataj/planlar/{approved.pk}"
    page = office.get(f"/numarataj/planlar/{approved.pk}/").content.decode()
    assert page.count('data-testid="add-units-') == 4  # no door has a unit yet: no card can be issued
    door = Adres.objects.get(kapi_no="3")
    made = office.post(f"{base}/bolumler/", {"adres": door.pk, "adet": 2}, content_type="application/json")
    assert made.status_code == 201 and made.json()["bolumler"] == ["Z1", "Z2"]

    result = office.post(f"{base}/belgeler/").json()
    assert (result["kart"], result["yeni_kart"], result["tahakkuk"]) == (2, 2, 2)
    assert sorted(d["kapi_no"] for d in result["bolumsuz"]) == ["1", "2", "5"]
    sheet = office.get(result["links"]["levha_csv"]).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(sheet)))
    door_plates = sorted(r["kapi_no"] for r in rows if r["tur"] == "kapi")
    street_plates = [r for r in rows if r["tur"] == "sokak"]
    assert door_plates == ["1", "2", "3", "5"] and street_plates
    charged = {t.kalem: t for t in Tahakkuk.objects.all()}
    assert charged["kapi_levhasi"].miktar == 4 and charged["kapi_levhasi"].tutar == Decimal("160.00")
    assert charged["csbm_levhasi"].miktar == len(street_plates)
    assert Tahakkuk.objects.filter(kalem="adres_karti").count() == 2 and f"#{approved.pk}" in charged[
        "kapi_levhasi"].aciklama

    cards = pdf_text(office.get(result["links"]["kartlar_pdf"]).content, tmp_path)
    assert cards.count("ADRES KARTI") == 2 and "Gül Sokak" in cards and "Z2" in cards
    signs = pdf_text(office.get(result["links"]["levha_pdf"]).content, tmp_path)
    assert "Kapı numarası levhaları: 4 adet" in signs

    # the other doors get units later; a second click charges no plate twice and adds their cards
    office.post(f"{base}/bolumler/", {"adres": Adres.objects.get(kapi_no="1").pk, "adet": 1},
                content_type="application/json")
    again = office.post(f"{base}/belgeler/").json()
    assert (again["kart"], again["yeni_kart"]) == (3, 1)
    assert Tahakkuk.objects.exclude(kalem="adres_karti").count() == 2 and AdresKarti.objects.count() == 3
    listed = office.get(f"/numarataj/planlar/{approved.pk}/").content.decode()
    assert "3 adres kartı (PDF)" in listed and f"/numarataj/planlar/{approved.pk}/kartlar.pdf" in listed


def test_a_missing_tariff_is_explained_and_nothing_is_charged(approved, tariffs, office):
    door = Adres.objects.get(kapi_no="1")
    BagimsizBolum.objects.create(adres=door, ic_kapi_no="1", kat=0)
    refused = office.post(f"/api/numarataj/planlar/{approved.pk}/belgeler/")
    assert refused.status_code == 409
    message = refused.json()["description"]
    assert "CSBM (sokak/cadde) ad levhası" in message and "tarife" in message
    assert not Tahakkuk.objects.exists() and not AdresKarti.objects.exists()
    approved.refresh_from_db()
    assert "belgeler" not in approved.ozet
    assert office.get(f"/numarataj/planlar/{approved.pk}/kartlar.pdf").status_code == 400


def test_documents_need_an_approved_plan_and_an_officer(street_with_buildings, tariffs, client, officer,
                                                        make_yapi):
    plan = numbering.plan_street(street_with_buildings, user=officer)
    assert client.post(f"/api/numarataj/planlar/{plan.pk}/belgeler/").status_code == 401
    client.force_login(officer)
    assert client.post(f"/api/numarataj/planlar/{plan.pk}/belgeler/").status_code == 409
    plans.approve(plan, user=officer)
    stranger = make_yapi(800, 520)
    other = Adres.objects.create(csbm=street_with_buildings, yapi=stranger, kapi_no="99", geom=stranger.geom.centroid)
    outside = client.post(f"/api/numarataj/planlar/{plan.pk}/bolumler/", {"adres": other.pk, "adet": 1},
                          content_type="application/json")
    assert outside.status_code == 400 and not BagimsizBolum.objects.exists()
