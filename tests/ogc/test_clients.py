"""Kent's OGC services read by independent clients over HTTP: GDAL's OAPIF driver (ogrinfo,
ogr2ogr), OWSLib (Features, Records), openapi-spec-validator, and gunicorn workers agreeing."""

import json
import os
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings
from openapi_spec_validator import validate

from geo.models import Layer

from .conftest import BBOX, live_data

pytestmark = live_data
ROOT = Path(__file__).resolve().parents[2]


def gdal(*args: str, token: str | None = None) -> str:
    cmd = list(args)
    if token:
        cmd[1:1] = ["--config", "GDAL_HTTP_HEADERS", f"Authorization: Bearer {token}"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def count(stdout: str) -> int:
    return int(next(line.split(":")[1] for line in stdout.splitlines() if line.startswith("Feature Count")))


def test_ogrinfo_lists_collections_and_reads_a_layer(live_server, world, settings):
    settings.KENT_OGC_COUNT_CAP = 100  # pages carry no numberMatched: GDAL must ask resultType=hits
    base = f"OAPIF:{live_server.url}/ogc"
    listing = gdal("ogrinfo", "-ro", "-so", base)
    assert "binalar" in listing and "yapilar" in listing
    assert "toplanma-alanlari" not in listing and "ic-katman" not in listing
    started = time.perf_counter()
    info = gdal("ogrinfo", "-ro", "-so", base, "binalar")
    assert count(info) == world.n_buildings and time.perf_counter() - started < 10
    features = gdal("ogrinfo", "-ro", "-al", "-q", "-oo", "PAGE_SIZE=1000", base, "binalar")
    assert features.count("OGRFeature(binalar)") == world.n_buildings
    assert "malik_adi" not in features


def test_ogr2ogr_pages_bbox_and_where(live_server, world, tmp_path):
    base = f"OAPIF:{live_server.url}/ogc"
    out = tmp_path / "all.geojson"
    gdal("ogr2ogr", "-f", "GeoJSON", str(out), base, "binalar", "-oo", "PAGE_SIZE=250")
    assert len(json.loads(out.read_text())["features"]) == world.n_buildings  # 6 pages
    boxed = tmp_path / "bbox.geojson"
    gdal("ogr2ogr", "-f", "GeoJSON", str(boxed), base, "binalar", "-spat", *map(str, BBOX), "-oo", "PAGE_SIZE=100")
    assert len(json.loads(boxed.read_text())["features"]) == 574
    where = tmp_path / "where.geojson"
    gdal("ogr2ogr", "-f", "GeoJSON", str(where), base, "binalar", "-where", "building = 'university'")
    got = json.loads(where.read_text())["features"]
    assert len(got) == 39 and {f["properties"]["building"] for f in got} == {"university"}


def test_gdal_with_an_agency_token(live_server, world):
    base = f"OAPIF:{live_server.url}/ogc"
    listing = gdal("ogrinfo", "-ro", "-so", base, token=world.afad_token)
    assert "toplanma-alanlari" in listing and "riskli-yapilar" not in listing
    assert count(gdal("ogrinfo", "-ro", "-so", base, "toplanma-alanlari", token=world.afad_token)) == 12


def test_owslib_features_and_records(live_server, world):
    from owslib.ogcapi.features import Features
    from owslib.ogcapi.records import Records

    url = f"{live_server.url}/ogc"
    features = Features(url)
    ids = {c["id"] for c in features.collections()["collections"]}
    assert {"binalar", "yapilar", "katalog"} == ids
    page = features.collection_items("binalar", limit=50, bbox=list(BBOX))
    assert page["numberReturned"] == 50 and page["numberMatched"] == 574
    assert features.collection_item("binalar", page["features"][0]["id"])["id"] == page["features"][0]["id"]
    queryables = features.collection_queryables("binalar")
    assert "kat" in queryables["properties"]
    records = Records(url)
    found = records.collection_items("katalog", q="toplanma")
    assert [r["id"] for r in found["features"]] == ["toplanma-alanlari"]
    assert found["features"][0]["properties"]["themes"][0]["concepts"][0]["id"] == "DR"
    assert {r["id"] for r in records.collection_items("katalog", q="YAPI")["features"]} == {"yapilar",
                                                                                              "riskli-yapilar"}
    everything = records.collection_items("katalog", bbox=[32.80, 39.92, 32.84, 39.94], limit=20)
    assert {r["id"] for r in everything["features"]} >= {"binalar", "yapilar"}
    assert records.collection_items("katalog", bbox=[26.0, 40.0, 27.0, 41.0])["numberMatched"] == 0


def test_openapi_document_validates_and_is_self_contained(live_server, world):
    doc = requests.get(f"{live_server.url}/ogc/openapi?f=json", timeout=30).json()
    validate(doc)
    text = json.dumps(doc)
    assert '"$ref": "http' not in text
    assert "/collections/binalar/items" in doc["paths"] and "/collections/toplanma-alanlari/items" not in doc["paths"]
    with_token = requests.get(f"{live_server.url}/ogc/openapi?f=json", timeout=30,
                              headers={"Authorization": f"Bearer {world.afad_token}"}).json()
    validate(with_token)
    assert "/collections/toplanma-alanlari/items" in with_token["paths"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(world):
    """Kent under gunicorn, 2 workers, on the test database."""
    db = settings.DATABASES["default"]
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.ogc.gunicorn_settings", "KENT_DEBUG": "0",
           "KENT_DATABASE_URL": f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "KENT_ALLOWED_HOSTS": "127.0.0.1"}
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "kent.wsgi", "--workers", "2", "--bind",
                             f"127.0.0.1:{port}", "--no-control-socket"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/ogc"
    try:
        for _ in range(100):
            try:
                if requests.get(f"{url}/collections", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield url
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=10)


def test_every_gunicorn_worker_sees_registry_changes_at_once(gunicorn, world):
    def listed() -> list[set[str]]:
        with ThreadPoolExecutor(4) as pool:
            pages = pool.map(lambda _: requests.get(f"{gunicorn}/collections?f=json", timeout=30).json(), range(24))
            return [{c["id"] for c in page["collections"]} for page in pages]

    assert all("parklar" not in ids for ids in listed())
    layer = Layer.objects.create(slug="parklar", title_tr="Parklar", theme_id="AK", geometry_family="polygon",
                                 access_level="public")
    assert all("parklar" in ids for ids in listed())
    Layer.objects.filter(pk=layer.pk).update(published=False)
    assert all("parklar" not in ids for ids in listed())
