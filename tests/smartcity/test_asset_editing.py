"""Smart-city assets in the map editor's JSON API: a layer per asset kind (source smartcity.Asset,
source_filter {"kind_id": …}) is listed, created, moved, updated and deleted like a feature-store
layer, with the kind's schema checked, stale edits refused, and every edit in the layer's history,
revertible."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from geo.models import Change, Layer, LayerPermission, Right
from smartcity.assets import save_asset
from smartcity.models import Asset

pytestmark = pytest.mark.django_db

HERE = {"type": "Point", "coordinates": [32.85, 39.92]}
THERE = {"type": "Point", "coordinates": [32.86, 39.93]}
URL = "/api/geo/layers/atik-konteynerleri/features/"


def feature(geometry: dict | None = None, version: int | None = None, **properties) -> dict:
    """A GeoJSON Feature; without properties it moves a row and leaves its attributes alone."""
    body: dict = {"type": "Feature", "geometry": geometry, "properties": properties or None}
    if version is not None:
        body["version"] = version
    return body


def asset_layer(slug: str, title: str, kind: str) -> Layer:
    return Layer.objects.create(slug=slug, title_tr=title, theme_id="KH", geometry_family="point",
                                access_level="internal", source="smartcity.Asset", source_filter={"kind_id": kind})


@pytest.fixture
def containers(kinds) -> Layer:
    return asset_layer("atik-konteynerleri", "Atık konteynerleri", "WasteContainer")


@pytest.fixture
def cameras(kinds) -> Layer:
    return asset_layer("kameralar", "Kameralar", "Camera")


@pytest.fixture
def editor(containers) -> User:
    """A CBS editor granted edit_data on the container layer only."""
    user = User.objects.create_user("konteyner-editoru", password="pw")
    user.groups.add(Group.objects.get(name="CBS Editörü"))
    LayerPermission.objects.create(user=user, layer=containers, right=Right.EDIT_DATA)
    return user


@pytest.fixture
def colleague(containers) -> User:
    """Municipal staff: may view internal layers, holds no edit right."""
    user = User.objects.create_user("meslektas", password="pw")
    user.groups.add(Group.objects.get(name="CBS Editörü"))
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_editor(editor) -> Client:
    return client_for(editor)


def create(client: Client, body: dict):
    return client.post(URL, body, content_type="application/json")


def put(client: Client, pk: int, body: dict):
    return client.put(f"{URL}{pk}/", body, content_type="application/json")


def revert(client: Client, change: Change):
    return client.post(f"/api/geo/changes/{change.pk}/revert/")


def test_the_layer_is_described_with_the_kinds_form_and_lists_its_own_assets(containers, cameras, make_asset,
                                                                              as_editor):
    layers = {d["slug"]: d for d in as_editor.get("/api/geo/editor/layers/").json()["layers"]}
    mine = layers["atik-konteynerleri"]
    assert mine["editable"] is True and mine["editable_source"] is True and mine["geometry_family"] == "point"
    assert layers["kameralar"]["editable"] is False and layers["kameralar"]["editable_source"] is True
    fields = {f["name"]: f for f in mine["attributes"]}
    assert list(fields)[:2] == ["asset_id", "name"] and fields["asset_id"]["create_only"] is True
    assert fields["status"]["enum"] == ["ok", "lidOpen", "dropped", "moved", "vandalized", "burning"]
    assert fields["fillingLevel"]["type"] == "number" and mine["required"] == []

    bin_ = make_asset("WasteContainer", "wc-liste", fillingLevel=0.25, status="ok")
    make_asset("Camera", "kamera-1")
    body = as_editor.get(URL).json()
    [row] = body["features"]
    assert body["editable"] is True and row["id"] == bin_.pk and row["version"] == 1
    assert row["properties"] == {"asset_id": "wc-liste", "name": "Test WasteContainer", "fillingLevel": 0.25,
                                 "status": "ok"}
    assert row["geometry"] == {"type": "Point", "coordinates": [32.82, 39.93]}
    assert as_editor.get(f"{URL}{Asset.objects.get(asset_id='kamera-1').pk}/").status_code == 404


def test_create_generates_an_ngsi_ld_id_and_records_who_did_it(containers, as_editor, editor):
    r = create(as_editor, feature(HERE, name="Kızılay konteyneri", fillingLevel=0.4, status="ok"))
    assert r.status_code == 201, r.json()
    saved = Asset.objects.get(pk=r.json()["id"])
    assert saved.asset_id.startswith("urn:ngsi-ld:WasteContainer:") and saved.kind_id == "WasteContainer"
    assert saved.name == "Kızılay konteyneri" and saved.attributes == {"fillingLevel": 0.4, "status": "ok"}
    assert (saved.geom.x, saved.geom.y) == (32.85, 39.92) and saved.version == 1
    assert r.json()["properties"]["asset_id"] == saved.asset_id and r["Location"] == f"{URL}{saved.pk}/"
    change = Change.objects.get(model="smartcity.Asset", object_id=str(saved.pk))
    assert (change.action, change.layer, change.user, change.before) == ("create", containers, editor, None)
    assert change.after["attributes"] == {"fillingLevel": 0.4, "status": "ok"}

    second = create(as_editor, feature(HERE, asset_id="wc-kizilay-2"))
    assert second.status_code == 201 and second.json()["properties"]["asset_id"] == "wc-kizilay-2"
    assert second.json()["properties"]["asset_id"] != saved.asset_id


@pytest.mark.parametrize(("body", "code", "says", "invalid"), [
    (feature(HERE, fillingLevel=1.5), "InvalidInput", "fillingLevel: 1.5 > en çok 1", ["fillingLevel"]),
    (feature(HERE, status="full"), "InvalidInput", "status: 'full' izin verilen değerlerden değil", ["status"]),
    (feature(HERE, binCapacity="büyük", status="ok"), "InvalidInput", "binCapacity: number bekleniyor",
     ["binCapacity"]),
    (feature(HERE, asset_id="wc/1"), "InvalidInput", "asset_id", ["asset_id"]),
    (feature(HERE, name=42), "InvalidInput", "'name'", ["name"]),
    (feature({"type": "Polygon", "coordinates": [[[32.8, 39.9], [32.9, 39.9], [32.9, 40], [32.8, 39.9]]]}),
     "InvalidGeometry", "Nokta ister", None),
    (feature({"type": "MultiPoint", "coordinates": [[32.8, 39.9], [32.9, 39.9]]}), "InvalidGeometry",
     "tek bir nokta", None),
])
def test_bad_input_is_a_clear_400_and_stores_nothing(containers, as_editor, body, code, says, invalid):
    r = create(as_editor, body)
    assert r.status_code == 400
    assert r.json()["code"] == code and says in r.json()["description"]
    if invalid:
        assert r.json()["detail"]["invalid"] == invalid
    assert not Asset.objects.exists() and not Change.objects.exists()


def test_a_taken_asset_id_is_refused(containers, make_asset, as_editor):
    make_asset("Camera", "urn:ngsi-ld:WasteContainer:eski")
    r = create(as_editor, feature(HERE, asset_id="urn:ngsi-ld:WasteContainer:eski"))
    assert r.status_code == 400 and "kullanılıyor" in r.json()["description"]
    assert Asset.objects.count() == 1


def test_move_and_update_bump_the_version_and_a_stale_edit_gets_409(containers, make_asset, as_editor, editor):
    bin_ = make_asset("WasteContainer", "wc-tasinan", fillingLevel=0.1, name="OSM adı")
    moved = put(as_editor, bin_.pk, feature(THERE, version=1))   # only the geometry: attributes stay
    assert moved.status_code == 200 and moved.json()["version"] == 2
    bin_.refresh_from_db()
    assert (bin_.geom.x, bin_.geom.y) == (32.86, 39.93) and bin_.attributes == {"fillingLevel": 0.1, "name": "OSM adı"}

    r = put(as_editor, bin_.pk, feature(None, version=2, asset_id="wc-tasinan", name="Meydan", status="lidOpen"))
    assert r.status_code == 200 and r.json()["version"] == 3
    bin_.refresh_from_db()
    # properties replace the attributes, except one named like a column (kept: the form cannot show it)
    assert bin_.name == "Meydan" and bin_.attributes == {"status": "lidOpen", "name": "OSM adı"}

    stale = put(as_editor, bin_.pk, feature(HERE, version=2, name="Eski sürümden"))
    assert stale.status_code == 409 and stale.json()["code"] == "Conflict"
    assert stale.json()["detail"] == {"current_version": 3, "your_version": 2}
    assert put(as_editor, bin_.pk, feature(None, name="x")).status_code == 400   # no version at all
    renamed = put(as_editor, bin_.pk, feature(None, version=3, asset_id="baska-kimlik"))
    assert renamed.status_code == 400 and "değiştirilemez" in renamed.json()["description"]
    bad = put(as_editor, bin_.pk, feature(None, version=3, fillingLevel=-1))
    assert bad.status_code == 400 and bad.json()["detail"]["invalid"] == ["fillingLevel"]
    bin_.refresh_from_db()
    assert bin_.name == "Meydan" and bin_.version == 3
    updates = Change.objects.filter(object_id=str(bin_.pk), action="update").order_by("id")
    assert [(c.layer, c.user) for c in updates] == [(containers, editor)] * 2
    assert updates[0].before["geom"]["coordinates"] == [32.82, 39.93] and updates[1].after["name"] == "Meydan"


def test_delete_needs_the_current_version(containers, make_asset, as_editor, editor):
    bin_ = make_asset("WasteContainer", "wc-silinen")
    put(as_editor, bin_.pk, feature(THERE, version=1))
    assert as_editor.delete(f"{URL}{bin_.pk}/").status_code == 400
    r = as_editor.delete(f"{URL}{bin_.pk}/?version=1")
    assert r.status_code == 409 and r.json()["detail"]["current_version"] == 2
    assert as_editor.delete(f"{URL}{bin_.pk}/?version=2").status_code == 204
    assert not Asset.objects.filter(pk=bin_.pk).exists()
    change = Change.objects.filter(object_id=str(bin_.pk)).first()
    assert (change.action, change.layer, change.user) == ("delete", containers, editor)
    assert change.before["asset_id"] == "wc-silinen"


def test_revert_undoes_create_update_and_delete(containers, as_editor, editor):
    pk = create(as_editor, feature(HERE, name="Geçici")).json()["id"]
    assert revert(as_editor, Change.objects.get(object_id=str(pk))).status_code == 201
    assert not Asset.objects.filter(pk=pk).exists()

    pk = create(as_editor, feature(HERE, name="Kalıcı", fillingLevel=0.2)).json()["id"]
    asset_id = Asset.objects.get(pk=pk).asset_id
    put(as_editor, pk, feature(THERE, version=1, asset_id=asset_id, name="Yanlış", fillingLevel=0.9))
    update = Change.objects.filter(object_id=str(pk)).first()
    r = revert(as_editor, update)
    assert r.status_code == 201 and r.json()["reverts"] == update.pk
    restored = Asset.objects.get(pk=pk)
    assert restored.name == "Kalıcı" and restored.attributes == {"fillingLevel": 0.2}
    assert (restored.geom.x, restored.geom.y) == (32.85, 39.92) and restored.version == 3

    assert as_editor.delete(f"{URL}{pk}/?version=3").status_code == 204
    deletion = Change.objects.filter(object_id=str(pk)).first()
    assert revert(as_editor, deletion).status_code == 201
    back = Asset.objects.get(pk=pk)
    assert back.asset_id == asset_id and back.name == "Kalıcı" and back.kind_id == "WasteContainer"
    assert back.version == 4   # an editor still holding version 3 is told the row changed
    reverts = Change.objects.filter(object_id=str(pk), reverts__isnull=False).order_by("id")
    assert [(c.action, c.layer, c.user) for c in reverts] == [("update", containers, editor),
                                                              ("create", containers, editor)]


def test_reverting_a_delete_whose_id_was_taken_since_is_a_409(containers, make_asset, as_editor):
    bin_ = make_asset("WasteContainer", "wc-ikiz")
    as_editor.delete(f"{URL}{bin_.pk}/?version=1")
    deletion = Change.objects.get(object_id=str(bin_.pk))
    newcomer = create(as_editor, feature(HERE, asset_id="wc-ikiz")).json()["id"]
    r = revert(as_editor, deletion)
    assert r.status_code == 409 and "benzersiz" in r.json()["description"]
    assert list(Asset.objects.values_list("pk", flat=True)) == [newcomer]


def test_without_the_edit_right_every_write_is_403(containers, cameras, make_asset, as_editor, colleague):
    bin_ = make_asset("WasteContainer", "wc-yetki")
    put(as_editor, bin_.pk, feature(THERE, version=1))
    client = client_for(colleague)
    assert client.get(URL).status_code == 200 and client.get(URL).json()["editable"] is False
    responses = [create(client, feature(HERE)), put(client, bin_.pk, feature(HERE, version=2)),
                 client.delete(f"{URL}{bin_.pk}/?version=2"), revert(client, Change.objects.get())]
    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert responses[0].json()["detail"] == {"layer": "atik-konteynerleri", "right": "edit_data"}
    r = client_for(User.objects.get(username="konteyner-editoru")).post(
        "/api/geo/layers/kameralar/features/", feature(HERE), content_type="application/json")
    assert r.status_code == 403   # the grant is per layer: containers, not cameras
    bin_.refresh_from_db()
    assert bin_.version == 2 and not Asset.objects.filter(kind_id="Camera").exists()


def test_edits_outside_the_editor_land_on_the_kinds_layer_too(containers, make_asset, staff):
    bin_ = make_asset("WasteContainer", "wc-admin")
    bin_.name = "Yönetim panelinden"
    save_asset(bin_, user=staff, comment="yönetim paneli (admin)")
    change = Change.objects.get(object_id=str(bin_.pk))
    assert change.layer == containers and change.user == staff and bin_.version == 2


def test_the_history_page_shows_asset_edits_with_a_revert_button(containers, as_editor, colleague):
    pk = create(as_editor, feature(HERE, name="Sayfadaki", fillingLevel=0.3)).json()["id"]
    put(as_editor, pk, feature(None, version=1, asset_id=Asset.objects.get(pk=pk).asset_id, name="Sayfadaki",
                               fillingLevel=0.7))
    update = Change.objects.filter(object_id=str(pk)).first()
    page = as_editor.get("/katmanlar/atik-konteynerleri/gecmis/").text
    assert f'data-testid="change-row-{update.pk}"' in page and "konteyner-editoru" in page
    assert "attributes.fillingLevel: 0.3 → 0.7" in page and f'data-testid="revert-{update.pk}"' in page
    assert f'data-testid="revert-{update.pk}"' not in client_for(colleague).get(
        "/katmanlar/atik-konteynerleri/gecmis/").text
    r = as_editor.post(f"/katmanlar/atik-konteynerleri/gecmis/{update.pk}/geri-al/", follow=True)
    assert f"#{update.pk} geri alındı" in r.text and Asset.objects.get(pk=pk).attributes == {"fillingLevel": 0.3}
