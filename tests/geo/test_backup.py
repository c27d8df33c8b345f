"""Backup and restore, end to end: real PostgreSQL, real pg_dump and pg_restore, real files."""

import io
import re
import secrets
import tarfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.gis.geos import GEOSGeometry, LineString, Polygon
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from psycopg2 import sql

from geo.models import Change, Feature, Layer
from geo.services.features import create_feature, update_feature

# transaction=True: pg_dump runs in its own session and only sees committed rows.
# serialized_rollback=True: the flush afterwards must not take the TUCBS themes with it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _connect(dbname: str):
    db = settings.DATABASES["default"]
    return psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"],
                            dbname=dbname)


@pytest.fixture
def restore_target() -> Iterator[str]:
    """A database name nobody uses; whatever the test leaves there is dropped."""
    name = f"kent_restore_test_{secrets.token_hex(4)}"
    try:
        yield name
    finally:
        with closing(_connect("postgres")) as conn:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _square(x: float, y: float) -> Polygon:
    return _srid(Polygon.from_bbox((x, y, x + 0.001, y + 0.001)))


def _srid(geom: GEOSGeometry) -> GEOSGeometry:
    geom.srid = 4326
    return geom


def _backup(tmp_path: Path) -> Path:
    out = tmp_path / "backups"
    call_command("backup", output_dir=out)
    archives = list(out.glob("*.tar"))
    assert len(archives) == 1 and re.fullmatch(r"kent-\d{8}-\d{6}\.tar", archives[0].name)
    return archives[0]


def test_backup_restores_layers_features_history_and_media(tmp_path, settings, restore_target):
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = User.objects.create_superuser("yonetici", password="pw")
    parks = Layer.objects.create(slug="parklar", title_tr="Parklar", theme_id="KH", geometry_family="polygon",
                                 attribute_schema={"properties": {"ad": {"type": "string"}}})
    roads = Layer.objects.create(slug="yollar", title_tr="Yollar", theme_id="UL", geometry_family="line")
    park, _ = create_feature(parks, _square(32.80, 39.90), {"ad": "Gençlik Parkı"}, user=admin)
    create_feature(parks, _square(32.81, 39.91), {"ad": "Kuğulu Park"}, user=admin)
    create_feature(roads, _srid(LineString((32.80, 39.90), (32.82, 39.92))), {}, user=admin)
    update_feature(park.pk, parks, expected_version=1, user=admin, properties={"ad": "Gençlik Parkı (yeni)"})
    upload = default_storage.save("yuklemeler/plan-ğüş.pdf", ContentFile(b"%PDF-1.4 Kent"))

    archive = _backup(tmp_path)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", str(archive), database_name=restore_target)

    with closing(_connect(restore_target)) as conn, conn.cursor() as cur:
        cur.execute("SELECT slug, title_tr, theme_id, geometry_family FROM geo_layer ORDER BY slug")
        assert cur.fetchall() == list(Layer.objects.order_by("slug").values_list(
            "slug", "title_tr", "theme_id", "geometry_family"))
        cur.execute("SELECT id, layer_id, properties, version, geom FROM geo_feature ORDER BY id")
        restored = cur.fetchall()
        originals = list(Feature.objects.order_by("id"))
        assert [r[:4] for r in restored] == [(f.pk, f.layer_id, f.properties, f.version) for f in originals]
        for (*_, hexwkb), f in zip(restored, originals, strict=True):
            geom = GEOSGeometry(hexwkb)
            assert geom.srid == 4326 and geom.equals_exact(f.geom, 0)
        cur.execute("SELECT id, action, object_id, layer_id, user_id, after FROM geo_change ORDER BY id")
        assert cur.fetchall() == list(Change.objects.order_by("id").values_list(
            "id", "action", "object_id", "layer_id", "user_id", "after"))
        assert Change.objects.count() == 4
    assert (tmp_path / "restored-media" / upload).read_bytes() == b"%PDF-1.4 Kent"

    with pytest.raises(CommandError, match="boş değil"):
        call_command("restore", str(archive), database_name=restore_target)
    call_command("restore", str(archive), database_name=restore_target, force=True)
    with closing(_connect(restore_target)) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM geo_feature")
        assert cur.fetchone()[0] == 3


def test_restore_refuses_the_configured_database_while_it_holds_kent_tables(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    Layer.objects.create(slug="parklar", title_tr="Parklar", theme_id="KH", geometry_family="polygon")
    archive = _backup(tmp_path)
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive))
    assert Layer.objects.filter(slug="parklar").exists()


def _tar_without_manifest(path: Path) -> Path:
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("database.dump")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"junk"))
    return path


@pytest.mark.parametrize("make", [
    lambda p: (p.write_bytes(b"this is not a backup\x00" * 50), p)[1],
    _tar_without_manifest,
], ids=["garbage", "tar-without-manifest"])
def test_restore_of_something_else_is_a_clear_error(tmp_path, restore_target, make):
    bad = make(tmp_path / "kent-20240101-000000.tar")
    with pytest.raises(CommandError, match="Kent yedeği değil"):
        call_command("restore", str(bad), database_name=restore_target)
    with closing(_connect("postgres")) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [restore_target])
        assert cur.fetchone()[0] == 0, "nothing was created for a bad archive"
