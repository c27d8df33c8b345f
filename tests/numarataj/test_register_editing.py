"""The register edited on the map like any layer, over HTTP with the editor's own API: a numarataj
officer draws a building, edits its floors, moves a door along the footprint; the MAKS rules refuse
what breaks them before anything is written, naming the field; stale edits get 409; the history
carries the user and a revert restores the row. A door's bağımsız bölümler are listed and edited
under the door. Layout (metres, see conftest): a cadde along y = 100 from x = 0 to 400 in
mahalle Alfa, a 20 x 20 m building north of it (y 120..140)."""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from geo.models import Change, Layer, LayerPermission, Right
from numarataj.models import Adres, Arsa, BagimsizBolum, Csbm, Site, Yapi
from numarataj.services.geometry import to_local

SLUGS = {"yapilar": ("numarataj.Yapi", "BI", "polygon"), "csbm": ("numarataj.Csbm", "UL", "line"),
         "adresler": ("numarataj.Adres", "AD", "point")}


def url(slug: str, pk: int | None = None) -> str:
    return f"/api/geo/layers/{slug}/features/" + (f"{pk}/" if pk else "")


def feature(geom, version: int | None = None, **properties) -> dict:
    body = {"type": "Feature", "geometry": json.loads(geom.json) if geom is not None else None,
            "properties": properties}
    if version is not None:
        body["version"] = version
    return body


def post(client: Client, slug: str, body: dict):
    return client.post(url(slug), json.dumps(body), content_type="application/json")


def put(client: Client, path: str, body: dict):
    return client.put(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def layers(db) -> dict[str, Layer]:
    """The register's layers, editable by the numarataj office as the demo grants it."""
    out = {}
    office = Group.objects.get(name="Numarataj Memuru")
    for slug, (source, theme, family) in SLUGS.items():
        out[slug] = Layer.objects.create(slug=slug, title_tr=slug, theme_id=theme, geometry_family=family,
                                         source=source, access_level="internal")
        LayerPermission.objects.create(group=office, layer=out[slug], right=Right.EDIT_DATA)
    return out


@pytest.fixture
def street(make_csbm) -> Csbm:
    return make_csbm("Atatürk", "cadde", [(0, 100), (400, 100)])


@pytest.fixture
def building(make_yapi) -> Yapi:
    return make_yapi(100, 130, w=20, h=20)


@pytest.fixture
def memur(officer, layers) -> Client:
    client = Client()
    client.force_login(officer)
    return client


def test_officer_draws_a_building_edits_its_floors_and_reverts(memur, officer, layers, box, mahalle, street):
    footprint = box(200, 120, 230, 150)[0]   # a Polygon as drawn; stored as a MultiPolygon
    r = post(memur, "yapilar", feature(footprint, ad="Yeni Yapı", kat_ust=3, kullanim="konut"))
    assert r.status_code == 201, r.content
    yapi = Yapi.objects.get(pk=r.json()["id"])
    assert (yapi.ad, yapi.kat_ust, yapi.version, yapi.mahalle_id) == ("Yeni Yapı", 3, 1, mahalle.pk)
    assert yapi.geom.geom_type == "MultiPolygon" and r.json()["version"] == 1

    r = put(memur, url("yapilar", yapi.pk), feature(None, version=1, ad="Yeni Yapı", kat_ust=5, kat_alt=2,
                                                    kullanim="karma"))
    assert r.status_code == 200, r.content
    assert r.json()["version"] == 2 and r.json()["properties"]["kat_alt"] == 2
    yapi.refresh_from_db()
    assert (yapi.kat_ust, yapi.kat_alt, yapi.kullanim, yapi.version) == (5, 2, "karma", 2)

    # someone still holding version 1 is refused, and the row keeps the newer edit
    stale = put(memur, url("yapilar", yapi.pk), feature(None, version=1, kat_ust=9))
    assert stale.status_code == 409
    assert stale.json()["detail"] == {"current_version": 2, "your_version": 1}
    yapi.refresh_from_db()
    assert yapi.kat_ust == 5

    created, updated = Change.objects.filter(model="numarataj.Yapi", object_id=str(yapi.pk)).order_by("pk")
    assert created.action == "create" and updated.action == "update"
    assert {created.user, updated.user} == {officer} and created.layer == updated.layer == layers["yapilar"]
    assert (updated.before["kat_ust"], updated.after["kat_ust"]) == (3, 5)
    assert updated.after["geom"]["type"] == "MultiPolygon"
    history = memur.get("/api/geo/layers/yapilar/history/").json()
    assert [c["user"] for c in history["results"]] == ["memur1", "memur1"]

    r = memur.post(f"/api/geo/changes/{updated.pk}/revert/")
    assert r.status_code == 201, r.content
    yapi.refresh_from_db()
    assert (yapi.kat_ust, yapi.kat_alt, yapi.kullanim) == (3, 0, "konut") and yapi.version == 3


def test_the_editor_lists_the_register_layers_as_editable(memur, layers):
    described = {d["slug"]: d for d in memur.get("/api/geo/editor/layers/").json()["layers"]}
    assert all(described[s]["editable"] for s in SLUGS)
    fields = {a["name"]: a for a in described["yapilar"]["attributes"]}
    assert fields["kullanim"]["enum"] and fields["kat_ust"]["type"] == "integer" and fields["maks_id"]["readonly"]
    door = {a["name"]: a for a in described["adresler"]["attributes"]}
    assert door["kapi_no"]["required"] and door["bagimsiz_bolumler"]["widget"] == "list"


def test_rights(layers, box, street, officer):
    body = feature(box(200, 120, 230, 150), kat_ust=1)
    assert post(Client(), "yapilar", body).status_code == 401
    plain = Client()
    plain.force_login(User.objects.create_user("sade", password="pw"))
    r = post(plain, "yapilar", body)
    assert r.status_code == 403 and r.json()["code"] == "Forbidden"
    assert not Yapi.objects.exists()


def test_a_door_moves_along_its_footprint(memur, street, building, pt, layers):
    r = post(memur, "adresler", feature(pt(100, 120), kapi_no="5", csbm=street.pk))
    assert r.status_code == 201, r.content
    door = Adres.objects.get(pk=r.json()["id"])
    assert door.yapi_id == building.pk and door.mahalle_id == building.mahalle_id

    # dragged to the east wall, 2 m outside it: it lands on the outline
    r = put(memur, url("adresler", door.pk), feature(pt(112, 130), version=1))
    assert r.status_code == 200, r.content
    assert "oturtuldu" in r.json()["repair"]
    door.refresh_from_db()
    outline = to_local(building.geom).boundary
    moved = to_local(door.geom)
    assert outline.distance(moved) < 0.05 and abs(moved.y - to_local(pt(112, 130)).y) < 0.05
    change = Change.objects.filter(model="numarataj.Adres", object_id=str(door.pk), action="update").get()
    assert change.before["geom"] != change.after["geom"] and change.user.username == "memur1"


def test_a_door_80_m_from_its_street_is_refused_naming_the_field(memur, street, make_yapi, pt, layers):
    far = make_yapi(100, 190, w=20, h=20)   # its south wall at y = 180: 80 m from the street
    r = post(memur, "adresler", feature(pt(100, 180), kapi_no="7", csbm=street.pk, yapi=far.pk))
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "MaksViolation"
    assert "csbm" in body["detail"]["invalid"]
    assert "60 m" in body["detail"]["fields"]["csbm"][0] and "80 m" in body["detail"]["fields"]["csbm"][0]
    assert not Adres.objects.exists() and not Change.objects.filter(model="numarataj.Adres").exists()


def test_a_centreline_across_a_building_is_refused(memur, building, line, layers):
    r = post(memur, "csbm", feature(line([(100, 60), (100, 200)])[0], tur="sokak", ad="Kesen"))
    assert r.status_code == 400
    assert "geometry" in r.json()["detail"]["invalid"]
    assert [v["rule"] for v in r.json()["detail"]["violations"]] == ["csbm_yapi_kesisim"]
    assert not Csbm.objects.filter(ad="Kesen").exists()


def test_name_and_kind_unique_in_the_ilce(memur, street, line, layers):
    r = post(memur, "csbm", feature(line([(0, 500), (400, 500)]), tur="cadde", ad="atatürk"))
    assert r.status_code == 400
    assert {"ad", "tur"} <= set(r.json()["detail"]["invalid"])
    r = post(memur, "csbm", feature(line([(0, 500), (400, 500)]), tur="sokak", ad="Atatürk"))
    assert r.status_code == 201, r.content
    created = Csbm.objects.get(pk=r.json()["id"])
    assert created.ilce_id == street.ilce_id and created.mahalleler.exists()


def test_tanitim_no_unique_in_the_mahalle(memur, building, box, layers):
    building.tanitim_no = "T-1"
    building.save()
    r = post(memur, "yapilar", feature(box(300, 300, 320, 320), tanitim_no="T-1"))
    assert r.status_code == 400 and r.json()["detail"]["invalid"] == ["tanitim_no"]


def test_a_pinned_start_needs_its_point(memur, street, layers):
    r = put(memur, url("csbm", street.pk), feature(None, version=1, tur="cadde", ad="Atatürk",
                                                  baslangic_sabit=True))
    assert r.status_code == 400 and r.json()["detail"]["invalid"] == ["baslangic"]
    start = list(street.geom[0].coords[0])
    r = put(memur, url("csbm", street.pk), feature(None, version=1, tur="cadde", ad="Atatürk",
                                                  baslangic_sabit=True, baslangic=start))
    assert r.status_code == 200, r.content
    street.refresh_from_db()
    assert street.baslangic_sabit and street.baslangic.distance(street.geom) < 1e-7 and street.version == 2


# ---- bağımsız bölümler -----------------------------------------------------------------------------

@pytest.fixture
def door(street, building, pt) -> Adres:
    return Adres.objects.create(csbm=street, yapi=building, mahalle=building.mahalle, kapi_no="5",
                                geom=pt(100, 120))


def test_door_units_listed_and_edited(memur, officer, door, layers):
    path = f"/api/numarataj/adres/{door.pk}/bolumler/"
    assert memur.get(path).json()["items"] == []
    r = put(memur, path, {"bolumler": [{"kat": 0, "kullanim": "isyeri"}, {"kat": 1}, {"kat": 1}]})
    assert r.status_code == 200, r.content
    assert [(u["ic_kapi_no"], u["kat"], u["kullanim"]) for u in r.json()["items"]] == [
        ("Z1", 0, "isyeri"), ("1", 1, "konut"), ("2", 1, "konut")]
    first, second, third = (u["id"] for u in r.json()["items"])

    # keep the shop with its UAVT code, change a flat's use, drop the other flat
    r = put(memur, path, {"version": door.version, "bolumler": [
        {"id": first, "kat": 0, "kullanim": "isyeri", "ic_kapi_no": "Z1", "adres_kodu": "1234567890"},
        {"id": second, "kat": 1, "kullanim": "büro", "ic_kapi_no": "1"}]})
    assert r.status_code == 200, r.content
    units = {u.pk: u for u in BagimsizBolum.objects.filter(adres=door)}
    assert set(units) == {first, second} and units[first].adres_kodu == "1234567890"
    assert units[second].kullanim == "büro"
    changes = Change.objects.filter(model="numarataj.BagimsizBolum")
    assert {c.action for c in changes} == {"create", "update", "delete"}
    assert {c.user for c in changes} == {officer}
    assert changes.get(action="delete").object_id == str(third)

    bad = put(memur, path, {"bolumler": [{"id": first, "kat": "zemin"}]})
    assert bad.status_code == 400 and bad.json()["detail"]["invalid"] == ["bolumler[0].kat"]
    stale = put(memur, path, {"version": door.version + 1, "bolumler": []})
    assert stale.status_code == 409 and BagimsizBolum.objects.filter(adres=door).count() == 2


def test_door_units_need_the_register_office(door, layers):
    path = f"/api/numarataj/adres/{door.pk}/bolumler/"
    assert Client().get(path).status_code == 401
    plain = Client()
    plain.force_login(User.objects.create_user("sade", password="pw"))
    assert plain.get(path).status_code == 403
    assert put(plain, path, {"bolumler": [{"kat": 1}]}).status_code == 403
    assert not BagimsizBolum.objects.exists()


def test_door_units_page_edits_without_script(memur, door):
    page = f"/numarataj/adres/{door.pk}/bolumler/"
    assert "Bağımsız bölümler" in memur.get(page).content.decode()
    r = memur.post(page, {"id": ["", "", ""], "ic_kapi_no": ["", "", ""], "kat": ["2", "", ""],
                          "kullanim": ["", "", ""], "adres_kodu": ["", "", ""]})
    assert r.status_code == 302
    [unit] = BagimsizBolum.objects.filter(adres=door)
    assert (unit.kat, unit.ic_kapi_no, unit.kullanim) == (2, "1", "konut")
    r = memur.post(page, {"id": [str(unit.pk)], "ic_kapi_no": ["1"], "kat": ["2"], "kullanim": ["konut"],
                          "adres_kodu": [""], "sil": [str(unit.pk)]})
    assert r.status_code == 302 and not BagimsizBolum.objects.filter(adres=door).exists()


def test_a_site_with_its_gate_and_a_plot(memur, street, box, pt, layers, mahalle):
    for slug, source in (("siteler", "numarataj.Site"), ("arsalar", "numarataj.Arsa")):
        layer = Layer.objects.create(slug=slug, title_tr=slug, theme_id="BI", geometry_family="polygon",
                                     source=source, access_level="internal")
        LayerPermission.objects.create(group=Group.objects.get(name="Numarataj Memuru"), layer=layer,
                                       right=Right.EDIT_DATA)
    r = post(memur, "siteler", feature(box(250, 120, 350, 220), ad="Çamlık Sitesi"))
    assert r.status_code == 201, r.content
    assert "Giriş kapısı" in r.json()["repair"]
    site = Site.objects.get(pk=r.json()["id"])
    assert site.mahalle == mahalle and abs(to_local(site.giris).y - to_local(pt(300, 120)).y) < 0.05
    # a gate away from the boundary is refused, naming the field
    r = put(memur, url("siteler", site.pk), feature(None, version=1, ad="Çamlık Sitesi",
                                                   giris=list(pt(300, 170).coords)))
    assert r.status_code == 400 and r.json()["detail"]["invalid"] == ["giris"]

    r = post(memur, "arsalar", feature(box(20, 120, 40, 140), ada="101", parsel="7", ayrilacak_adet=2))
    assert r.status_code == 201, r.content
    arsa = Arsa.objects.get(pk=r.json()["id"])
    assert (arsa.ada, arsa.parsel, arsa.ayrilacak_adet, arsa.mahalle) == ("101", "7", 2, mahalle)
    assert post(memur, "arsalar", feature(box(20, 150, 40, 170), ayrilacak_adet=0)).json()["detail"]["invalid"] == [
        "ayrilacak_adet"]


def test_delete_refuses_what_others_depend_on_and_revert_brings_it_back(memur, door, building, street, layers):
    BagimsizBolum.objects.create(adres=door, ic_kapi_no="1", kat=1)
    r = memur.delete(url("adresler", door.pk) + f"?version={door.version}")
    assert r.status_code == 409 and Adres.objects.filter(pk=door.pk).exists()
    r = memur.delete(url("csbm", street.pk) + "?version=1")
    assert r.status_code == 409 and Csbm.objects.filter(pk=street.pk).exists()   # its doors stand on it
    assert memur.delete(url("yapilar", building.pk) + "?version=7").status_code == 409   # stale

    assert memur.delete(url("yapilar", building.pk) + "?version=1").status_code == 204
    door.refresh_from_db()
    assert not Yapi.objects.filter(pk=building.pk).exists() and door.yapi_id is None
    deleted = Change.objects.get(model="numarataj.Yapi", object_id=str(building.pk), action="delete")
    assert memur.post(f"/api/geo/changes/{deleted.pk}/revert/").status_code == 201
    back = Yapi.objects.get(pk=building.pk)
    assert back.geom.equals_exact(building.geom, 1e-9) and back.version == 2


def test_the_register_office_edits_the_register_by_its_role_without_a_grant(layers, box, mahalle, street):
    """An administrator (Yönetici, a register-office role) holds no grant on the layers, yet edits
    them: the register's sources name the office's roles (geo.sources editor_roles). A CBS editor
    without a grant is refused."""
    LayerPermission.objects.all().delete()
    head = User.objects.create_user("mudur", password="pw")
    head.groups.add(Group.objects.get(name="Yönetici"))
    gis = User.objects.create_user("cbs", password="pw")
    gis.groups.add(Group.objects.get(name="CBS Editörü"))
    body = feature(box(200, 120, 230, 150)[0], ad="Yönetici Yapısı", kat_ust=2, kullanim="konut")
    client = Client()
    client.force_login(gis)
    assert post(client, "yapilar", body).status_code == 403
    client.force_login(head)
    r = post(client, "yapilar", body)
    assert r.status_code == 201, r.content
    listing = client.get(url("yapilar")).json()
    assert listing["editable"] is True
