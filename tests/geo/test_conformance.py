"""TUCBS conformance report: exact counts on rows that bypassed validation, the command, the page."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from geo.models import Change, Feature, Layer
from geo.services.conformance import conformance, conformance_all
from geo.services.features import create_feature
from numarataj.models import Yapi

pytestmark = pytest.mark.django_db

METADATA = {"abstract": "Belediye parkları", "keywords": ["park", "yeşil alan"],
            "responsible_party": "Park ve Bahçeler Müdürlüğü", "licence": "CC BY 4.0",
            "lineage": "Saha ölçümü, 2024", "data_updated_at": timezone.now()}
# a bow-tie: self-intersecting, what ST_IsValid rejects
BOWTIE = "32.80 39.90, 32.81 39.91, 32.81 39.90, 32.80 39.91, 32.80 39.90"


def _square(x: float = 32.80, y: float = 39.90) -> Polygon:
    square = Polygon.from_bbox((x, y, x + 0.001, y + 0.001))
    square.srid = 4326
    return square


@pytest.fixture
def admin_user() -> User:
    return User.objects.create_superuser("yonetici", password="pw")


def test_layer_with_declared_attributes_and_full_metadata_conforms(admin_user):
    parks = Layer.objects.create(slug="parklar", title_tr="Parklar", theme_id="KH", geometry_family="polygon",
                                 attribute_schema={"properties": {"ad": {"type": "string"}}, "required": ["ad"]},
                                 **METADATA)
    create_feature(parks, _square(), {"ad": "Gençlik Parkı"}, user=admin_user)
    parks.refresh_from_db()
    report = conformance(parks)
    assert report.conforms, report
    assert (report.theme_code, report.required, report.row_count) == ("KH", ["ad"], 1)
    assert report.missing_values == {"ad": 0} and report.undeclared == [] and report.metadata_missing == []
    assert report.theme_provisional  # KH is one of Kent's provisional codes


def test_legacy_rows_and_an_undeclared_required_attribute_are_counted_exactly(django_assert_num_queries):
    # DR requires risk_turu; the layer's schema forgot to declare it, and its own 'ad' is required
    zones = Layer.objects.create(slug="afet-alanlari", title_tr="Afet alanları", theme_id="DR",
                                 geometry_family="polygon", abstract="Sel riski", licence="CC BY 4.0",
                                 attribute_schema={"properties": {"ad": {"type": "string"}}, "required": ["ad"]})
    for props in ({"ad": "A", "risk_turu": "sel"},  # complete
                  {"ad": ""},                       # empty ad, no risk_turu
                  {"ad": None},                     # JSON null ad, no risk_turu
                  {},                               # nothing at all
                  {"ad": "B", "risk_turu": ""}):    # empty risk_turu
        Feature.objects.create(layer=zones, geom=_square(), properties=props)
    zones = Layer.objects.select_related("theme").get(pk=zones.pk)
    with django_assert_num_queries(1):  # one aggregate per layer, however many attributes it checks
        report = conformance(zones)
    assert report.required == ["ad", "risk_turu"]
    assert report.undeclared == ["risk_turu"]
    assert report.missing_values == {"ad": 3, "risk_turu": 4}
    assert report.row_count == 5
    assert report.metadata_missing == ["keywords", "responsible_party", "lineage", "data_updated_at"]
    assert report.invalid_geometries == 0 and not report.conforms


def test_invalid_and_wrong_family_geometries_are_counted():
    parks = Layer.objects.create(slug="parklar", title_tr="Parklar", theme_id="KH", geometry_family="polygon",
                                 attribute_schema={"properties": {"ad": {"type": "string"}}}, **METADATA)
    Feature.objects.create(layer=parks, geom=_square(), properties={"ad": "Geçerli"})
    point = Point(32.8, 39.9, srid=4326)
    Feature.objects.create(layer=parks, geom=point, properties={"ad": "Nokta"})  # wrong family
    with connection.cursor() as cur:
        for _ in range(2):
            cur.execute("INSERT INTO geo_feature (layer_id, geom, properties, version, created_at, updated_at) "
                        "VALUES (%s, ST_GeomFromText(%s, 4326), %s, 1, now(), now())",
                        [parks.pk, f"POLYGON(({BOWTIE}))", json.dumps({"ad": "Kelebek"})])
    report = conformance(parks)
    assert (report.row_count, report.invalid_geometries, report.wrong_family) == (4, 2, 1)
    assert report.missing_values == {"ad": 0} and not report.conforms


def test_typed_model_layer_is_checked_against_its_fields():
    # BI requires kat_ust (a NOT NULL field of Yapi); the layer adds ad (text) and yukseklik (no such field)
    buildings = Layer.objects.create(slug="yapilar", title_tr="Yapılar", theme_id="BI", geometry_family="polygon",
                                     source="numarataj.Yapi", attribute_schema={"required": ["ad", "yukseklik"]},
                                     **METADATA)
    Yapi.objects.create(ad="Belediye Binası", kat_ust=4, geom=MultiPolygon(_square(), srid=4326))
    Yapi.objects.create(ad="", kat_ust=2, geom=MultiPolygon(_square(32.9), srid=4326))
    Yapi.objects.create(ad="Eski Han", geom=GEOSGeometry(f"MULTIPOLYGON((({BOWTIE})))", srid=4326))
    report = conformance(buildings)
    assert report.required == ["ad", "kat_ust", "yukseklik"]
    assert report.undeclared == ["yukseklik"]
    assert report.missing_values == {"ad": 1, "kat_ust": 0, "yukseklik": 3}
    assert (report.row_count, report.invalid_geometries, report.wrong_family) == (3, 1, 0)
    assert not report.conforms


def test_source_that_is_not_a_model_is_reported_not_raised():
    Layer.objects.create(slug="bozuk", title_tr="Bozuk", theme_id="UL", geometry_family="line",
                         source="yok.Boyle", **METADATA)
    [report] = conformance_all("bozuk")
    assert report.error and not report.conforms


def test_command_prints_a_table_and_json_and_exits_zero():
    Layer.objects.create(slug="afet-alanlari", title_tr="Afet alanları", theme_id="DR",
                         geometry_family="polygon")
    out = StringIO()
    call_command("conformance_report", stdout=out)  # a non-conforming layer is not an error
    text = out.getvalue()
    assert "afet-alanlari" in text and "UYGUN DEĞİL" in text and "risk_turu=0 (şemada yok)" in text
    out = StringIO()
    call_command("conformance_report", "--json", "--layer", "afet-alanlari", stdout=out)
    data = json.loads(out.getvalue())
    assert data["summary"] == {"layers": 1, "conforming": 0, "not_conforming": 1}
    assert data["layers"][0]["undeclared"] == ["risk_turu"] and data["layers"][0]["conforms"] is False


def test_report_page_and_api_are_for_municipal_staff_only(client):
    Layer.objects.create(slug="parklar", title_tr="Parklar", theme_id="KH", geometry_family="polygon",
                         **METADATA)
    response = client.get("/katmanlar/uygunluk/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/geo/conformance/").status_code == 401

    outsider = User.objects.create_user("kurum", password="pw")
    outsider.groups.add(Group.objects.get(name="Kurum Kullanıcısı"))
    client.force_login(outsider)
    assert client.get("/katmanlar/uygunluk/").status_code == 403
    assert client.get("/api/geo/conformance/").status_code == 403

    editor = User.objects.create_user("editor", password="pw")
    editor.groups.add(Group.objects.get(name="CBS Editörü"))
    client.force_login(editor)
    page = client.get("/katmanlar/uygunluk/")
    assert page.status_code == 200
    assert "TUCBS uygunluk raporu" in page.text and "parklar" in page.text
    api = client.get("/api/geo/conformance/").json()
    assert api["layers"][0]["slug"] == "parklar" and "missing_values" in api["layers"][0]


def test_admin_lists_layers_with_grants_and_keeps_history_read_only(client, admin_user):
    parks = Layer.objects.create(slug="parklar", title_tr="Parklar", theme_id="KH", geometry_family="polygon",
                                 attribute_schema={"properties": {"ad": {"type": "string"}}}, **METADATA)
    create_feature(parks, _square(), {"ad": "Park"}, user=admin_user)
    client.force_login(admin_user)
    assert "Parklar" in client.get("/admin/geo/layer/?theme__code__exact=KH&published__exact=1").text
    assert client.get(f"/admin/geo/layer/{parks.pk}/change/").status_code == 200
    change = Change.objects.get()
    assert "geo.Feature" in client.get("/admin/geo/change/").text
    detail = client.get(f"/admin/geo/change/{change.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.text  # view only
    assert client.get("/admin/geo/change/add/").status_code == 403
    assert client.post(f"/admin/geo/change/{change.pk}/delete/", {"post": "yes"}).status_code == 403
