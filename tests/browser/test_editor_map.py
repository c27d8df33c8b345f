"""The editor's map: Kent's own base map underneath, opened on the municipality (the register's
mahalleler) before any layer is chosen, and imagery as the alternative background when an imagery
set exists. Tiles are rendered by the live server (Mapnik, rasterio), nothing comes from outside.

The district lies 12 km south-west of the default map centre, inside the shared Sentinel-2 image;
a park lies 20 km away from it, so "all layers" would give a much wider view than the mahalleler."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.management import call_command

from geo.models import Feature, Layer, LayerPermission, Right
from numarataj.models import Il, Ilce, Mahalle
from tiles.grid import lonlat_to_tile

from .conftest import live_data
from .test_editor import log_in

pytestmark = [pytest.mark.browser, live_data]

DISTRICT = (32.700, 39.800, 32.715, 39.810)   # west, south, east, north: two mahalleler side by side
PARK = (32.900, 39.970, 32.903, 39.972)
NDVI_FILE = "ankara-sentinel2-ndvi-2025-05-15.tif"
NDVI_TITLE = "Sentinel-2 NDVI Ankara"


def _area(west: float, south: float, east: float, north: float) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((west, south, east, north)), srid=4326)


@pytest.fixture
def district(kent_catalogue) -> None:
    """A register of two mahalleler published as the TUCBS İB layer, and a park layer the editor edits."""
    west, south, east, north = DISTRICT
    middle = (west + east) / 2
    ilce = Ilce.objects.create(il=Il.objects.create(ad="Ankara", plaka=6), ad="Deneme", geom=_area(*DISTRICT))
    Mahalle.objects.create(ilce=ilce, ad="Alfa", geom=_area(west, south, middle, north))
    Mahalle.objects.create(ilce=ilce, ad="Beta", geom=_area(middle, south, east, north))
    Layer.objects.create(slug="mahalleler", title_tr="Mahalleler", theme_id="IB", geometry_family="polygon",
                         source="numarataj.Mahalle", access_level="public")
    parks = Layer.objects.create(slug="parklar", title_tr="Parklar", theme_id="KH", geometry_family="polygon",
                                 access_level="public", attribute_schema={"properties": {"ad": {"type": "string"}}})
    Feature.objects.create(layer=parks, geom=_area(*PARK)[0], properties={"ad": "Uzak Park"})
    group = Group.objects.get(name="CBS Editörü")
    LayerPermission.objects.create(group=group, layer=parks, right=Right.EDIT_DATA)
    User.objects.create_user("cbs1", password="gizli-parola").groups.add(group)


def _tile_of(url: str) -> tuple[int, int, int]:
    z, x, y = urlsplit(url).path.rsplit(".", 1)[0].split("/")[-3:]
    return int(z), int(x), int(y)


def _record_tiles(page, prefix: str) -> list[str]:
    """URLs of the tiles under `prefix` the page received as PNG images."""
    seen: list[str] = []
    page.on("response", lambda r: seen.append(r.url) if urlsplit(r.url).path.startswith(prefix)
            and r.status == 200 and r.headers.get("content-type") == "image/png" else None)
    return seen


def test_the_editor_opens_on_the_district_over_kents_base_map(live_server, browser_page, district):
    from playwright.sync_api import expect

    page = browser_page.page
    basemap = _record_tiles(page, "/tiles/basemap/")
    log_in(page, live_server, "/editor/")
    expect(page.locator(".kent-bg-basemap img.leaflet-tile-loaded").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert basemap, "no base-map tile was loaded"
    assert page.locator(".leaflet-control-layers").count() == 0   # nothing to switch to without imagery
    browser_page.screenshot("editor-map-1-district")

    # the first view is the district: zoomed in on it (not the whole data, not the default centre),
    # with the tiles of all four of its corners asked for
    zooms = {_tile_of(u)[0] for u in basemap}
    assert len(zooms) == 1
    z = zooms.pop()
    assert z >= 15, f"opened at zoom {z}, wider than the district"
    shown = {_tile_of(u) for u in basemap}
    west, south, east, north = DISTRICT
    for lon, lat in ((west, south), (west, north), (east, south), (east, north)):
        assert (z, *lonlat_to_tile(lon, lat, z)) in shown, f"the corner {lon}, {lat} is not on the map"
    far = {(z, *lonlat_to_tile(32.837, 39.925, z)), (z, *lonlat_to_tile(PARK[0], PARK[1], z))}
    assert not shown & far

    # choosing a layer still works: the map goes to the park and draws it over the base map
    at_park = {(zz, *lonlat_to_tile(PARK[0], PARK[1], zz)) for zz in range(15, 20)}
    with page.expect_response(lambda r: urlsplit(r.url).path.startswith("/tiles/basemap/")
                              and _tile_of(r.url) in at_park and r.status == 200):
        page.get_by_test_id("layer-select").select_option("parklar")
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(1)
    expect(page.get_by_test_id("tool-draw")).to_be_enabled()
    browser_page.screenshot("editor-map-2-layer")

    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"
    assert browser_page.broken_assets("/static/", "/tiles/") == []


@pytest.mark.shared
def test_imagery_is_the_alternative_background(live_server, browser_page, district, shared_data, settings,
                                               tmp_path):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("import_imagery", str(shared_data / NDVI_FILE), slug="s2-ndvi", title=NDVI_TITLE,
                 attribution="contains modified Copernicus Sentinel data 2025", acquired="2025-05-15")

    page = browser_page.page
    imagery = _record_tiles(page, "/tiles/imagery/s2-ndvi/")
    log_in(page, live_server, "/editor/")
    expect(page.locator(".kent-bg-basemap img.leaflet-tile-loaded").first).to_be_visible()
    assert imagery == []   # the base map comes first; imagery only when chosen

    page.get_by_role("radio", name=NDVI_TITLE).check()
    expect(page.locator(".kent-bg-s2-ndvi img.leaflet-tile-loaded").first).to_be_visible()
    expect(page.locator(".kent-bg-basemap")).to_have_count(0)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("Copernicus Sentinel")
    page.wait_for_load_state("networkidle")
    assert imagery, "no imagery tile was loaded"
    inside = Point((DISTRICT[0] + DISTRICT[2]) / 2, (DISTRICT[1] + DISTRICT[3]) / 2)
    z = _tile_of(imagery[0])[0]
    assert (z, *lonlat_to_tile(inside.x, inside.y, z)) in {_tile_of(u) for u in imagery}
    browser_page.screenshot("editor-map-3-imagery")

    page.get_by_role("radio", name="Altlık harita").check()
    expect(page.locator(".kent-bg-basemap img.leaflet-tile-loaded").first).to_be_visible()
    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"
    assert browser_page.broken_assets("/static/", "/tiles/") == []


def test_without_a_register_the_map_opens_on_all_layers(district):
    """No mahalleler yet (the İB layer is empty): the extent of every layer's data, here the park;
    no data at all: no extent, and the page falls back to the configured centre."""
    from geo.editor.mapbase import home_extent

    assert home_extent() == pytest.approx(DISTRICT)   # the mahalleler, not the far-away park
    Mahalle.objects.all().delete()
    assert home_extent() == pytest.approx(PARK)   # the ilçe has no layer here: it is not published
    Feature.objects.all().delete()
    assert home_extent() is None
