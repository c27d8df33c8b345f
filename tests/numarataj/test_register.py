"""The register's MAKS rules (each one caught, with a clear message), the save services and their
history, the conformance report (command and page), the plan pages and API, sign lists, the
number_district command and the admin."""

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.core.management import call_command

from geo.errors import Forbidden, InvalidInput, NotAuthenticated
from geo.services import history
from numarataj.models import Adres, Csbm, KapiNoGecmisi, NumberingPlan, Yapi
from numarataj.services import levha, numbering, plans, register
from numarataj.services.rules import MaksViolation, normalize_door_number, parse_door_number
from tests.conftest import missing


def rules_of(error: MaksViolation) -> set[str]:
    return {v["rule"] for v in error.detail["violations"]}


@pytest.fixture
def gul(make_csbm):
    return make_csbm("Gül", "sokak", [(100, 500), (900, 500)])


# ---- door numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, reason", [("0", "0 olamaz"), ("-3", "negatif"), ("abc", "sayı"), ("", "boş"),
                                          ("15AB", "sayı"), ("1.5", "sayı")])
def test_bad_door_numbers_are_refused_with_the_reason(text, reason):
    with pytest.raises(InvalidInput) as e:
        parse_door_number(text)
    assert reason in e.value.message


def test_door_numbers_are_normalised():
    assert [normalize_door_number(t) for t in ("15", "15a", "15/A", " 7 - b ")] == ["15", "15A", "15A", "7B"]


def test_saving_an_address_with_door_number_zero_is_refused(gul, make_yapi, pt, officer):
    yapi = make_yapi(200, 520)
    for bad in ("0", "-3"):
        with pytest.raises(InvalidInput):
            register.save_adres(Adres(csbm=gul, yapi=yapi, kapi_no=bad, geom=pt(200, 514)), user=officer)
    assert not Adres.objects.exists()


# ---- CSBM rules ----------------------------------------------------------------------------------

def test_a_street_with_a_name_and_a_number_gets_a_clear_error(ilce, line, officer):
    csbm = Csbm(ilce=ilce, tur="sokak", ad="Gül", numara=1203, geom=line([(100, 500), (900, 500)]))
    with pytest.raises(MaksViolation) as e:
        register.save_csbm(csbm, user=officer)
    assert "ikisi birden olamaz" in e.value.message and "never both" in e.value.message
    assert not Csbm.objects.exists()


def test_a_meydan_has_no_number(ilce, line, officer):
    csbm = Csbm(ilce=ilce, tur="meydan", numara=5, geom=line([(100, 500), (200, 500)]))
    with pytest.raises(MaksViolation) as e:
        register.save_csbm(csbm, user=officer)
    assert "Meydan" in e.value.message


def test_a_self_crossing_centreline_is_refused(ilce, mahalle, line, officer):
    bow = line([(100, 100), (300, 300), (300, 100), (100, 300)])
    with pytest.raises(MaksViolation) as e:
        register.save_csbm(Csbm(ilce=ilce, tur="sokak", ad="Papyon", geom=bow), user=officer)
    assert rules_of(e.value) == {"csbm_basit"}


def test_a_centreline_crossing_a_building_is_refused(ilce, mahalle, line, make_yapi, officer):
    make_yapi(500, 500, 20, 20)
    with pytest.raises(MaksViolation) as e:
        register.save_csbm(Csbm(ilce=ilce, tur="sokak", ad="Gül", geom=line([(100, 500), (900, 500)])), user=officer)
    assert rules_of(e.value) == {"csbm_yapi_kesisim"}


def test_a_centreline_outside_its_mahalle_is_refused(ilce, mahalle, mahalle_b, line, officer):
    csbm = Csbm(ilce=ilce, tur="cadde", ad="Uzun", geom=line([(500, 500), (1500, 500)]))
    with pytest.raises(MaksViolation) as e:  # it runs on into Beta but is linked to Alfa only
        register.save_csbm(csbm, user=officer, mahalleler=[mahalle])
    assert rules_of(e.value) == {"csbm_mahalle_disinda"}
    saved = register.save_csbm(csbm, user=officer)  # linked to the mahalleler it crosses: fine
    assert set(saved.mahalleler.all()) == {mahalle, mahalle_b}
    beyond = Csbm(ilce=ilce, tur="cadde", ad="Dış", geom=line([(1500, 500), (2500, 500)]))
    with pytest.raises(MaksViolation) as e:  # leaves the ilçe altogether
        register.save_csbm(beyond, user=officer)
    assert rules_of(e.value) == {"csbm_mahalle_disinda"}


def test_name_and_kind_are_unique_in_the_municipality(ilce, mahalle, line, make_csbm, officer):
    make_csbm("Işık", "sokak", [(100, 100), (200, 100)])
    dup = Csbm(ilce=ilce, tur="sokak", ad="IŞIK", geom=line([(100, 300), (200, 300)]))  # Turkish case folding
    with pytest.raises(MaksViolation) as e:
        register.save_csbm(dup, user=officer)
    assert rules_of(e.value) == {"csbm_ad_tekil"}
    other_kind = Csbm(ilce=ilce, tur="cadde", ad="Işık", geom=line([(100, 300), (200, 300)]))
    register.save_csbm(other_kind, user=officer)  # Işık Caddesi next to Işık Sokak is allowed


def test_a_saved_street_is_recorded_and_revertible(ilce, mahalle, line, officer):
    csbm = register.save_csbm(Csbm(ilce=ilce, tur="sokak", ad="Gül", geom=line([(100, 500), (900, 500)])),
                              user=officer)
    csbm.ad = "Lale"
    register.save_csbm(csbm, user=officer)
    change = history.history_of(Csbm, csbm.pk).first()
    assert (change.before["ad"], change.after["ad"], change.user) == ("Gül", "Lale", officer)
    history.revert(change, user=officer)
    assert Csbm.objects.get(pk=csbm.pk).ad == "Gül"


# ---- Yapı and Adres rules ----------------------------------------------------------------------

def test_tanitim_no_is_unique_in_the_mahalle(make_yapi, mahalle_b, box, officer):
    make_yapi(200, 200, tanitim_no="T-1")
    with pytest.raises(MaksViolation) as e:
        register.save_yapi(Yapi(mahalle=make_yapi(300, 300).mahalle, tanitim_no="T-1", geom=box(390, 390, 400, 400)),
                           user=officer)
    assert rules_of(e.value) == {"yapi_tanitim_tekil"}
    register.save_yapi(Yapi(mahalle=mahalle_b, tanitim_no="T-1", geom=box(1390, 390, 1400, 400)), user=officer)


def test_an_address_must_be_next_to_its_building_and_its_street(gul, make_yapi, pt, officer):
    yapi = make_yapi(200, 540)
    with pytest.raises(MaksViolation) as e:
        register.save_adres(Adres(csbm=gul, yapi=yapi, kapi_no="1", geom=pt(200, 520)), user=officer)  # 15 m off
    assert rules_of(e.value) == {"adres_yapi_yakin"}
    far = make_yapi(200, 600)
    with pytest.raises(MaksViolation) as e:
        register.save_adres(Adres(csbm=gul, yapi=far, kapi_no="1", geom=pt(200, 596)), user=officer)  # 96 m
    assert rules_of(e.value) == {"adres_csbm_yakin"}


def test_a_door_number_change_is_recorded_with_its_period(gul, make_yapi, pt, officer):
    yapi = make_yapi(200, 520)
    [created, *_] = register.save_adres(Adres(csbm=gul, yapi=yapi, kapi_no="1", geom=pt(200, 514)), user=officer)
    adres = Adres.objects.get(pk=created.object_id)
    adres.kapi_no = "3a"
    register.save_adres(adres, user=officer)
    assert Adres.objects.get(pk=adres.pk).kapi_no == "3A"
    assert [(k.kapi_no, k.gecerli_bitis is None) for k in KapiNoGecmisi.objects.order_by("pk")] == [
        ("1", False), ("3A", True)]
    assert register.number_on(gul.pk, "1", at=KapiNoGecmisi.objects.first().gecerli_baslangic) == adres
    twin = Adres(csbm=gul, yapi=make_yapi(400, 520), kapi_no="3A", geom=pt(400, 514))
    with pytest.raises(MaksViolation) as e:
        register.save_adres(twin, user=officer)
    assert rules_of(e.value) == {"adres_no_tekil"}


def test_register_edits_need_an_officer(gul, make_yapi, pt, db):
    adres = Adres(csbm=gul, yapi=make_yapi(200, 520), kapi_no="1", geom=pt(200, 514))
    with pytest.raises(NotAuthenticated):
        register.save_adres(adres, user=None)
    with pytest.raises(Forbidden):
        register.save_adres(adres, user=User.objects.create_user("vatandas"))


# ---- the conformance report --------------------------------------------------------------------

@pytest.fixture
def messy(ilce, mahalle, make_csbm, make_yapi, pt):
    """Bulk data with one violation of each kind the report must find."""
    gul = make_csbm("Gül", "sokak", [(100, 500), (900, 500)])
    make_csbm("gül", "sokak", [(100, 300), (900, 300)])  # duplicate name
    make_csbm("Papyon", "sokak", [(100, 100), (300, 300), (300, 100), (100, 300)])  # crosses itself
    make_csbm("Kaçak", "cadde", [(800, 800), (1800, 800)])  # leaves mahalle Alfa
    make_yapi(500, 300, 20, 20)  # crossed by the duplicate
    y = make_yapi(200, 540)
    Adres.objects.create(csbm=gul, yapi=y, kapi_no="0", geom=pt(200, 520))
    Adres.objects.create(csbm=gul, yapi=make_yapi(400, 520), kapi_no="5", geom=pt(400, 514))
    Adres.objects.create(csbm=gul, yapi=make_yapi(600, 520), kapi_no="5", geom=pt(600, 514))
    return ilce


# (a duplicate tanıtım no cannot be stored: the database refuses it too, so the report cannot meet one)
EXPECTED = {"csbm_ad_tekil", "csbm_basit", "csbm_mahalle_disinda", "csbm_yapi_kesisim", "yapi_csbm_kesisim",
            "adres_kapi_no", "adres_yapi_yakin", "adres_no_tekil"}


def test_maks_report_command_lists_every_violation(messy):
    out = io.StringIO()
    call_command("maks_report", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert {v["rule"] for v in report["violations"]} == EXPECTED
    assert all(v["point"] and v["map_url"] for v in report["violations"])
    text = io.StringIO()
    call_command("maks_report", stdout=text)
    assert "Eksen kendini kesmemeli" in text.getvalue() and "aykırılık" in text.getvalue()


def test_maks_page_links_each_violation_to_the_map(messy, client, officer):
    from geo.models import Layer

    Layer.objects.create(slug="adresler", title_tr="Adresler", theme_id="AD", geometry_family="point",
                         source="numarataj.Adres")
    client.force_login(officer)
    page = client.get("/numarataj/maks-uygunluk/")
    assert page.status_code == 200
    assert "/editor/?layer=adresler&amp;focus=" in page.content.decode()
    data = client.get("/numarataj/maks-uygunluk/?format=json").json()
    assert {v["rule"] for v in data["violations"]} == EXPECTED
    assert client.get("/numarataj/maks-uygunluk/?ilce=x").status_code == 400


def test_maks_page_is_for_officers(messy, client):
    assert client.get("/numarataj/maks-uygunluk/").status_code == 302  # to the login page
    client.force_login(User.objects.create_user("vatandas"))
    assert client.get("/numarataj/maks-uygunluk/").status_code == 403


# ---- plans through the web -----------------------------------------------------------------------

@pytest.fixture
def street_with_buildings(gul, make_yapi, make_csbm, ilce, pt):
    ilce.yon_merkezi = pt(-500, 500)  # Gül Sokak is walked west -> east
    ilce.save()
    make_csbm("Atatürk", "cadde", [(500, 0), (500, 1000)])
    for x in (200, 300, 700):
        make_yapi(x, 520)
    make_yapi(250, 480)
    return gul


def test_review_approve_and_download_signs_through_the_web(street_with_buildings, client, officer):
    client.force_login(officer)
    made = client.post(f"/api/numarataj/csbm/{street_with_buildings.pk}/numarala/")
    assert made.status_code == 201
    pk = made.json()["id"]
    page = client.get(f"/numarataj/planlar/{pk}/").content.decode()
    assert "vendor/leaflet/dist/leaflet.js" in page and "numarataj/plan-map.js" in page
    assert "http" not in Path(finders.find("numarataj/plan-map.js")).read_text()  # nothing from outside
    fc = client.get(f"/api/numarataj/planlar/{pk}/").json()
    assert {f["properties"]["no"] for f in fc["features"] if f["properties"]["kind"] == "kapi"} == {"1", "2", "3", "5"}
    assert client.get(f"/numarataj/planlar/{pk}/levha.csv").status_code == 409  # not approved yet
    done = client.post(f"/api/numarataj/planlar/{pk}/onayla/", {"aciklama": "yerinde kontrol edildi"},
                       content_type="application/json")
    assert done.json()["durum"] == "onaylandi"
    assert NumberingPlan.objects.get(pk=pk).aciklama == "yerinde kontrol edildi"
    assert client.post(f"/api/numarataj/planlar/{pk}/reddet/").status_code == 409
    sheet = client.get(f"/numarataj/planlar/{pk}/levha.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(sheet)))
    plates = [r for r in rows if r["tur"] == "sokak"]
    assert {r["neden"] for r in plates} >= {"sol (tek): ilk kapı", "sol (tek): son kapı", "Atatürk Caddesi kavşağı"}
    assert sorted(r["kapi_no"] for r in rows if r["tur"] == "kapi") == ["1", "2", "3", "5"]
    assert client.get(f"/numarataj/planlar/{pk}/levha.pdf").content.startswith(b"%PDF")
    assert client.get("/numarataj/planlar/").status_code == 200


def test_plan_api_refuses_anonymous_and_non_officers(street_with_buildings, client, officer):
    plan = numbering.plan_street(street_with_buildings, user=officer)
    assert client.post(f"/api/numarataj/planlar/{plan.pk}/onayla/").status_code == 401
    client.force_login(User.objects.create_user("vatandas"))
    assert client.post(f"/api/numarataj/planlar/{plan.pk}/onayla/").status_code == 403
    assert client.post(f"/api/numarataj/csbm/{street_with_buildings.pk}/numarala/").status_code == 403
    assert NumberingPlan.objects.get(pk=plan.pk).durum == "onerildi"


def test_sign_pdf_has_turkish_text(street_with_buildings, officer, tmp_path):
    if not shutil.which("pdftotext"):
        missing("pdftotext (poppler-utils) not installed: make setup installs it")
    plan = plans.approve(numbering.plan_street(street_with_buildings, user=officer), user=officer)
    (tmp_path / "l.pdf").write_bytes(levha.as_pdf(levha.sign_list(plan), plan))
    text = subprocess.run(["pdftotext", str(tmp_path / "l.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Gül Sokak" in text and "Kapı numarası levhaları" in text and "BELEDİYE" in text


# ---- the command ---------------------------------------------------------------------------------

def test_number_district_prints_a_summary_and_applies(street_with_buildings, officer):
    out = io.StringIO()
    call_command("number_district", stdout=out)
    assert "1 sokak, 4 kapı, 4 değişiklik (4 yeni kapı)" in out.getvalue()
    assert not Adres.objects.exists()
    call_command("number_district", "--apply", "--user", officer.username, stdout=out)
    assert Adres.objects.count() == 4
    assert history.history_of(Adres, Adres.objects.first().pk).first().user == officer
    again = io.StringIO()
    call_command("number_district", "--apply", stdout=again)  # nothing left to change
    assert "0 değişiklik" in again.getvalue()


# ---- admin ---------------------------------------------------------------------------------------

def test_admin_pages_open_and_refuse_a_bad_door_number(street_with_buildings, client, pt, officer):
    admin = User.objects.create_superuser("yonetici", password="pw")
    client.force_login(admin)
    plans.approve(numbering.plan_street(street_with_buildings, user=officer), user=officer)
    for model in ("il", "ilce", "mahalle", "csbm", "yapi", "adres", "bagimsizbolum", "site", "arsa",
                  "numberingplan", "kapinogecmisi"):
        assert client.get(f"/admin/numarataj/{model}/").status_code == 200, model
    adres = Adres.objects.first()
    assert client.get(f"/admin/numarataj/adres/{adres.pk}/change/").status_code == 200
    form = {"csbm": adres.csbm_id, "yapi": adres.yapi_id, "kapi_no": "-3", "taraf": adres.taraf,
            "geom": adres.geom.ewkt, "bagimsiz_bolumler-TOTAL_FORMS": 0, "bagimsiz_bolumler-INITIAL_FORMS": 0}
    page = client.post(f"/admin/numarataj/adres/{adres.pk}/change/", form)
    assert page.status_code == 200 and "negatif" in page.content.decode()
    assert Adres.objects.get(pk=adres.pk).kapi_no == adres.kapi_no


def test_admin_explains_a_street_with_a_name_and_a_number(ilce, mahalle, line, client):
    client.force_login(User.objects.create_superuser("yonetici", password="pw"))
    form = {"ilce": ilce.pk, "tur": "sokak", "ad": "Gül", "numara": 1203, "mahalleler": [mahalle.pk],
            "geom": line([(100, 500), (900, 500)]).ewkt}
    page = client.post("/admin/numarataj/csbm/add/", form)
    assert page.status_code == 200 and "ikisi birden olamaz" in page.content.decode()
    assert not Csbm.objects.exists()
    form.pop("numara")
    assert client.post("/admin/numarataj/csbm/add/", form).status_code == 302
    csbm = Csbm.objects.get()
    assert history.history_of(Csbm, csbm.pk).first().action == "create"


def test_infill_and_district_plans_through_the_api(street_with_buildings, make_yapi, client, officer, ilce):
    client.force_login(officer)
    lonely = make_yapi(800, 900)  # 300 m and more from any street
    refused = client.post(f"/api/numarataj/yapi/{lonely.pk}/numarala/")
    assert refused.status_code == 400 and "60 m" in refused.json()["description"]
    district = client.post(f"/api/numarataj/ilce/{ilce.pk}/numarala/").json()
    assert district["tur"] == "ilce" and district["ozet"]["sokaksiz_yapi"] == [lonely.pk]
    client.post(f"/api/numarataj/planlar/{district['id']}/onayla/")
    new = make_yapi(800, 520)
    made = client.post(f"/api/numarataj/yapi/{new.pk}/numarala/")
    assert made.status_code == 201 and made.json()["tur"] == "ara"
    assert NumberingPlan.objects.get(pk=made.json()["id"]).kalemler.get().onerilen_no == "7"


def test_maks_page_speaks_english_when_chosen(messy, client, officer, compiled):
    """Rule titles and violation messages are marked for translation: English readers get English."""
    client.force_login(officer)
    client.post("/i18n/setlang/", {"language": "en"})
    page = client.get("/numarataj/maks-uygunluk/").content.decode()
    assert "A centreline must not cross itself" in page and "The centreline crosses itself." in page
    assert "Eksen kendini kesmemeli" not in page and "Eksen kendini kesiyor" not in page
    data = client.get("/numarataj/maks-uygunluk/?format=json").json()
    titles = {v["rule"]: v["title"] for v in data["violations"]}
    assert titles["adres_no_tekil"] == "A door number must be unique on its street"
    client.post("/i18n/setlang/", {"language": "tr"})
    assert "Eksen kendini kesmemeli" in client.get("/numarataj/maks-uygunluk/").content.decode()
