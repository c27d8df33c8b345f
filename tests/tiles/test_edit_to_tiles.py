"""End to end over real HTTP: an editor logs in, draws a park through the editor's JSON API, and
the next base-map PNG and the next vector tile of that area show it, though both were cached a
moment before; moving the park clears its old place too. Nothing is called in-process."""

import json

import mapbox_vector_tile
import requests

from geo.models import Change, LayerPermission, Right
from tiles import cache
from tiles.tilesets import mvt_tileset, raster_tileset

from .conftest import PARK_FILL, box, close, live_data, pixel_of, png, tile_at

PARK = (40, 510, 200, 590)  # local metres, north of Alfa's buildings: a tile of land and streets before
MOVED = (560, 40, 700, 120)


def _editor_session(live_url, user: str, password: str) -> requests.Session:
    """Logged in through the login form, as the editor's browser is (session cookie + CSRF)."""
    s = requests.Session()
    s.get(live_url("/accounts/login/"), timeout=30).raise_for_status()
    r = s.post(live_url("/accounts/login/"), timeout=30, allow_redirects=False,
               data={"username": user, "password": password, "csrfmiddlewaretoken": s.cookies["csrftoken"]})
    assert r.status_code == 302 and "sessionid" in s.cookies, r.text[:300]
    s.headers.update({"X-CSRFToken": s.cookies["csrftoken"], "Content-Type": "application/geo+json"})
    return s


def _feature(local_box: tuple[float, ...], **extra) -> str:
    return json.dumps({"type": "Feature", "geometry": json.loads(box(*local_box).geojson), **extra})


def _parks(url: str) -> list[dict]:
    """The park features of a vector tile (y down, in tile units); [] for 204."""
    r = requests.get(url, timeout=30)
    assert r.status_code in (200, 204), r.text[:300]
    if r.status_code == 204:
        return []
    assert r.headers["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(r.content, default_options={"y_coord_down": True})["parklar"]["features"]


def _corners_in_units(local_box: tuple[float, ...], z: int, x: int, y: int) -> list[tuple[int, int]]:
    """The box's four corners in MVT units of tile z/x/y (y down)."""
    x0, y0, x1, y1 = local_box
    return [pixel_of(cx, cy, z, x, y, 4096) for cx, cy in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]


@live_data
def test_an_editor_api_edit_shows_on_the_next_basemap_and_vector_tile(district, live_url, django_user_model):
    editor = django_user_model.objects.create_user("duzenleyici", password="pw-123456")
    LayerPermission.objects.create(user=editor, layer=district.layers["parklar"], right=Right.EDIT_DATA)
    z, x, y = tile_at(120, 550, 17)
    base_url = live_url(f"/tiles/basemap/{z}/{x}/{y}.png")
    mvt_url = live_url(f"/tiles/parklar/{z}/{x}/{y}.mvt")
    inside = pixel_of(70, 525, z, x, y)  # in the new park, clear of its centred label

    before = png(base_url)
    assert png(base_url).tobytes() == before.tobytes()
    assert not close(before.getpixel(inside), PARK_FILL)
    assert _parks(mvt_url) == []
    assert cache.get(raster_tileset("basemap", 1), z, x, y, "png") is not None  # both now come from the cache
    assert cache.get(mvt_tileset("parklar"), z, x, y, "mvt") == b""

    api = _editor_session(live_url, "duzenleyici", "pw-123456")
    created = api.post(live_url("/api/geo/layers/parklar/features/"), timeout=30,
                       data=_feature(PARK, properties={"ad": "Yeni Park"}))
    assert created.status_code == 201, created.text[:300]
    park = created.json()

    after = png(base_url)
    assert close(after.getpixel(inside), PARK_FILL), after.getpixel(inside)
    changed = sum(1 for a, b in zip(before.get_flattened_data(), after.get_flattened_data(), strict=True) if a != b)
    assert changed > 1000  # the park's area, not a stray pixel
    [feature] = _parks(mvt_url)
    assert feature["id"] == park["id"] and feature["properties"] == {"ad": "Yeni Park"}
    ring = feature["geometry"]["coordinates"][0]
    for cx, cy in _corners_in_units(PARK, z, x, y):  # the whole park lies in this tile: no clipping
        assert any(abs(px - cx) <= 2 and abs(py - cy) <= 2 for px, py in ring), ((cx, cy), ring)

    moved = api.put(live_url(f"/api/geo/layers/parklar/features/{park['id']}/"), timeout=30,
                    data=_feature(MOVED, version=park["version"]))
    assert moved.status_code == 200, moved.text[:300]
    assert not close(png(base_url).getpixel(inside), PARK_FILL)  # the old place is land again
    assert _parks(mvt_url) == []
    new_tile = tile_at(630, 80, 17)
    assert [f["id"] for f in _parks(live_url("/tiles/parklar/{}/{}/{}.mvt".format(*new_tile)))] == [park["id"]]
    assert list(Change.objects.filter(layer=district.layers["parklar"], object_id=str(park["id"]))
                .order_by("id").values_list("action", "user__username")) == [("create", "duzenleyici"),
                                                                             ("update", "duzenleyici")]
