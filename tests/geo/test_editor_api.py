"""The map editor's JSON API and pages, exercised over HTTP with Kent's real roles:
a CBS Editörü, an outside institution (AFAD) limited to the 'afet-bilgi-bankasi' layer group,
a plain user who may only look, and anonymous visitors."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from geo.models import Change, Feature, Layer, LayerGroup, LayerPermission, Right
from numarataj.models import Il, Ilce, Mahalle

SQUARE = {"type": "Polygon", "coordinates": [[[32.80, 39.90], [32.801, 39.90], [32.801, 39.901],
                                              [32.80, 39.901], [32.80, 39.90]]]}
FAR_SQUARE = {"type": "Polygon", "coordinates": [[[33.50, 40.50], [33.501, 40.50], [33.501, 40.501],
                                                  [33.50, 40.501], [33.50, 40.50]]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[32.80, 39.90], [32.81, 39.91], [32.81, 39.90],
                                              [32.80, 39.91], [32.80, 39.90]]]}


def feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def url(slug: str, pk: int | None = None) -> str:
    return f"/api/geo/layers/{slug}/features/" + (f"{pk}/" if pk else "")


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def afet(db) -> LayerGroup:
    return LayerGroup.objects.create(slug="afet-bilgi-bankasi", title_tr="Afet Bilgi Bankası")


@pytest.fixture
def assembly_areas(afet) -> Layer:
    return Layer.objects.create(
        slug="toplanma-alanlari", title_tr="Afet toplanma alanları", theme_id="KH", geometry_family="polygon",
        access_level="agency", group=afet,
        attribute_schema={"properties": {"ad": {"type": "string"}, "kapasite": {"type": "integer"}},
                          "required": ["ad", "kapasite"]})


@pytest.fixture
def water_lines(db) -> Layer:
    return Layer.objects.create(slug="su-hatlari", title_tr="Su hatları", theme_id="AY",
                                geometry_family="line", access_level="internal")


@pytest.fixture
def afad(afet) -> User:
    user = User.objects.create_user("afad", password="pw")
    user.groups.add(Group.objects.get(name="Kurum Kullanıcısı"))
    LayerPermission.objects.create(user=user, layer_group=afet, right=Right.EDIT_DATA)
    return user


@pytest.fixture
def viewer(db) -> User:
    return User.objects.create_user("vatandas", password="pw")


@pytest.fixture
def as_editor(editor) -> Client:
    return client_for(editor)


def create(client: Client, slug: str, body: dict):
    return client.post(url(slug), body, content_type="application/json")


def put(client: Client, slug: str, pk: int, body: dict):
    return client.put(url(slug, pk), body, content_type="application/json")


# ---------------------------------------------------------------- reading


def test_listing_is_geojson_with_versions_filtered_by_bbox(parks, as_editor):
    near = create(as_editor, "parklar", feature(SQUARE, ad="Gençlik Parkı")).json()
    create(as_editor, "parklar", feature(FAR_SQUARE, ad="Uzak Park"))
    r = client_for(None).get(url("parklar"), {"bbox": "32.79,39.89,32.82,39.92"})
    assert r.status_code == 200 and r["Content-Type"] == "application/geo+json"
    body = r.json()
    assert body["type"] == "FeatureCollection" and body["truncated"] is False and body["editable"] is False
    [only] = body["features"]
    assert only["id"] == near["id"] and only["version"] == 1
    assert only["properties"] == {"ad": "Gençlik Parkı"} and only["geometry"]["type"] == "Polygon"
    assert len(client_for(None).get(url("parklar")).json()["features"]) == 2


@pytest.mark.parametrize("bbox", ["32.9,39.8,32.8,39.9", "32.8,39.9,32.9,39.8", "1,2,3", "a,b,c,d", "nan,1,2,3"])
def test_bad_bbox_is_a_clear_400(parks, bbox):
    r = client_for(None).get(url("parklar"), {"bbox": bbox})
    assert r.status_code == 400
    assert r.json()["code"] == "InvalidInput" and "bbox" in r.json()["description"]


def test_min_greater_than_max_says_so(parks):
    r = client_for(None).get(url("parklar"), {"bbox": "32.9,39.8,32.8,39.9"})
    assert "minx ≤ maxx" in r.json()["description"]


def test_listing_is_capped_and_says_so(parks, as_editor, settings):
    settings.KENT_EDITOR_MAX_FEATURES = 2
    for name in "ABC":
        create(as_editor, "parklar", feature(SQUARE, ad=name))
    body = as_editor.get(url("parklar")).json()
    assert body["truncated"] is True and body["limit"] == 2 and len(body["features"]) == 2
    assert as_editor.get(url("parklar"), {"limit": 5}).json()["limit"] == 2


def test_view_right_decides_who_reads(parks, water_lines, assembly_areas, editor, viewer, afad):
    anonymous = client_for(None)
    assert anonymous.get(url("parklar")).status_code == 200
    assert anonymous.get(url("su-hatlari")).status_code == 401
    assert anonymous.get(url("su-hatlari")).json()["code"] == "NotAuthenticated"
    assert client_for(viewer).get(url("su-hatlari")).status_code == 403
    assert client_for(viewer).get(url("toplanma-alanlari")).status_code == 403
    assert client_for(editor).get(url("su-hatlari")).status_code == 200      # staff see internal layers
    assert client_for(afad).get(url("su-hatlari")).status_code == 403        # an institution does not
    assert client_for(afad).get(url("toplanma-alanlari")).status_code == 200
    assert anonymous.get(url("yok-boyle-katman")).status_code == 404


def test_typed_layers_are_listed_read_only(editor):
    """A typed source without an editing backend (mahalle boundaries come from the official
    register, not the map) is listed with its columns read-only and refuses writes."""
    Layer.objects.create(slug="mahalleler", title_tr="Mahalleler", theme_id="IB", geometry_family="polygon",
                         source="numarataj.Mahalle", access_level="internal")
    ilce = Ilce.objects.create(il=Il.objects.create(ad="Ankara", plaka=6), ad="Çankaya")
    Mahalle.objects.create(ilce=ilce, ad="Kızılay", uavt_kodu="1", geom="SRID=4326;MULTIPOLYGON(((32.8 39.9,"
                                                                          "32.801 39.9,32.801 39.901,32.8 39.9)))")
    client = client_for(editor)
    described = {d["slug"]: d for d in client.get("/api/geo/editor/layers/").json()["layers"]}["mahalleler"]
    assert described["editable"] is False and described["editable_source"] is False   # no editing backend
    assert all(a["readonly"] for a in described["attributes"])
    [row] = client.get(url("mahalleler")).json()["features"]
    assert row["properties"]["ad"] == "Kızılay" and row["properties"]["ilce"] == ilce.pk
    assert row["geometry"]["type"] == "MultiPolygon" and "geom" not in row["properties"]
    LayerPermission.objects.create(user=editor, layer=Layer.objects.get(slug="mahalleler"), right=Right.EDIT_DATA)
    r = create(client_for(editor), "mahalleler", feature(SQUARE, ad="Yeni"))
    assert r.status_code == 400 and "salt okunur" in r.json()["description"]


# ---------------------------------------------------------------- writing


def test_create_returns_the_saved_feature_and_a_repair_note(parks, as_editor):
    r = create(as_editor, "parklar", feature(SQUARE, ad="Kuğulu Park"))
    assert r.status_code == 201 and r["Location"] == url("parklar", r.json()["id"])
    assert r.json()["version"] == 1 and r.json()["repair"] is None
    r = create(as_editor, "parklar", feature(BOWTIE, ad="Papyon"))
    assert r.status_code == 201
    assert "Self-intersection" in r.json()["repair"] and r.json()["geometry"]["type"] == "MultiPolygon"
    assert Change.objects.filter(layer=parks, action="create").count() == 2


@pytest.mark.parametrize(("body", "code", "says"), [
    (feature(SQUARE, alan=3), "InvalidInput", "Zorunlu öznitelik eksik: ad"),
    (feature({"type": "Point", "coordinates": [32.8, 39.9]}, ad="x"), "InvalidGeometry", "Alan ister"),
    (feature({"type": "Polygon", "coordinates": [[[3580000, 4420000], [3580100, 4420000], [3580100, 4420100],
                                                  [3580000, 4420000]]]}, ad="x"), "InvalidGeometry", "EPSG:4326"),
    (feature({"type": "Polygon", "coordinates": [[[32.8, 39.9], [32.9, 39.9], [32.9, 40]]]}, ad="x"),
     "InvalidGeometry", "halka"),
    ({"type": "Feature", "properties": {"ad": "x"}}, "InvalidGeometry", "Geometri gerekli"),
    ({"type": "FeatureCollection", "features": []}, "InvalidInput", "GeoJSON Feature"),
    ({**feature(SQUARE, ad="x"), "crs": {"type": "name", "properties": {"name": "EPSG:5255"}}}, "InvalidCRS",
     "EPSG:5255"),
])
def test_bad_input_is_refused_with_a_clear_message(parks, as_editor, body, code, says):
    r = create(as_editor, "parklar", body)
    assert r.status_code == 400
    assert r.json()["code"] == code and says in r.json()["description"]
    assert Feature.objects.count() == 0


def test_unreadable_json_is_400(parks, as_editor):
    r = as_editor.post(url("parklar"), "{not json", content_type="application/json")
    assert r.status_code == 400 and "JSON" in r.json()["description"]


def test_update_needs_the_version_and_bumps_it(parks, as_editor):
    pk = create(as_editor, "parklar", feature(SQUARE, ad="A")).json()["id"]
    r = put(as_editor, "parklar", pk, {"type": "Feature", "properties": {"ad": "B", "alan": 12.5}})
    assert r.status_code == 400 and "version" in r.json()["description"]
    r = put(as_editor, "parklar", pk, {"type": "Feature", "version": 1, "geometry": FAR_SQUARE,
                                       "properties": {"ad": "B", "alan": 12.5}})
    assert r.status_code == 200 and r.json()["version"] == 2
    saved = Feature.objects.get(pk=pk)
    assert saved.properties == {"ad": "B", "alan": 12.5} and saved.geom.extent[0] == pytest.approx(33.5)
    # only attributes: the geometry stays as it is
    r = put(as_editor, "parklar", pk, {"type": "Feature", "version": 2, "properties": {"ad": "C"}})
    assert r.json()["version"] == 3 and Feature.objects.get(pk=pk).geom.extent[0] == pytest.approx(33.5)


def test_concurrent_edit_gets_409_and_the_first_save_is_kept(parks, editor):
    first, second = client_for(editor), client_for(User.objects.get(pk=editor.pk))
    pk = create(first, "parklar", feature(SQUARE, ad="Eski ad")).json()["id"]
    opened_at = first.get(url("parklar", pk)).json()["version"]
    assert second.get(url("parklar", pk)).json()["version"] == opened_at == 1
    assert put(first, "parklar", pk, {"type": "Feature", "version": opened_at,
                                      "properties": {"ad": "Birinci"}}).status_code == 200
    r = put(second, "parklar", pk, {"type": "Feature", "version": opened_at, "properties": {"ad": "İkinci"}})
    assert r.status_code == 409 and r.json()["code"] == "Conflict"
    assert r.json()["detail"] == {"current_version": 2, "your_version": 1}
    assert Feature.objects.get(pk=pk).properties == {"ad": "Birinci"}
    assert Change.objects.filter(object_id=str(pk), action="update").count() == 1


def test_delete_needs_the_current_version(parks, as_editor):
    pk = create(as_editor, "parklar", feature(SQUARE, ad="A")).json()["id"]
    assert as_editor.delete(url("parklar", pk)).status_code == 400
    put(as_editor, "parklar", pk, {"type": "Feature", "version": 1, "properties": {"ad": "B"}})
    r = as_editor.delete(url("parklar", pk) + "?version=1")
    assert r.status_code == 409 and r.json()["detail"]["current_version"] == 2
    assert as_editor.delete(url("parklar", pk) + "?version=2").status_code == 204
    assert not Feature.objects.filter(pk=pk).exists()
    assert as_editor.delete(url("parklar", pk) + "?version=2").status_code == 404


# ---------------------------------------------------------------- roles


def test_anonymous_writes_get_401(parks, as_editor):
    pk = create(as_editor, "parklar", feature(SQUARE, ad="A")).json()["id"]
    anonymous = client_for(None)
    responses = [
        create(anonymous, "parklar", feature(SQUARE, ad="B")),
        put(anonymous, "parklar", pk, {"type": "Feature", "version": 1, "properties": {"ad": "B"}}),
        anonymous.delete(url("parklar", pk) + "?version=1"),
        anonymous.post(f"/api/geo/changes/{Change.objects.get().pk}/revert/"),
    ]
    assert [r.status_code for r in responses] == [401, 401, 401, 401]
    assert all(r.json()["code"] == "NotAuthenticated" for r in responses)
    assert Feature.objects.get(pk=pk).version == 1


def test_a_viewer_without_edit_right_gets_403(parks, as_editor, viewer):
    pk = create(as_editor, "parklar", feature(SQUARE, ad="A")).json()["id"]
    client = client_for(viewer)
    assert client.get(url("parklar")).status_code == 200
    responses = [
        create(client, "parklar", feature(SQUARE, ad="B")),
        put(client, "parklar", pk, {"type": "Feature", "version": 1, "properties": {"ad": "B"}}),
        client.delete(url("parklar", pk) + "?version=1"),
        client.post(f"/api/geo/changes/{Change.objects.get().pk}/revert/"),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert responses[0].json()["detail"] == {"layer": "parklar", "right": "edit_data"}


def test_afad_edits_its_layer_group_only(parks, assembly_areas, afad):
    client = client_for(afad)
    r = create(client, "toplanma-alanlari", feature(SQUARE, ad="Okul bahçesi", kapasite=800))
    assert r.status_code == 201
    pk = r.json()["id"]
    edit = {"type": "Feature", "version": 1, "properties": {"ad": "Okul bahçesi", "kapasite": 900}}
    assert put(client, "toplanma-alanlari", pk, edit).status_code == 200
    assert create(client, "parklar", feature(SQUARE, ad="Park")).status_code == 403
    assert Change.objects.get(object_id=str(pk), action="create").user == afad


# ---------------------------------------------------------------- editor layer list


def test_editor_layer_list_carries_rights_and_the_form(parks, water_lines, assembly_areas, editor, afad):
    layers = {lyr["slug"]: lyr for lyr in client_for(editor).get("/api/geo/editor/layers/").json()["layers"]}
    assert set(layers) == {"parklar", "su-hatlari"}
    park = layers["parklar"]
    assert park["editable"] is True and park["geometry_family"] == "polygon" and "edit_data" in park["rights"]
    assert [(a["name"], a["type"], a["required"]) for a in park["attributes"]] == [
        ("ad", "string", True), ("alan", "number", False)]
    assert park["urls"]["features"] == url("parklar") and park["urls"]["history_page"] == "/katmanlar/parklar/gecmis/"
    assert layers["su-hatlari"]["editable"] is False and layers["su-hatlari"]["rights"] == ["view"]
    theirs = {lyr["slug"]: lyr for lyr in client_for(afad).get("/api/geo/editor/layers/").json()["layers"]}
    assert theirs["toplanma-alanlari"]["editable"] is True and theirs["parklar"]["editable"] is False
    assert "su-hatlari" not in theirs
    anonymous = client_for(None).get("/api/geo/editor/layers/").json()["layers"]
    assert [lyr["slug"] for lyr in anonymous] == ["parklar"]


# ---------------------------------------------------------------- history and revert


def test_history_is_paged_and_names_the_editor(parks, as_editor, editor):
    pk = create(as_editor, "parklar", feature(SQUARE, ad="A")).json()["id"]
    for version, name in enumerate("BCD", start=1):
        put(as_editor, "parklar", pk, {"type": "Feature", "version": version, "properties": {"ad": name}})
    r = as_editor.get("/api/geo/layers/parklar/history/", {"page_size": 3})
    body = r.json()
    assert body["count"] == 4 and body["pages"] == 2 and len(body["results"]) == 3 and body["can_revert"] is True
    latest = body["results"][0]
    assert latest["user"] == "editor1" and latest["action"] == "update"
    assert latest["before"]["properties"] == {"ad": "C"} and latest["after"]["properties"] == {"ad": "D"}
    assert latest["summary"] == ['ad: "C" → "D"'] and latest["revertable"] is True
    assert [c["revertable"] for c in body["results"][1:]] == [False, False]
    assert as_editor.get("/api/geo/layers/parklar/history/", {"page": 2, "page_size": 3}).json()["results"][0][
        "action"] == "create"
    assert client_for(None).get("/api/geo/layers/parklar/history/").status_code == 401
    assert as_editor.get("/api/geo/layers/parklar/history/", {"page": "x"}).status_code == 400


def test_revert_undoes_the_latest_change_and_refuses_older_ones(parks, as_editor):
    pk = create(as_editor, "parklar", feature(SQUARE, ad="A")).json()["id"]
    put(as_editor, "parklar", pk, {"type": "Feature", "version": 1, "properties": {"ad": "B"}})
    created, updated = Change.objects.order_by("id")
    r = as_editor.post(f"/api/geo/changes/{created.pk}/revert/")
    assert r.status_code == 409 and r.json()["detail"] == {"latest_change": updated.pk}
    r = as_editor.post(f"/api/geo/changes/{updated.pk}/revert/")
    assert r.status_code == 201 and r.json()["reverts"] == updated.pk
    assert Feature.objects.get(pk=pk).properties == {"ad": "A"}
    assert as_editor.post("/api/geo/changes/999999/revert/").status_code == 404
    assert as_editor.get(f"/api/geo/changes/{updated.pk}/revert/").status_code == 405


def test_reverting_a_creation_removes_the_feature(parks, as_editor):
    pk = create(as_editor, "parklar", feature(SQUARE, ad="A")).json()["id"]
    change = Change.objects.get(object_id=str(pk))
    assert as_editor.post(f"/api/geo/changes/{change.pk}/revert/").status_code == 201
    assert not Feature.objects.filter(pk=pk).exists()
    assert as_editor.get(url("parklar", pk)).status_code == 404


# ---------------------------------------------------------------- HTTP details


def test_session_writes_need_the_csrf_token(parks, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert create(client, "parklar", feature(SQUARE, ad="A")).status_code == 403
    client.get("/editor/")   # the page sets the csrftoken cookie the script sends back
    token = client.cookies["csrftoken"].value
    r = client.post(url("parklar"), feature(SQUARE, ad="A"), content_type="application/json",
                    headers={"X-CSRFToken": token})
    assert r.status_code == 201


def test_wrong_method_is_a_json_405(parks):
    r = client_for(None).patch(url("parklar"))
    assert r.status_code == 405 and r["Allow"] == "GET, POST" and r.json()["code"] == "MethodNotAllowed"


# ---------------------------------------------------------------- pages


def test_pages_need_a_login_and_the_login_page_is_kents(parks):
    r = client_for(None).get("/editor/")
    assert r.status_code == 302 and r["Location"] == "/accounts/login/?next=/editor/"
    page = client_for(None).get("/accounts/login/?next=/editor/")
    assert page.status_code == 200
    assert 'for="id_username"' in page.text and 'for="id_password"' in page.text
    assert 'data-testid="login-form"' in page.text and "geo/editor.css" in page.text


def test_editor_page_loads_only_local_assets(parks, as_editor):
    page = as_editor.get("/editor/").text
    assert "/static/vendor/leaflet/dist/leaflet.js" in page and "leaflet-geoman" in page
    assert 'id="kent-editor-config"' in page and "/api/geo/editor/layers/" in page
    assert "http://" not in page and "https://" not in page


def test_layer_list_page_shows_metadata_and_links(parks, water_lines, as_editor):
    page = as_editor.get("/katmanlar/").text
    assert 'data-testid="layer-row-parklar"' in page and 'data-testid="layer-row-su-hatlari"' in page
    assert "/katmanlar/parklar/gecmis/" in page and "/katmanlar/parklar/ice-aktar/" in page
    assert "/katmanlar/su-hatlari/ice-aktar/" not in page   # no edit right, no import link
    assert "/katmanlar/parklar/disa-aktar/" in page and "Herkese açık" in page


def test_history_page_reverts_with_its_button(parks, water_lines, as_editor, viewer):
    pk = create(as_editor, "parklar", feature(SQUARE, ad="A")).json()["id"]
    change = Change.objects.get(object_id=str(pk))
    page = as_editor.get("/katmanlar/parklar/gecmis/").text
    assert f'data-testid="revert-{change.pk}"' in page and "ad = &quot;A&quot;" in page
    assert f'data-testid="revert-{change.pk}"' not in client_for(viewer).get("/katmanlar/parklar/gecmis/").text
    r = client_for(viewer).post(f"/katmanlar/parklar/gecmis/{change.pk}/geri-al/", follow=True)
    assert "yetkiniz yok" in r.text and Feature.objects.filter(pk=pk).exists()
    r = as_editor.post(f"/katmanlar/parklar/gecmis/{change.pk}/geri-al/", {"next": "https://example.com/"},
                       follow=True)
    assert r.redirect_chain[-1][0] == "/katmanlar/parklar/gecmis/"
    assert f"#{change.pk} geri alındı" in r.text and not Feature.objects.filter(pk=pk).exists()
    assert client_for(viewer).get("/katmanlar/su-hatlari/gecmis/").status_code == 403
