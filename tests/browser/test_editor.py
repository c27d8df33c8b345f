"""A GIS editor's day in the browser: log in, pick a layer, draw a park, fill its name, save,
find the change in the layer's history and revert it, with the row gone from the database; and
the same editor placing and moving a waste container on a smart-city asset layer."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Polygon

from geo.models import Change, Feature, Layer, LayerPermission, Right
from geo.services.features import create_feature, update_feature
from smartcity.kinds import sync_kinds
from smartcity.models import Asset, AssetKind

from .conftest import live_data

pytestmark = [pytest.mark.browser, live_data]


@pytest.fixture
def parks_for_editor(kent_catalogue) -> Layer:
    layer = Layer.objects.create(
        slug="parklar", title_tr="Parklar", theme_id="KH", geometry_family="polygon", access_level="public",
        attribute_schema={"properties": {"ad": {"type": "string", "title": "Ad"}, "alan": {"type": "number"}},
                          "required": ["ad"]})
    group = Group.objects.get(name="CBS Editörü")
    LayerPermission.objects.create(group=group, layer=layer, right=Right.EDIT_DATA)
    User.objects.create_user("cbs1", password="gizli-parola").groups.add(group)
    return layer


def log_in(page, live_server, next_path: str, username: str = "cbs1") -> None:
    """Open a page that needs a login, log in on Kent's login page (password 'gizli-parola', as
    every browser test's users have) and land back on it."""
    page.goto(live_server.url + next_path)
    page.wait_for_url(lambda url: urlsplit(url).path == "/accounts/login/")
    page.get_by_label("Kullanıcı adı").fill(username)
    page.get_by_label("Parola").fill("gizli-parola")
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(live_server.url + next_path)


def test_draw_save_and_revert_a_polygon(live_server, browser_page, parks_for_editor):
    from playwright.sync_api import expect

    page = browser_page.page
    log_in(page, live_server, "/editor/")
    page.get_by_test_id("layer-select").select_option("parklar")
    draw = page.get_by_test_id("tool-draw")
    expect(draw).to_be_enabled()
    draw.click()
    box = page.get_by_test_id("map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(cx - 120, cy - 80), (cx + 120, cy - 80), (cx + 120, cy + 80), (cx - 120, cy + 80)]
    for x, y in [*corners, corners[0]]:   # clicking the first corner again closes the polygon
        page.mouse.click(x, y)
        page.wait_for_timeout(120)
    expect(page.get_by_test_id("feature-form")).to_be_visible()
    browser_page.screenshot("editor-1-drawn")

    # the required attribute is missing: the API's own message appears in the page
    message = page.get_by_test_id("editor-message")
    page.get_by_test_id("save-feature").click()
    expect(message).to_contain_text("Zorunlu öznitelik eksik: ad")
    expect(page.get_by_test_id("attr-ad")).to_have_attribute("aria-invalid", "true")

    page.get_by_test_id("attr-ad").fill("Tarayıcı Parkı")
    page.get_by_test_id("save-feature").click()
    expect(message).to_contain_text("Eklendi")
    saved = Feature.objects.get(layer=parks_for_editor)
    assert saved.properties == {"ad": "Tarayıcı Parkı"} and saved.version == 1
    assert saved.geom.geom_type == "Polygon" and saved.geom.num_coords == 5 and saved.geom.valid
    expect(page.get_by_test_id("feature-title")).to_contain_text(f"#{saved.pk}")
    browser_page.screenshot("editor-2-saved")

    page.get_by_test_id("history-link").click()
    page.wait_for_url("**/katmanlar/parklar/gecmis/")
    change = Change.objects.get(object_id=str(saved.pk), action="create")
    row = page.get_by_test_id(f"change-row-{change.pk}")
    expect(row).to_contain_text("Tarayıcı Parkı")
    expect(row).to_contain_text("cbs1")
    browser_page.screenshot("editor-3-history")

    page.get_by_test_id(f"revert-{change.pk}").click()
    expect(page.get_by_test_id("history-messages")).to_contain_text(f"#{change.pk} geri alındı")
    assert not Feature.objects.filter(pk=saved.pk).exists()
    assert Change.objects.filter(reverts=change, action="delete").exists()
    browser_page.screenshot("editor-4-reverted")

    # back on the map the park is gone too
    page.goto(live_server.url + "/editor/?katman=parklar")
    expect(page.get_by_test_id("tool-draw")).to_be_enabled()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(0)

    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"
    assert browser_page.broken_assets("/static/vendor/", "/static/geo/") == []


def test_a_stale_save_shows_the_conflict_and_keeps_the_other_edit(live_server, browser_page, parks_for_editor):
    """Someone else saves while the form is open: the page says so, and nothing is overwritten."""
    from playwright.sync_api import expect

    square = Polygon.from_bbox((32.830, 39.920, 32.845, 39.930))
    square.srid = 4326
    editor = User.objects.get(username="cbs1")
    park, _ = create_feature(parks_for_editor, square, {"ad": "Eski ad"}, user=editor)

    page = browser_page.page
    log_in(page, live_server, "/editor/?katman=parklar")
    shape = page.locator(".leaflet-overlay-pane path")
    expect(shape).to_have_count(1)
    shape.click()
    expect(page.get_by_test_id("feature-title")).to_contain_text(f"#{park.pk} (sürüm 1)")
    expect(page.get_by_test_id("attr-ad")).to_have_value("Eski ad")

    update_feature(park.pk, parks_for_editor, expected_version=1, user=editor, properties={"ad": "Masadan"})
    page.get_by_test_id("attr-ad").fill("Haritadan")
    page.get_by_test_id("save-feature").click()
    message = page.get_by_test_id("editor-message")
    expect(message).to_contain_text("başka biri tarafından değiştirildi")
    expect(message).to_contain_text("Güncel sürüm 2")
    browser_page.screenshot("editor-5-conflict")
    assert Feature.objects.get(pk=park.pk).properties == {"ad": "Masadan"}

    with page.expect_response(lambda r: "/features/?bbox=" in r.url):
        message.get_by_role("button", name="Güncel hâli yükle").click()
    expect(page.get_by_test_id("feature-form")).to_be_hidden()
    shape.click()
    expect(page.get_by_test_id("attr-ad")).to_have_value("Masadan")
    page.get_by_test_id("attr-ad").fill("Haritadan")
    page.get_by_test_id("save-feature").click()
    expect(message).to_contain_text("sürüm 3")
    assert Feature.objects.get(pk=park.pk).properties == {"ad": "Haritadan"}
    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"


def test_move_a_vertex_then_delete_with_the_removal_tool(live_server, browser_page, parks_for_editor):
    from playwright.sync_api import expect

    square = Polygon.from_bbox((32.830, 39.920, 32.845, 39.930))
    square.srid = 4326
    park, _ = create_feature(parks_for_editor, square, {"ad": "Köşeli Park", "alan": 4.5},
                             user=User.objects.get(username="cbs1"))
    page = browser_page.page
    log_in(page, live_server, "/editor/?katman=parklar")
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(1)

    page.get_by_test_id("tool-edit").click()
    expect(page.get_by_test_id("tool-edit")).to_have_attribute("aria-pressed", "true")
    vertex = page.locator(".leaflet-marker-pane .marker-icon:not(.marker-icon-middle)").first
    expect(vertex).to_be_visible()
    box = vertex.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 30, y + 20, steps=5)
    page.mouse.move(x + 60, y + 40, steps=5)
    page.mouse.up()
    message = page.get_by_test_id("editor-message")
    expect(message).to_contain_text("Geometri değişti")
    expect(page.get_by_test_id("feature-title")).to_contain_text(f"#{park.pk}")
    page.get_by_test_id("save-feature").click()
    expect(message).to_contain_text("sürüm 2")
    moved = Feature.objects.get(pk=park.pk)
    assert moved.properties == {"ad": "Köşeli Park", "alan": 4.5}
    assert not moved.geom.equals_exact(square, 1e-9) and moved.geom.num_coords == 5

    page.get_by_test_id("tool-edit").click()
    page.get_by_test_id("tool-remove").click()
    expect(page.get_by_test_id("tool-remove")).to_have_attribute("aria-pressed", "true")
    page.locator(".leaflet-overlay-pane path").click()
    expect(message).to_contain_text(f"Detay #{park.pk} silindi")
    assert not Feature.objects.filter(pk=park.pk).exists()
    assert Change.objects.filter(object_id=str(park.pk)).count() == 3
    browser_page.screenshot("editor-6-deleted")
    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"


@pytest.fixture
def containers_for_editor(parks_for_editor) -> Layer:
    """The waste-container layer as smartcity.layers makes it, editable by the CBS editors."""
    sync_kinds(AssetKind)   # a transactional test before this one may have flushed them
    layer = Layer.objects.create(
        slug="atik-konteynerleri", title_tr="Atık konteynerleri", theme_id="AY", geometry_family="point",
        access_level="internal", source="smartcity.Asset", source_filter={"kind_id": "WasteContainer"})
    LayerPermission.objects.create(group=Group.objects.get(name="CBS Editörü"), layer=layer, right=Right.EDIT_DATA)
    return layer


def test_place_and_move_a_waste_container_then_revert_the_move(live_server, browser_page, containers_for_editor):
    from playwright.sync_api import expect

    page = browser_page.page
    log_in(page, live_server, "/editor/?katman=atik-konteynerleri")
    draw = page.get_by_test_id("tool-draw")
    expect(draw).to_be_enabled()
    draw.click()
    box = page.get_by_test_id("map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.get_by_test_id("feature-form")).to_be_visible()
    # the kind's schema makes the form: an enum is a list to pick from, a number a number field
    expect(page.get_by_test_id("attr-status").locator("option")).to_have_count(7)
    expect(page.get_by_test_id("attr-fillingLevel")).to_have_attribute("type", "number")
    message = page.get_by_test_id("editor-message")
    page.get_by_test_id("attr-fillingLevel").fill("1.4")
    page.get_by_test_id("save-feature").click()
    expect(message).to_contain_text("fillingLevel: 1.4 > en çok 1")
    expect(page.get_by_test_id("attr-fillingLevel")).to_have_attribute("aria-invalid", "true")
    assert not Asset.objects.exists()

    page.get_by_test_id("attr-name").fill("Meydan konteyneri")
    page.get_by_test_id("attr-fillingLevel").fill("0.4")
    page.get_by_test_id("attr-status").select_option(label="ok")
    page.get_by_test_id("save-feature").click()
    expect(message).to_contain_text("Eklendi")
    placed = Asset.objects.get()
    assert placed.kind_id == "WasteContainer" and placed.asset_id.startswith("urn:ngsi-ld:WasteContainer:")
    assert placed.name == "Meydan konteyneri" and placed.attributes == {"fillingLevel": 0.4, "status": "ok"}
    expect(page.get_by_test_id("attr-asset_id")).to_have_value(placed.asset_id)
    expect(page.get_by_test_id("attr-asset_id")).to_be_disabled()   # feeds know the asset by it
    browser_page.screenshot("editor-7-container-placed")

    page.get_by_test_id("tool-drag").click()
    expect(page.get_by_test_id("tool-drag")).to_have_attribute("aria-pressed", "true")
    marker = page.locator(".leaflet-overlay-pane path").bounding_box()
    x, y = marker["x"] + marker["width"] / 2, marker["y"] + marker["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=5)
    page.mouse.move(x + 80, y + 60, steps=5)
    page.mouse.up()
    expect(message).to_contain_text("Geometri değişti")
    page.get_by_test_id("save-feature").click()
    expect(message).to_contain_text("sürüm 2")
    moved = Asset.objects.get()
    assert moved.geom.x > placed.geom.x and moved.geom.y < placed.geom.y   # right and down on the map
    assert moved.attributes == placed.attributes and moved.version == 2

    page.get_by_test_id("history-link").click()
    page.wait_for_url("**/katmanlar/atik-konteynerleri/gecmis/")
    created, move = Change.objects.filter(object_id=str(placed.pk)).order_by("id")
    expect(page.get_by_test_id(f"change-row-{created.pk}")).to_contain_text("Meydan konteyneri")
    row = page.get_by_test_id(f"change-row-{move.pk}")
    expect(row).to_contain_text("cbs1")
    expect(row).to_contain_text("geometri değişti")
    browser_page.screenshot("editor-8-container-history")
    page.get_by_test_id(f"revert-{move.pk}").click()
    expect(page.get_by_test_id("history-messages")).to_contain_text(f"#{move.pk} geri alındı")
    back = Asset.objects.get()
    assert back.geom.equals_exact(placed.geom, 1e-9) and back.version == 3
    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"
    assert browser_page.broken_assets("/static/vendor/", "/static/geo/") == []
