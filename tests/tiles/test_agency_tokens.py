"""Agency tokens on /tiles/: the keys an agency reads /ogc/ with open its layers' vector and PNG
tiles too, with the same 401/403 and the same access log; public tiles stay open without a look
at any token, internal and unpublished layers never open to a token."""

import io
from dataclasses import dataclass

import mapbox_vector_tile
import pytest
import requests
from django.test import Client
from PIL import Image

from geo.models import AgencyAccessLog, AgencyAccount, Feature, Layer, LayerGroup, LayerPermission, Right
from geo.services.agency_access import issue_token

from .conftest import District, live_data, point, tile_at

POINT_TILE = tile_at(300, 150, 16)  # holds the agency point and the internal one


@dataclass
class Keys:
    afad: str  # covers afet-noktalari (by layer) and the 'afet' group
    utility: str  # an active account whose scope is another layer


@pytest.fixture
def keys(district: District) -> Keys:
    group = LayerGroup.objects.create(slug="afet", title_tr="Afet Bilgi Bankası")
    grouped = Layer.objects.create(slug="toplanma", title_tr="Toplanma alanları", theme_id="DR",
                                   geometry_family="point", access_level="agency", group=group)
    Feature.objects.create(layer=grouped, geom=point(310, 160), properties={"ad": "Toplanma 1"})
    other = Layer.objects.create(slug="hatlar", title_tr="Hatlar", theme_id="KH", geometry_family="point",
                                 access_level="agency")
    afad = AgencyAccount.objects.create(name="AFAD Ankara")
    afad.layers.add(district.layers["afet-noktalari"], district.layers["ic-katman"], district.layers["taslak"])
    afad.layer_groups.add(group)
    utility = AgencyAccount.objects.create(name="Başkent Doğalgaz")
    utility.layers.add(other)
    return Keys(afad=issue_token(afad)[1], utility=issue_token(utility)[1])


def _mvt(slug: str, **kwargs) -> object:
    z, x, y = POINT_TILE
    return Client().get(f"/tiles/{slug}/{z}/{x}/{y}.mvt", **kwargs)


def _log() -> list[tuple]:
    return list(AgencyAccessLog.objects.order_by("id").values_list("account__name", "collection", "status", "features"))


@pytest.mark.django_db
def test_vector_tiles_401_403_200_and_every_request_logged(district, keys):
    AgencyAccessLog.objects.all().delete()
    none = _mvt("afet-noktalari")
    assert none.status_code == 401 and "anahtar" in none.json()["description"]
    assert _mvt("afet-noktalari", HTTP_AUTHORIZATION="Bearer kent_yanlis").status_code == 401
    other = _mvt("afet-noktalari", HTTP_AUTHORIZATION=f"Bearer {keys.utility}")
    assert other.status_code == 403 and "Başkent Doğalgaz" in other.json()["description"]
    ok = _mvt("afet-noktalari", HTTP_AUTHORIZATION=f"Bearer {keys.afad}")
    assert ok.status_code == 200 and "private" in ok["Cache-Control"] and not ok.has_header(
        "Access-Control-Allow-Origin")
    features = mapbox_vector_tile.decode(ok.content)["afet-noktalari"]["features"]
    assert [f["properties"] for f in features] == [{"risk_turu": "deprem"}]
    again = _mvt("afet-noktalari", HTTP_IF_NONE_MATCH=ok["ETag"], HTTP_X_KENT_TOKEN=keys.afad)
    assert again.status_code == 304
    assert _log() == [(None, "afet-noktalari", 401, None), (None, "afet-noktalari", 401, None),
                      ("Başkent Doğalgaz", "afet-noktalari", 403, None), ("AFAD Ankara", "afet-noktalari", 200, None),
                      ("AFAD Ankara", "afet-noktalari", 304, None)]


@pytest.mark.django_db
def test_token_in_the_query_and_group_scope_and_never_logged_in_clear(district, keys):
    AgencyAccessLog.objects.all().delete()
    ok = _mvt("toplanma", data={"token": keys.afad})
    assert ok.status_code == 200
    assert mapbox_vector_tile.decode(ok.content)["toplanma"]["features"][0]["properties"] == {"ad": "Toplanma 1"}
    assert _mvt("toplanma", data={"token": keys.utility}).status_code == 403
    paths = list(AgencyAccessLog.objects.values_list("path", flat=True))
    assert len(paths) == 2 and all("token" not in p and p.endswith(".mvt") for p in paths)


@pytest.mark.django_db
def test_no_token_opens_internal_or_unpublished_layers(district, keys):
    """The AFAD account names ic-katman and taslak in its scope; neither is an agency layer."""
    Layer.objects.filter(slug="taslak").update(access_level="agency")  # agency, but not published
    assert _mvt("ic-katman", HTTP_AUTHORIZATION=f"Bearer {keys.afad}").status_code == 403
    assert _mvt("taslak", HTTP_AUTHORIZATION=f"Bearer {keys.afad}").status_code == 403
    assert _mvt("ic-katman", HTTP_AUTHORIZATION="Bearer kent_yanlis").status_code == 401
    assert _mvt("ic-katman").status_code == 401  # no token: the login rule, as before


@pytest.mark.django_db
def test_public_tiles_look_at_no_token(district, keys, django_assert_num_queries):
    AgencyAccessLog.objects.all().delete()
    z, x, y = tile_at(150, 200, 16)
    url = f"/tiles/yapilar/{z}/{x}/{y}.mvt"
    assert Client().get(url).status_code == 200  # now cached
    with django_assert_num_queries(1):  # the layer row; no token lookup, no session, no log
        assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {keys.afad}").status_code == 200
    with django_assert_num_queries(1):
        assert Client().get(url, {"token": "kent_yanlis"}).status_code == 200
    assert not AgencyAccessLog.objects.exists()


@pytest.mark.django_db
def test_a_logged_in_user_still_reads_through_permissions(district, keys, django_user_model):
    AgencyAccessLog.objects.all().delete()
    user = django_user_model.objects.create_user("afad-personeli", password="pw")
    LayerPermission.objects.create(user=user, layer=district.layers["afet-noktalari"], right=Right.VIEW)
    c = Client()
    c.force_login(user)
    z, x, y = POINT_TILE
    assert c.get(f"/tiles/afet-noktalari/{z}/{x}/{y}.mvt").status_code == 200
    assert c.get(f"/tiles/toplanma/{z}/{x}/{y}.mvt").status_code == 403  # no grant there
    assert not AgencyAccessLog.objects.exists()  # staff reads are not agency reads


@live_data
def test_png_layer_tiles_take_the_token(district, keys, live_url):
    AgencyAccessLog.objects.all().delete()
    z, x, y = POINT_TILE
    url = live_url(f"/tiles/layers/afet-noktalari/{z}/{x}/{y}.png")
    assert requests.get(url, timeout=60).status_code == 401
    assert requests.get(url, headers={"X-Kent-Token": keys.utility}, timeout=60).status_code == 403
    ok = requests.get(url, headers={"Authorization": f"Bearer {keys.afad}"}, timeout=60)
    assert ok.status_code == 200 and ok.headers["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(ok.content)).convert("RGBA")
    assert any(a > 0 for *_, a in image.get_flattened_data())  # the point is drawn
    assert requests.get(url + f"?token={keys.afad}", timeout=60).status_code == 200  # now from the cache
    assert _log() == [(None, "afet-noktalari", 401, None), ("Başkent Doğalgaz", "afet-noktalari", 403, None),
                      ("AFAD Ankara", "afet-noktalari", 200, None), ("AFAD Ankara", "afet-noktalari", 200, None)]
