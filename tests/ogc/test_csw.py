"""CSW at /csw read by an independent client, OWSLib's CatalogueServiceWeb (2.0.2 and 3.0): the
capabilities, GetRecords with a text filter and a bbox, harvest paging, GetRecordById in ISO 19139
validated against the ISO schemas pycsw ships, agency records only for their tokens, and a layer's
metadata change visible in the next answer."""

from pathlib import Path

import pytest
import requests
from lxml import etree
from owslib.catalogue.csw2 import CatalogueServiceWeb
from owslib.catalogue.csw3 import CatalogueServiceWeb as CatalogueServiceWeb3
from owslib.fes import BBox, PropertyIsLike

from ogc.csw import loader, sync
from tests.conftest import missing
from tests.i18n.test_english import compiled  # noqa: F401 - the .mo, compiled if stale

from .conftest import BBOX, live_data

pytestmark = live_data
GMD = "http://www.isotc211.org/2005/gmd"
NS = {"gmd": GMD, "gco": "http://www.isotc211.org/2005/gco"}
PUBLIC = {"kent-katman-binalar", "kent-katman-yapilar"}  # tespit-talepleri: not a publishable source


@pytest.fixture(autouse=True)
def fresh_records():
    sync.forget()  # the database was flushed by the previous live test
    yield
    sync.forget()


def csw(live_server, token: str | None = None, version: str = "2.0.2") -> CatalogueServiceWeb:
    headers = {"Authorization": f"Bearer {token}"} if token else None
    cls = CatalogueServiceWeb if version == "2.0.2" else CatalogueServiceWeb3
    return cls(f"{live_server.url}/csw", version=version, timeout=60, headers=headers)


def all_ids(client: CatalogueServiceWeb) -> set[str]:
    client.getrecords2(esn="brief", maxrecords=100)
    return set(client.records)


def test_capabilities_in_both_versions(live_server, world):
    client = csw(live_server)
    assert client.identification.type == "CSW" and "Kent" in client.identification.title
    assert {"GetRecords", "GetRecordById", "DescribeRecord"} <= {op.name for op in client.operations}
    assert GMD in client.get_operation_by_name("GetRecords").parameters["outputSchema"]["values"]
    client3 = csw(live_server, version="3.0.0")
    assert client3.version == "3.0.0" and "GetRecords" in {op.name for op in client3.operations}
    client3.getrecords(maxrecords=50)
    assert set(client3.records) == PUBLIC


def test_getrecords_text_filter_and_bbox(live_server, world):
    client = csw(live_server)
    client.getrecords2([PropertyIsLike("csw:AnyText", "%bina%")], esn="full")
    assert "kent-katman-binalar" in client.records
    client.getrecords2([PropertyIsLike("csw:AnyText", "%yapi%")])  # folded: finds 'Yapılar'
    assert "kent-katman-yapilar" in client.records
    lat_lon = [BBOX[1], BBOX[0], BBOX[3], BBOX[2]]  # EPSG:4326 in CSW is latitude first
    client.getrecords2([BBox(lat_lon)], maxrecords=50)
    assert "kent-katman-binalar" in client.records
    client.getrecords2([BBox(list(BBOX), crs="urn:ogc:def:crs:OGC:1.3:CRS84")], maxrecords=50)
    assert "kent-katman-binalar" in client.records
    client.getrecords2([BBox([41.0, 28.9, 41.1, 29.1])])  # Istanbul: none of the Ankara layers
    assert "kent-katman-binalar" not in client.records and "kent-katman-yapilar" not in client.records
    client.getrecords2([[PropertyIsLike("csw:AnyText", "%taban%"), BBox(lat_lon)]])  # a list in a list: And
    assert set(client.records) == {"kent-katman-binalar"}
    client.getrecords2([[PropertyIsLike("csw:AnyText", "%bina%"), BBox([41.0, 28.9, 41.1, 29.1])]])
    assert client.results["matches"] == 0


def test_paging_for_harvesters(live_server, world):
    client = csw(live_server)
    seen: list[str] = []
    start = 1
    while start:
        client.getrecords2(esn="brief", startposition=start, maxrecords=1, sortby=None)
        assert client.results["matches"] == len(PUBLIC) and client.results["returned"] == 1
        seen += list(client.records)
        start = client.results["nextrecord"]
    assert sorted(seen) == sorted(PUBLIC)


def _iso_schema() -> etree.XMLSchema:
    server = Path(loader.pycsw_server().__file__).parent
    xsd = server / "plugins/profiles/apiso/schemas/ogc/iso/19139/20070417/gmd/gmd.xsd"
    if not xsd.exists():
        missing(f"pycsw's ISO 19139 schemas not found at {xsd}")
    return etree.XMLSchema(etree.parse(str(xsd)))


def test_getrecordbyid_in_iso19139_is_schema_valid(live_server, world):
    client = csw(live_server)
    client.getrecordbyid(["kent-katman-binalar"], outputschema=GMD)
    record = client.records["kent-katman-binalar"]
    assert record.identification[0].title == "Binalar"
    assert record.identification[0].abstract.startswith("OSM bina")
    words = {k for kw in record.identification[0].keywords for k in kw.keywords and [x.name for x in kw.keywords]}
    assert {"bina", "OSM", "AK"} <= words
    assert record.contact[0].organization == "CBS Müdürlüğü"
    box = record.identification[0].bbox
    assert float(box.minx) <= BBOX[0] and float(box.maxx) >= BBOX[2] and float(box.miny) <= BBOX[1]
    urls = {o.url for o in record.distribution.online}
    base = live_server.url
    assert {f"{base}/ogc/collections/binalar", f"{base}/wfs?service=WFS&request=GetCapabilities",
            f"{base}/wms?service=WMS&request=GetCapabilities",
            f"{base}/katmanlar/binalar/disa-aktar/?format=gpkg"} <= urls
    doc = etree.fromstring(record.xml)
    assert doc.findtext(".//gmd:referenceSystemInfo//gmd:code/gco:CharacterString", namespaces=NS) == "EPSG:4326"
    assert doc.findtext(".//gmd:MD_LegalConstraints/gmd:otherConstraints/gco:CharacterString",
                        namespaces=NS) == "ODbL 1.0"
    assert doc.findtext(".//gmd:dateStamp/*", namespaces=NS)
    schema = _iso_schema()
    assert schema.validate(doc), str(schema.error_log)


def test_agency_record_only_with_its_token(live_server, world):
    anonymous = all_ids(csw(live_server))
    assert anonymous == PUBLIC  # no agency, internal or unpublished layer
    afad = csw(live_server, world.afad_token)
    assert all_ids(afad) == PUBLIC | {"kent-katman-toplanma-alanlari"}
    afad.getrecordbyid(["kent-katman-toplanma-alanlari"], outputschema=GMD)
    assert "kent-katman-toplanma-alanlari" in afad.records
    utility = csw(live_server, world.utility_token)
    assert all_ids(utility) == PUBLIC | {"kent-katman-riskli-yapilar"}
    anon = csw(live_server)
    anon.getrecordbyid(["kent-katman-toplanma-alanlari", "kent-katman-ic-katman"], outputschema=GMD)
    assert anon.records == {}
    refused = requests.get(f"{live_server.url}/csw", params={"service": "CSW", "request": "GetCapabilities"},
                           headers={"Authorization": "Bearer yanlis-anahtar"}, timeout=60)
    assert refused.status_code == 401 and "ExceptionReport" in refused.text and "anahtar" in refused.text


def test_metadata_change_visible_after_save(live_server, world):
    client = csw(live_server)
    client.getrecordbyid(["kent-katman-binalar"], outputschema=GMD)
    assert "Güncellendi" not in client.records["kent-katman-binalar"].identification[0].abstract
    layer = world.buildings
    layer.abstract = "Güncellendi: 2026 bina taban alanları."
    layer.licence = "CC-BY 4.0"
    layer.save()
    client.getrecordbyid(["kent-katman-binalar"], outputschema=GMD)
    record = client.records["kent-katman-binalar"]
    assert record.identification[0].abstract == "Güncellendi: 2026 bina taban alanları."
    client.getrecords2([PropertyIsLike("csw:AnyText", "%guncellendi%")])
    assert set(client.records) == {"kent-katman-binalar"}


def test_csw_sync_command_writes_layers_and_imagery(live_server, world):
    from io import StringIO

    from django.contrib.gis.geos import Polygon
    from django.core.management import call_command

    from tiles.models import Imagery

    Imagery.objects.create(slug="ortofoto-2025", title="Ortofoto 2025", abstract="Bahçelievler ortofotosu.",
                           attribution="Belediye", licence="CC-BY 4.0", file="imagery/yok.tif",
                           bounds=Polygon.from_bbox(BBOX), source_crs="EPSG:5255", width=10, height=10,
                           band_count=3, dtype="uint8")
    out = StringIO()
    call_command("csw_sync", stdout=out)
    assert out.getvalue().startswith("5 CSW kaydı yazıldı")  # 4 published layers (2 of them agency) + imagery
    client = csw(live_server)
    client.getrecordbyid(["kent-goruntu-ortofoto-2025"], outputschema=GMD)
    record = client.records["kent-goruntu-ortofoto-2025"]
    assert record.identification[0].title == "Ortofoto 2025"
    assert f"{live_server.url}/tiles/imagery/ortofoto-2025/tilejson.json" in {o.url for o in record.distribution.online}
    schema = _iso_schema()
    assert schema.validate(etree.fromstring(record.xml)), str(schema.error_log)


def test_help_page_and_layer_list_show_the_addresses(settings, world, django_user_model, compiled):  # noqa: F811
    from django.test import Client

    settings.ROOT_URLCONF = "kent.urls"
    client = Client()
    html = client.get("/yardim/qgis/").content.decode()
    assert "<h1>QGIS ile bağlanma</h1>" in html
    for path in ("/ogc", "/wfs", "/wms", "/csw"):
        assert f"<code>http://testserver{path}</code>" in html
    assert "/hesap/anahtarlar/" in html and "manage.py user_token" in html
    client.post("/i18n/setlang/", {"language": "en"})
    assert "<h1>Connecting from QGIS</h1>" in client.get("/yardim/qgis/").content.decode()
    client.force_login(django_user_model.objects.create_user("qgis-reader", password="x"))
    client.post("/i18n/setlang/", {"language": "tr"})
    listing = client.get("/katmanlar/").content.decode()
    assert "<code>http://testserver/csw</code>" in listing and 'href="/yardim/qgis/"' in listing
