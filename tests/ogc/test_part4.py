"""OGC API – Features – Part 4 with an independent client: OWSLib's Features client creates,
replaces and deletes a feature of an Afet Bilgi Bankası layer against a live server, with a
personal token made by `manage.py user_token`; stale and missing If-Match, a user without the
right, an anonymous client and a read-only source are refused with their own status and code; the
layer's history names the user and the token, and the access log has each write."""

import io
import json

import pytest
import requests
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from openapi_spec_validator import validate
from owslib.ogcapi.features import Features

from geo.editor.backends import backend_for
from geo.models import AgencyAccessLog, Change, Layer, LayerPermission, Right, UserToken
from geo.services import user_tokens
from geo.sources import registered
from tests.conftest import missing

from .conftest import live_data

pytestmark = live_data
LAYER = "toplanma-alanlari"
NEW = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [32.8155, 39.9301]},
       "properties": {"ad": "QGIS'ten eklenen alan", "risk_turu": "deprem", "kapasite": 250}}


@pytest.fixture(autouse=True)
def part4_urls(settings) -> None:  # noqa: ANN001 - pytest-django's settings fixture
    settings.ROOT_URLCONF = "tests.ogc.part4_urls"


@pytest.fixture
def people(world):  # noqa: ANN001, ANN201 - the OGC world fixture
    """An outside institution's editor (edit right on the Afet Bilgi Bankası group only) and a
    staff member without any grant."""
    editor = User.objects.create_user("afad_editor", password="Gizli-parola-1")
    LayerPermission.objects.create(user=editor, layer_group=world.assembly.group, right=Right.EDIT_DATA)
    staff = User.objects.create_user("okur", password="Gizli-parola-2", is_staff=True)
    return editor, staff


def _token(username: str) -> str:
    out = io.StringIO()
    call_command("user_token", username, "--expires", "30", stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def _client(base: str, secret: str | None = None) -> Features:
    """OWSLib's client with its own header dict (its module keeps one shared dict of defaults)."""
    client = Features(base)
    client.headers = dict(client.headers) | ({"Authorization": f"Bearer {secret}"} if secret else {})
    return client


def _refusal(call) -> dict:  # noqa: ANN001 - a callable raising OWSLib's RuntimeError(body)
    with pytest.raises(RuntimeError) as raised:
        call()
    return json.loads(str(raised.value))


def test_owslib_creates_replaces_and_deletes_with_a_personal_token(live_server, world, people):
    editor, staff = people
    secret = _token("afad_editor")
    assert secret.startswith(user_tokens.TOKEN_PREFIX)
    base = f"{live_server.url}/ogc"
    qgis = _client(base, secret)

    assert qgis.collection_item_create(LAYER, dict(NEW)) is True
    location, created_tag = qgis.response_headers["Location"], qgis.response_headers["ETag"]
    fid = location.rsplit("/", 1)[1]
    item = qgis.collection_item(LAYER, fid)
    assert item["properties"]["ad"] == NEW["properties"]["ad"]
    assert qgis.response_headers["ETag"] == created_tag

    replaced = {**NEW, "properties": {**NEW["properties"], "kapasite": 400}}
    qgis.headers["If-Match"] = created_tag
    assert qgis.collection_item_update(LAYER, fid, replaced) is True
    assert qgis.collection_item(LAYER, fid)["properties"]["kapasite"] == 400
    current_tag = qgis.response_headers["ETag"]
    assert current_tag != created_tag

    # someone else saved meanwhile: the old ETag is refused, nothing is overwritten
    qgis.headers["If-Match"] = created_tag
    stale = _refusal(lambda: qgis.collection_item_update(LAYER, fid, {**replaced, "properties": {"ad": "eski"}}))
    assert stale["code"] == "PreconditionFailed"
    del qgis.headers["If-Match"]
    assert _refusal(lambda: qgis.collection_item_delete(LAYER, fid))["code"] == "PreconditionRequired"
    assert qgis.collection_item(LAYER, fid)["properties"]["kapasite"] == 400

    qgis.headers["If-Match"] = current_tag
    assert qgis.collection_item_delete(LAYER, fid) is True
    assert requests.get(f"{base}/collections/{LAYER}/items/{fid}", timeout=30,
                        headers={"Authorization": f"Bearer {secret}"}).status_code == 404

    # the Afet Bilgi Bankası editor edits only its layers; a staff member without a grant nothing
    assert _refusal(lambda: qgis.collection_item_create("binalar", dict(NEW)))["code"] == "Forbidden"
    other = _client(base, _token("okur"))
    assert _refusal(lambda: other.collection_item_create(LAYER, dict(NEW)))["code"] == "Forbidden"
    anonymous = _client(base)
    assert _refusal(lambda: anonymous.collection_item_create(LAYER, dict(NEW)))["code"] == "NotAuthenticated"
    bare = requests.post(f"{base}/collections/{LAYER}/items", json=NEW, timeout=30)
    assert bare.status_code == 401 and "Bearer" in bare.headers["WWW-Authenticate"]

    # the history an editor reads names the user, and each change the token that made it
    history = Client()
    history.force_login(editor)
    rows = history.get(f"/api/geo/layers/{LAYER}/history/").json()["results"]
    mine = [r for r in rows if r["object_id"] == fid]
    assert [r["action"] for r in mine] == ["delete", "update", "create"]
    token = UserToken.objects.get(user=editor)
    assert all(r["user"] == "afad_editor" and f"#{token.pk} {token.prefix}" in r["comment"] for r in mine)
    page = history.get(f"/katmanlar/{LAYER}/gecmis/")
    assert page.status_code == 200 and page.content.decode().count("afad_editor") >= 3
    writes = AgencyAccessLog.objects.filter(user=editor, user_token=token, collection=LAYER)
    assert {(w.method, w.status) for w in writes if w.method != "GET"} >= {
        ("POST", 201), ("PUT", 200), ("PUT", 412), ("DELETE", 428), ("DELETE", 204)}
    assert UserToken.objects.get(pk=token.pk).last_used_at is not None


@pytest.fixture
def read_only(world) -> Layer:  # noqa: ANN001 - the OGC world fixture
    """A published layer over a registered source that has no editing backend."""
    source = next((name for name, spec in registered().items() if spec.editing is None), None)
    if source is None:
        missing("every registered layer source has an editing backend: no read-only source to test 405 with")
    return Layer.objects.create(slug="salt-okunur", title_tr="Salt okunur", theme_id="AY", geometry_family="polygon",
                                access_level="public", source=source)


def test_a_source_without_editing_backend_answers_405(live_server, world, people, read_only):
    editor, _ = people
    LayerPermission.objects.create(user=editor, layer=read_only, right=Right.EDIT_DATA)
    qgis = _client(f"{live_server.url}/ogc", _token("afad_editor"))
    refusal = _refusal(lambda: qgis.collection_item_create(read_only.slug, dict(NEW)))
    assert refusal["code"] == "MethodNotAllowed" and read_only.source in refusal["description"]


def test_put_keeps_unpublished_attributes_and_patch_merges(world, people):
    editor, _ = people
    LayerPermission.objects.create(user=editor, layer=world.risky, right=Right.EDIT_DATA)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token('afad_editor')}"}
    row = world.risky.rows().first()
    url = f"/ogc/collections/{world.risky.slug}/items/{row.pk}"
    api = Client(HTTP_ACCEPT="application/geo+json")
    read = api.get(url, **auth)
    assert "tckn" not in read.json()["properties"]  # personal: never published
    body = {"type": "Feature", "geometry": read.json()["geometry"], "properties": {"risk_turu": "sel"}}
    put = api.put(url, json.dumps(body), content_type="application/geo+json", HTTP_IF_MATCH=read["ETag"], **auth)
    assert put.status_code == 200 and put.json()["properties"] == {"risk_turu": "sel"}
    row.refresh_from_db()
    assert row.properties == {"risk_turu": "sel", "tckn": "12345678901"}
    patch_url = lambda props, tag: api.patch(  # noqa: E731 - a JSON merge patch of the properties
        url, json.dumps({"type": "Feature", "geometry": None, "properties": props}),
        content_type="application/merge-patch+json", HTTP_IF_MATCH=tag, **auth)
    invalid = patch_url({"risk_turu": None}, put["ETag"])  # null removes; the theme requires it
    assert invalid.status_code == 400 and "risk_turu" in invalid.json()["description"]
    patch = patch_url({"risk_turu": "heyelan", "not": "yerinde bakıldı"}, put["ETag"])
    assert patch.status_code == 200, patch.content
    patch = patch_url({"not": None}, patch["ETag"])
    assert patch.status_code == 200, patch.content
    row.refresh_from_db()
    assert row.properties == {"risk_turu": "heyelan", "tckn": "12345678901"} and patch["ETag"] == f'"{row.version}"'

    # a Part 4 change is reverted like any other; the revert is a new version, so QGIS's ETag is stale
    web = Client()
    web.force_login(editor)
    latest = Change.objects.filter(layer=world.risky, object_id=str(row.pk)).first()
    assert web.post(f"/api/geo/changes/{latest.pk}/revert/").status_code == 201
    row.refresh_from_db()
    assert row.properties["not"] == "yerinde bakıldı"
    assert patch_url({"not": None}, patch["ETag"]).status_code == 412


def test_typed_register_layers_are_written_through_their_backend(world, people):
    """Yapı rows edit through Part 4 once numarataj registers their backend; until then 405."""
    editor, _ = people
    LayerPermission.objects.create(user=editor, layer=world.yapilar, right=Right.EDIT_DATA)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token('afad_editor')}"}
    url = f"/ogc/collections/yapilar/items/{world.yapilar.rows().first().pk}"
    api = Client(HTTP_ACCEPT="application/json")
    read = api.get(url, **auth)
    body = json.dumps({"type": "Feature", "geometry": None, "properties": {"ad": "Part 4 Apartmanı"}})
    patch = api.patch(url, body, content_type="application/merge-patch+json", HTTP_IF_MATCH=read["ETag"], **auth)
    if backend_for(world.yapilar) is None:
        assert patch.status_code == 405 and "numarataj.Yapi" in patch.json()["description"]
        return
    assert patch.status_code == 200 and patch.json()["properties"]["ad"] == "Part 4 Apartmanı"
    assert Change.objects.filter(layer=world.yapilar, user=editor, action="update").count() == 1


def test_basic_auth_only_over_tls(world, people, settings):
    settings.DEBUG = False
    basic = {"HTTP_AUTHORIZATION": "Basic " + __import__("base64").b64encode(b"afad_editor:Gizli-parola-1").decode()}
    url = f"/ogc/collections/{LAYER}/items"
    api = Client()
    plain = api.post(url, json.dumps(NEW), content_type="application/geo+json", **basic)
    assert plain.status_code == 401 and "HTTPS" in plain.json()["description"]
    secure = api.post(url, json.dumps(NEW), content_type="application/geo+json", secure=True, **basic)
    assert secure.status_code == 201
    assert Change.objects.get(object_id=secure.json()["id"], layer=world.assembly).comment.endswith("HTTP Basic)")
    wrong = dict(basic, HTTP_AUTHORIZATION="Basic " + __import__("base64").b64encode(b"afad_editor:x").decode())
    assert api.post(url, json.dumps(NEW), content_type="application/geo+json", secure=True, **wrong).status_code == 401


def test_conformance_openapi_and_options_announce_the_writes(world, people, read_only):
    api = Client(HTTP_ACCEPT="application/json")
    conformance = api.get("/ogc/conformance").json()["conformsTo"]
    assert {"http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
            "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update"} <= set(conformance)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token('afad_editor')}"}
    doc = api.get("/ogc/openapi", {"f": "json"}, **auth).json()
    validate(doc)
    item = doc["paths"][f"/collections/{LAYER}/items/{{featureId}}"]
    assert {"put", "patch", "delete"} <= set(item) and "application/geo+json" in (
        doc["paths"][f"/collections/{LAYER}/items"]["post"]["requestBody"]["content"])
    assert any(p.get("name") == "If-Match" and p["required"] for p in item["put"]["parameters"])
    assert "put" not in doc["paths"][f"/collections/{read_only.slug}/items/{{featureId}}"]
    fid = world.assembly.rows().first().pk
    allowed = api.options(f"/ogc/collections/{LAYER}/items/{fid}", **auth)["Allow"]
    assert {"PUT", "PATCH", "DELETE"} <= set(allowed.replace(" ", "").split(","))
    assert "PUT" not in api.options(f"/ogc/collections/binalar/items/{fid}", **auth)["Allow"]
    assert "PUT" not in api.options(f"/ogc/collections/{LAYER}/items/{fid}")["Allow"]
    agency = api.post(f"/ogc/collections/{LAYER}/items", json.dumps(NEW), content_type="application/geo+json",
                      HTTP_AUTHORIZATION=f"Bearer {world.afad_token}")  # agencies read; people write
    assert agency.status_code == 401 and "kpat_" in agency.json()["description"]


def test_token_page_shows_the_secret_once_and_revokes(world, people):
    editor, _ = people
    page = Client()
    page.force_login(editor)
    made = page.post("/hesap/anahtarlar/", {"label": "QGIS ofis", "expires_days": "90"})
    text = made.content.decode()
    secret = text.split('data-testid="new-secret">')[1].split("<")[0]
    token = UserToken.objects.get(user=editor, label="QGIS ofis")
    assert token.token_hash == user_tokens.hash_token(secret) and secret not in json.dumps(
        list(UserToken.objects.values()), default=str)
    assert secret not in page.get("/hesap/anahtarlar/").content.decode()
    api = Client(HTTP_ACCEPT="application/json")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert api.get(f"/ogc/collections/{LAYER}/items", **auth).status_code == 200  # reads its agency layer
    page.post(f"/hesap/anahtarlar/{token.pk}/iptal/")
    refused = api.post(f"/ogc/collections/{LAYER}/items", json.dumps(NEW), content_type="application/geo+json",
                       **auth)
    assert refused.status_code == 401 and api.get(f"/ogc/collections/{LAYER}/items", **auth).status_code == 401
    assert page.post(f"/hesap/anahtarlar/{token.pk + 1000}/iptal/").status_code == 404
    admin = Client()
    admin.force_login(User.objects.create_superuser("yonetici", password="Gizli-parola-3"))
    listing = admin.get("/admin/geo/usertoken/").content.decode()
    assert token.prefix in listing and token.token_hash not in listing and secret not in listing


def test_a_client_without_if_match_is_refused_unless_the_deployment_allows_it(world, people, settings):
    """QGIS's OAPIF provider PUTs without If-Match: by default that is a 428 (nothing written); a
    deployment that sets KENT_OGC_IF_MATCH=optional lets it save, and history names the user."""
    editor, _ = people
    LayerPermission.objects.create(user=editor, layer=world.risky, right=Right.EDIT_DATA)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token('afad_editor')}"}
    row = world.risky.rows().first()
    url = f"/ogc/collections/{world.risky.slug}/items/{row.pk}"
    api = Client(HTTP_ACCEPT="application/geo+json")
    geometry = api.get(url, **auth).json()["geometry"]
    body = json.dumps({"type": "Feature", "geometry": geometry, "properties": {"risk_turu": "sel"}})
    refused = api.put(url, body, content_type="application/geo+json", **auth)
    assert refused.status_code == 428
    before = row.version
    row.refresh_from_db()
    assert row.version == before
    settings.KENT_OGC_IF_MATCH = "optional"
    saved = api.put(url, body, content_type="application/geo+json", **auth)
    assert saved.status_code == 200, saved.content
    row.refresh_from_db()
    assert row.version == before + 1 and row.properties["risk_turu"] == "sel"
    assert Change.objects.filter(layer=world.risky, object_id=str(row.pk)).first().user == editor
