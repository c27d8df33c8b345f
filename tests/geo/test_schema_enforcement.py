"""A layer's attribute schema is enforced, not just offered: enum, minimum/maximum, maxLength and
required (the layer's and its TUCBS theme's) refuse a value with the field named, in the map
editor's API (HTTP 400) and in a file import (the row listed, nothing written); valid values pass."""

import geopandas as gpd
import pyogrio
import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from shapely.geometry import Polygon

from geo.models import Change, Feature, Layer, LayerPermission, Right
from geo.services.importer import ImportRefused, import_file
from geo.services.schema import InvalidSchema, compiled

SCHEMA = {"properties": {"ad": {"type": "string", "maxLength": 50},
                         "kapasite_kisi": {"type": "integer", "minimum": 0, "maximum": 5000},
                         "risk_turu": {"enum": ["deprem", "sel"]}},
          "required": ["ad"]}
SQUARE = {"type": "Polygon", "coordinates": [[[32.80, 39.90], [32.801, 39.90], [32.801, 39.901],
                                              [32.80, 39.901], [32.80, 39.90]]]}
URL = "/api/geo/layers/afet-alanlari/features/"


@pytest.fixture
def areas(db) -> Layer:
    """Theme DR (natural risk) requires risk_turu; the layer's own schema requires ad."""
    return Layer.objects.create(slug="afet-alanlari", title_tr="Afet alanları", theme_id="DR",
                                geometry_family="polygon", access_level="internal", attribute_schema=SCHEMA)


@pytest.fixture
def as_editor(areas) -> Client:
    user = User.objects.create_user("afet-editoru", password="pw")
    user.groups.add(Group.objects.get(name="CBS Editörü"))
    LayerPermission.objects.create(user=user, layer=areas, right=Right.EDIT_DATA)
    client = Client()
    client.force_login(user)
    return client


def body(version: int | None = None, **properties) -> dict:
    out = {"type": "Feature", "geometry": SQUARE, "properties": properties}
    return out if version is None else {**out, "version": version}


# --- the validator itself --------------------------------------------------------------------------

def test_each_problem_names_its_field_in_turkish_and_english():
    problems = compiled({**SCHEMA, "required": ["ad", "risk_turu"]}).problems(
        {"kapasite_kisi": -3, "risk_turu": "sel2"})
    assert [p.text for p in problems] == [
        "ad: zorunlu (required)",
        "kapasite_kisi: -3 < en az 0 (minimum 0)",
        "risk_turu: 'sel2' izin verilen değerlerden değil: deprem, sel (not one of the allowed values)"]
    assert [p.text for p in compiled(SCHEMA).problems({"ad": "x" * 51, "kapasite_kisi": 5001})] == [
        "ad: en çok 50 karakter (at most 50 characters)", "kapasite_kisi: 5001 > en çok 5000 (maximum 5000)"]


def test_null_is_not_given_and_booleans_are_not_numbers():
    checker = compiled(SCHEMA)
    assert checker.problems({"ad": "Kızılay", "kapasite_kisi": None, "risk_turu": None, "ek": "serbest"}) == []
    assert [p.field for p in checker.problems({"ad": None})] == ["ad"]
    assert [p.field for p in checker.problems({"ad": ""})] == ["ad"]  # empty text is no value for a required one
    assert [p.keyword for p in checker.problems({"ad": "x", "kapasite_kisi": True})] == ["type"]


def test_a_schema_is_compiled_once_and_a_broken_one_is_refused():
    assert compiled(dict(SCHEMA)) is compiled(SCHEMA)
    with pytest.raises(InvalidSchema) as e:
        compiled({"properties": {"ad": {"type": "metin"}}})
    assert "properties.ad.type" in e.value.message


# --- the map editor's API --------------------------------------------------------------------------

@pytest.mark.parametrize(("properties", "field", "says"), [
    ({"ad": "Toplanma", "risk_turu": "sel2"}, "risk_turu", "risk_turu: 'sel2' izin verilen değerlerden değil"),
    ({"ad": "Toplanma", "risk_turu": "sel", "kapasite_kisi": -3}, "kapasite_kisi", "kapasite_kisi: -3 < en az 0"),
    ({"ad": "T" * 51, "risk_turu": "sel"}, "ad", "ad: en çok 50 karakter"),
])
def test_editor_refuses_a_broken_value_with_the_field_named(areas, as_editor, properties, field, says):
    r = as_editor.post(URL, body(**properties), content_type="application/json")
    assert r.status_code == 400, r.json()
    answer = r.json()
    assert answer["code"] == "InvalidInput" and says in answer["description"]
    assert answer["detail"]["invalid"] == [field] and answer["detail"]["missing"] == []
    assert not Feature.objects.exists() and not Change.objects.exists()


def test_editor_counts_the_themes_required_attribute(areas, as_editor):
    r = as_editor.post(URL, body(ad="Toplanma"), content_type="application/json")
    assert r.status_code == 400
    assert r.json()["detail"]["missing"] == ["risk_turu"]
    assert "risk_turu: zorunlu (required)" in r.json()["detail"]["problems"]


def test_editor_stores_valid_values_and_refuses_a_broken_update(areas, as_editor):
    r = as_editor.post(URL, body(ad="Toplanma", risk_turu="deprem", kapasite_kisi=1200),
                       content_type="application/json")
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    r = as_editor.put(f"{URL}{pk}/", body(version=1, ad="Toplanma", risk_turu="deprem", kapasite_kisi=9000),
                      content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"]["invalid"] == ["kapasite_kisi"]
    saved = Feature.objects.get(pk=pk)
    assert saved.version == 1 and saved.properties["kapasite_kisi"] == 1200
    r = as_editor.put(f"{URL}{pk}/", body(version=1, ad="Toplanma", risk_turu="sel", kapasite_kisi=0),
                      content_type="application/json")
    assert r.status_code == 200 and Feature.objects.get(pk=pk).properties["risk_turu"] == "sel"


# --- a file import ---------------------------------------------------------------------------------

def areas_file(tmp_path, risks: list[str], capacities: list[int]):
    squares = [Polygon([(32.80 + i / 100, 39.90), (32.805 + i / 100, 39.90), (32.805 + i / 100, 39.905),
                        (32.80 + i / 100, 39.90)]) for i in range(len(risks))]
    frame = gpd.GeoDataFrame({"ad": [f"Alan {i + 1}" for i in range(len(risks))], "risk_turu": risks,
                              "kapasite_kisi": capacities}, geometry=squares, crs=4326)
    path = tmp_path / "afet.gpkg"
    pyogrio.write_dataframe(frame, path)
    return path


def test_import_lists_the_broken_rows_and_writes_nothing(tmp_path, areas):
    path = areas_file(tmp_path, ["deprem", "sel2", "sel"], [100, 200, -3])
    with pytest.raises(ImportRefused) as e:
        import_file(path, areas, user=None)
    refused = e.value.report.refused
    assert [(n.row, n.fields) for n in refused] == [(2, ["risk_turu"]), (3, ["kapasite_kisi"])]
    assert "risk_turu: 'sel2' izin verilen değerlerden değil" in refused[0].reason
    assert "kapasite_kisi: -3 < en az 0 (minimum 0)" in refused[1].reason
    assert e.value.detail["refused"][0]["fields"] == ["risk_turu"]
    assert not Feature.objects.exists() and not Change.objects.exists()

    report = import_file(path, areas, user=None, skip_invalid=True)
    assert (report.imported, len(report.refused)) == (1, 2)
    assert list(areas.rows().values_list("properties__risk_turu", flat=True)) == ["deprem"]


def test_import_of_valid_values_writes_every_row(tmp_path, areas):
    report = import_file(areas_file(tmp_path, ["deprem", "sel"], [0, 5000]), areas, user=None)
    assert (report.imported, report.refused) == (2, [])
    assert sorted(areas.rows().values_list("properties__kapasite_kisi", flat=True)) == [0, 5000]
