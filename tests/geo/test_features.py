"""The feature store's edit services: validation, history, revert, optimistic locking, rights."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.gis.geos import GEOSGeometry, Polygon

from geo.errors import Conflict, Forbidden, InvalidGeometry, InvalidInput, NotAuthenticated
from geo.models import Change, Feature
from geo.services import history
from geo.services.features import create_feature, delete_feature, update_feature

SQUARE = Polygon.from_bbox((32.80, 39.90, 32.801, 39.901))
SQUARE.srid = 4326


def test_create_update_revert_round_trip(parks, editor):
    f, note = create_feature(parks, SQUARE, {"ad": "Gençlik Parkı"}, user=editor)
    assert note == "" and f.version == 1
    moved = Polygon.from_bbox((32.81, 39.91, 32.811, 39.911))
    moved.srid = 4326
    f, _ = update_feature(f.pk, parks, expected_version=1, user=editor, geom=moved,
                          properties={"ad": "Gençlik Parkı", "alan": 12.5})
    assert f.version == 2
    change = history.history_of(Feature, f.pk).first()
    assert change.action == "update" and change.user == editor
    assert change.before["properties"] == {"ad": "Gençlik Parkı"}
    assert change.before["geom"]["type"] == "Polygon"
    history.revert(change, user=editor)
    f.refresh_from_db()
    assert f.properties == {"ad": "Gençlik Parkı"}
    assert f.geom.equals_exact(SQUARE, 1e-9)
    assert f.version == 3


def test_deleted_feature_comes_back_with_its_id(parks, editor):
    f, _ = create_feature(parks, SQUARE, {"ad": "Park"}, user=editor)
    delete_feature(f.pk, parks, user=editor)
    assert not Feature.objects.filter(pk=f.pk).exists()
    history.revert(history.history_of(Feature, f.pk).first(), user=editor)
    assert Feature.objects.get(pk=f.pk).properties == {"ad": "Park"}


def test_only_the_latest_change_can_be_reverted(parks, editor):
    f, _ = create_feature(parks, SQUARE, {"ad": "A"}, user=editor)
    update_feature(f.pk, parks, expected_version=1, user=editor, properties={"ad": "B"})
    first = history.history_of(Feature, f.pk).last()
    with pytest.raises(Conflict):
        history.revert(first, user=editor)


def test_concurrent_edit_is_refused_not_overwritten(parks, editor):
    f, _ = create_feature(parks, SQUARE, {"ad": "A"}, user=editor)
    update_feature(f.pk, parks, expected_version=1, user=editor, properties={"ad": "B"})
    with pytest.raises(Conflict) as e:
        update_feature(f.pk, parks, expected_version=1, user=editor, properties={"ad": "C"})
    assert e.value.detail["current_version"] == 2
    assert Feature.objects.get(pk=f.pk).properties == {"ad": "B"}


def test_self_intersecting_polygon_is_repaired_and_reported(parks, editor):
    bowtie = GEOSGeometry("POLYGON((32.80 39.90, 32.81 39.91, 32.81 39.90, 32.80 39.91, 32.80 39.90))", srid=4326)
    f, note = create_feature(parks, bowtie, {"ad": "Papyon"}, user=editor)
    assert "Self-intersection" in note
    assert f.geom.valid and f.geom.geom_type == "MultiPolygon" and len(f.geom) == 2
    assert "onarıldı" in Change.objects.get(object_id=str(f.pk)).comment


def test_wrong_family_missing_attribute_and_wrong_type_are_refused(parks, editor):
    point = GEOSGeometry("POINT(32.8 39.9)", srid=4326)
    with pytest.raises(InvalidGeometry):
        create_feature(parks, point, {"ad": "x"}, user=editor)
    with pytest.raises(InvalidInput) as e:
        create_feature(parks, SQUARE, {"alan": 3}, user=editor)
    assert e.value.detail["missing"] == ["ad"]
    with pytest.raises(InvalidInput):
        create_feature(parks, SQUARE, {"ad": "x", "alan": "çok"}, user=editor)
    assert Feature.objects.count() == 0 and Change.objects.count() == 0


def test_rights_are_enforced(parks, editor):
    with pytest.raises(NotAuthenticated):
        create_feature(parks, SQUARE, {"ad": "x"}, user=AnonymousUser())
    stranger = User.objects.create_user("stranger")
    with pytest.raises(Forbidden):
        create_feature(parks, SQUARE, {"ad": "x"}, user=stranger)
