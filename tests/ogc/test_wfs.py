"""WFS 2.0 at /wfs, read by independent clients over HTTP (GDAL's WFS driver, OWSLib) and checked
in-process for what those clients do not show: axis order, CRSs, FES predicates, exception reports,
the access log and the publication policy."""

import json
import subprocess

import pytest
from django.contrib.gis.geos import Polygon
from lxml import etree
from pyproj import Transformer

from geo.errors import KentError
from geo.models import AgencyAccessLog
from geo.services.crs import transformer
from ogc.wfs import crs as wfs_crs

from .conftest import BBOX, live_data

NS = {"wfs": "http://www.opengis.net/wfs/2.0", "ows": "http://www.opengis.net/ows/1.1",
      "gml": "http://www.opengis.net/gml/3.2", "kent": "urn:kent:wfs",
      "xsd": "http://www.w3.org/2001/XMLSchema"}
FES = 'xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"'


def wfs(client, **params):  # noqa: ANN001, ANN201 - Django's test client and response
    return client.get("/wfs", {"service": "WFS", "version": "2.0.0", **params})


def xml(response) -> etree._Element:  # noqa: ANN001
    return etree.fromstring(response.content)


def exception(response) -> tuple[str, str | None]:  # noqa: ANN001
    node = xml(response).find("ows:Exception", NS)
    return node.get("exceptionCode"), node.get("locator")


def members(response) -> list[etree._Element]:  # noqa: ANN001
    return xml(response).findall("wfs:member/*", NS)


def get_features(client, type_name: str = "kent:binalar", **params):  # noqa: ANN001, ANN201
    return wfs(client, request="GetFeature", typeNames=type_name, **params)


# -- in-process: the protocol details -----------------------------------------------------------------


@pytest.mark.parametrize(("text", "srid", "latitude_first"), [
    (None, 4326, True), ("urn:ogc:def:crs:EPSG::4326", 4326, True), ("urn:ogc:def:crs:EPSG:6.9:4326", 4326, True),
    ("urn:x-ogc:def:crs:EPSG:4326", 4326, True), ("http://www.opengis.net/def/crs/EPSG/0/4326", 4326, True),
    ("EPSG:4326", 4326, False), ("http://www.opengis.net/gml/srs/epsg.xml#4326", 4326, False),
    ("urn:ogc:def:crs:OGC:1.3:CRS84", 4326, False), ("urn:ogc:def:crs:EPSG::5254", 5254, True),
    ("EPSG:5259", 5259, False), ("EPSG:23035", 23035, False), ("urn:ogc:def:crs:EPSG::3857", 3857, False),
])
def test_srs_names_and_their_axis_order(text, srid, latitude_first):
    parsed = wfs_crs.parse(text, "srsName")
    assert (parsed.srid, parsed.flip) == (srid, latitude_first)


def test_unsupported_srs_name_is_refused():
    with pytest.raises(KentError) as refused:
        wfs_crs.parse("EPSG:32636", "srsName")
    assert refused.value.detail == {"parameter": "srsName"}


@pytest.mark.django_db
def test_capabilities_list_only_published_layers(client, world):
    root = xml(wfs(client, request="GetCapabilities"))
    names = {n.text for n in root.findall("wfs:FeatureTypeList/wfs:FeatureType/wfs:Name", NS)}
    assert names == {"kent:binalar", "kent:yapilar"}
    with_token = xml(client.get("/wfs", {"request": "GetCapabilities", "service": "WFS"},
                                HTTP_AUTHORIZATION=f"Bearer {world.afad_token}"))
    names = {n.text for n in with_token.findall("wfs:FeatureTypeList/wfs:FeatureType/wfs:Name", NS)}
    assert names == {"kent:binalar", "kent:yapilar", "kent:toplanma-alanlari"}


@pytest.mark.django_db
def test_describe_feature_type_has_only_published_fields(client, world):
    root = xml(wfs(client, request="DescribeFeatureType", typeNames="kent:binalar"))
    elements = {e.get("name"): e.get("type") for e in root.iterfind(".//xsd:complexType//xsd:element", NS)}
    assert elements["kat"] == "xsd:long" and elements["building"] == "xsd:string"
    assert elements["geometry"] == "gml:MultiSurfacePropertyType"
    assert "malik_adi" not in elements


@pytest.mark.django_db
def test_get_feature_paging_sorting_and_properties(client, world):
    first = get_features(client, count="5", startIndex="0", sortBy="kat DESC", propertyName="kat,building")
    assert first.status_code == 200 and first["Content-Type"].startswith("application/gml+xml")
    root = xml(first)
    assert root.get("numberMatched") == str(world.n_buildings) and root.get("numberReturned") == "5"
    assert "startIndex=5" in root.get("next")
    feats = members(first)
    assert [f.findtext("kent:kat", namespaces=NS) for f in feats] == ["7"] * 5
    assert all(f.find("kent:name", NS) is None for f in feats)
    ids = {f.get("{http://www.opengis.net/gml/3.2}id") for f in feats}
    second = {f.get("{http://www.opengis.net/gml/3.2}id") for f in members(
        get_features(client, count="5", startIndex="5", sortBy="kat DESC"))}
    assert len(ids) == 5 and not ids & second
    hits = xml(get_features(client, resultType="hits"))
    assert hits.get("numberMatched") == str(world.n_buildings) and hits.get("numberReturned") == "0"


def first_vertex(response) -> list[float]:  # noqa: ANN001
    found = members(response)
    assert len(found) == 1, response.content[:500]
    return [float(v) for v in found[0].findtext(".//gml:posList", namespaces=NS).split()[:2]]


@pytest.mark.django_db
def test_resource_id_srs_name_and_axis_order(client, world):
    feature = world.buildings.features.order_by("id").first()
    lon, lat = feature.geom.coords[0][0][0] if feature.geom.geom_type == "MultiPolygon" else feature.geom.coords[0][0]
    rid = f"binalar.{feature.pk}"
    urn = wfs(client, request="GetFeature", resourceId=rid)
    assert members(urn)[0].get("{http://www.opengis.net/gml/3.2}id") == rid
    assert first_vertex(urn) == pytest.approx([lat, lon], abs=1e-6)  # urn:ogc:def:crs:EPSG::4326: lat/lon
    short = wfs(client, request="GetFeature", resourceId=rid, srsName="EPSG:4326")
    assert first_vertex(short) == pytest.approx([lon, lat], abs=1e-6)  # EPSG:4326: lon/lat
    for srs, srid, order in [("EPSG:5254", 5254, 1), ("urn:ogc:def:crs:EPSG::5255", 5255, -1),
                             ("urn:ogc:def:crs:EPSG::23036", 23036, 1), ("EPSG:3857", 3857, 1)]:
        expected = list(transformer(4326, srid).transform(lon, lat))[::order]  # the pipeline imports use
        got = first_vertex(wfs(client, request="GetFeature", resourceId=rid, srsName=srs))
        assert got == pytest.approx(expected, abs=0.01), srs
    assert members(wfs(client, request="GetFeature", resourceId="binalar.x,yapilar.1")) == []


@pytest.mark.django_db
def test_bbox_with_its_crs(client, world):
    lonlat = get_features(client, bbox="39.926,32.812,39.934,32.825,urn:ogc:def:crs:EPSG::4326", resultType="hits")
    assert xml(lonlat).get("numberMatched") == "574"
    x1, y1 = Transformer.from_crs(4326, 3857, always_xy=True).transform(32.812, 39.926)
    x2, y2 = Transformer.from_crs(4326, 3857, always_xy=True).transform(32.825, 39.934)
    merc = get_features(client, bbox=f"{x1},{y1},{x2},{y2},EPSG:3857", resultType="hits")
    assert abs(int(xml(merc).get("numberMatched")) - 574) <= 5  # densified box edges, same area


@pytest.mark.django_db
@pytest.mark.parametrize(("predicate", "expected"), [
    ("<fes:PropertyIsEqualTo><fes:ValueReference>building</fes:ValueReference>"
     "<fes:Literal>university</fes:Literal></fes:PropertyIsEqualTo>", 39),
    ("<fes:Not><fes:PropertyIsNotEqualTo><fes:ValueReference>kent:building</fes:ValueReference>"
     "<fes:Literal>university</fes:Literal></fes:PropertyIsNotEqualTo></fes:Not>", 39),
    ("<fes:PropertyIsLike wildCard='*' singleChar='.' escapeChar='!'><fes:ValueReference>building"
     "</fes:ValueReference><fes:Literal>univ*</fes:Literal></fes:PropertyIsLike>", 39),
    ("<fes:And><fes:PropertyIsBetween><fes:ValueReference>kat</fes:ValueReference><fes:LowerBoundary>"
     "<fes:Literal>2</fes:Literal></fes:LowerBoundary><fes:UpperBoundary><fes:Literal>3</fes:Literal>"
     "</fes:UpperBoundary></fes:PropertyIsBetween><fes:PropertyIsGreaterThan><fes:ValueReference>kat"
     "</fes:ValueReference><fes:Literal>2</fes:Literal></fes:PropertyIsGreaterThan></fes:And>", "kat=3"),
    ("<fes:BBOX><gml:Envelope srsName='urn:ogc:def:crs:EPSG::4326'><gml:lowerCorner>39.926 32.812"
     "</gml:lowerCorner><gml:upperCorner>39.934 32.825</gml:upperCorner></gml:Envelope></fes:BBOX>", 574),
    ("<fes:Intersects><fes:ValueReference>geometry</fes:ValueReference><gml:Envelope srsName='EPSG:4326'>"
     "<gml:lowerCorner>32.812 39.926</gml:lowerCorner><gml:upperCorner>32.825 39.934</gml:upperCorner>"
     "</gml:Envelope></fes:Intersects>", 574),
])
def test_filter_encoding(client, world, predicate, expected):
    response = get_features(client, filter=f"<fes:Filter {FES}>{predicate}</fes:Filter>", resultType="hits")
    assert response.status_code == 200, response.content[:500]
    if expected == "kat=3":
        expected = sum(1 for f in world.buildings.features.all() if f.properties["kat"] == 3)
    assert xml(response).get("numberMatched") == str(expected)


@pytest.mark.django_db
def test_filter_cannot_reach_unpublished_fields(client, world):
    leak = get_features(client, filter=f"<fes:Filter {FES}><fes:PropertyIsEqualTo><fes:ValueReference>malik_adi"
                                       "</fes:ValueReference><fes:Literal>Ayşe Yılmaz</fes:Literal>"
                                       "</fes:PropertyIsEqualTo></fes:Filter>")
    assert leak.status_code == 400 and exception(leak) == ("InvalidParameterValue", "filter")
    assert b"Ay\xc5\x9fe" not in get_features(client, count="50").content


@pytest.mark.django_db
def test_geojson_output(client, world):
    response = get_features(client, outputFormat="application/json", count="3", srsName="urn:ogc:def:crs:EPSG::4326")
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 3
    lon, lat = body["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 32 < lon < 33 and 39 < lat < 40  # GeoJSON stays lon/lat
    assert "malik_adi" not in body["features"][0]["properties"]


@pytest.mark.django_db
def test_bad_parameters_are_exception_reports(client, world):
    assert exception(wfs(client)) == ("MissingParameterValue", "request")
    assert exception(wfs(client, request="GetFeature")) == ("MissingParameterValue", "typeNames")
    assert exception(get_features(client, count="x")) == ("InvalidParameterValue", "count")
    assert exception(get_features(client, srsName="EPSG:2000")) == ("InvalidParameterValue", "srsName")
    assert exception(get_features(client, sortBy="yok")) == ("InvalidParameterValue", "sortBy")
    assert exception(get_features(client, "kent:ic-katman")) == ("InvalidParameterValue", "typeNames")
    broken = get_features(client, filter="<fes:Filter")
    assert broken.status_code == 400 and exception(broken) == ("InvalidParameterValue", "filter")
    assert wfs(client, request="Transaction").status_code == 501


@pytest.mark.django_db
def test_agency_layer_needs_its_token_and_is_logged(client, world):
    anonymous = get_features(client, "kent:toplanma-alanlari")
    assert anonymous.status_code == 401 and exception(anonymous)[0] == "NotAuthenticated"
    other = client.get("/wfs", {"service": "WFS", "request": "GetFeature", "typeNames": "kent:toplanma-alanlari"},
                       HTTP_AUTHORIZATION=f"Bearer {world.utility_token}")
    assert other.status_code == 403 and exception(other)[0] == "Forbidden"
    allowed = client.get("/wfs", {"service": "WFS", "request": "GetFeature", "typeNames": "kent:toplanma-alanlari",
                                  "token": world.afad_token})
    assert allowed.status_code == 200 and len(members(allowed)) == 12
    logged = list(AgencyAccessLog.objects.filter(collection="toplanma-alanlari").order_by("id")
                  .values_list("status", "features"))
    assert logged == [(401, None), (403, None), (200, 12)]
    assert "token=" not in AgencyAccessLog.objects.latest("id").path


@pytest.mark.django_db
def test_post_xml_get_feature(client, world):
    body = (f'<wfs:GetFeature xmlns:wfs="http://www.opengis.net/wfs/2.0" {FES} service="WFS" version="2.0.0" '
            'count="4"><wfs:Query typeNames="kent:binalar" srsName="EPSG:4326"><fes:Filter><fes:PropertyIsEqualTo>'
            "<fes:ValueReference>building</fes:ValueReference><fes:Literal>university</fes:Literal>"
            "</fes:PropertyIsEqualTo></fes:Filter></wfs:Query></wfs:GetFeature>")
    response = client.post("/wfs", body, content_type="application/xml")
    root = xml(response)
    assert root.get("numberMatched") == "39" and len(members(response)) == 4
    assert members(response)[0].find("kent:building", NS).text == "university"
    caps = client.post("/wfs", '<wfs:GetCapabilities xmlns:wfs="http://www.opengis.net/wfs/2.0" service="WFS"/>',
                       content_type="application/xml")
    assert len(xml(caps).findall("wfs:FeatureTypeList/wfs:FeatureType", NS)) == 2


# -- independent clients over HTTP ----------------------------------------------------------------------


def gdal(*args: str, token: str | None = None) -> str:
    cmd = list(args)
    if token:
        cmd[1:1] = ["--config", "GDAL_HTTP_HEADERS", f"Authorization: Bearer {token}"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@live_data
def test_gdal_lists_reads_pages_and_filters(live_server, world, tmp_path):
    url = f"WFS:{live_server.url}/wfs"
    listing = gdal("ogrinfo", "-ro", "-so", url)
    assert "kent:binalar" in listing and "kent:yapilar" in listing
    assert "toplanma-alanlari" not in listing and "ic-katman" not in listing
    typed = gdal("ogrinfo", "-ro", "-al", "-q", url, "kent:yapilar")  # a typed register model
    assert typed.count("OGRFeature(kent:yapilar)") == 300 and "kat_ust (Integer64) = " in typed
    out = tmp_path / "all.geojson"
    gdal("ogr2ogr", "--config", "OGR_WFS_PAGE_SIZE", "400", "-f", "GeoJSON", str(out), url, "kent:binalar")
    got = json.loads(out.read_text())["features"]
    assert len(got) == world.n_buildings and len({f["properties"]["gml_id"] for f in got}) == world.n_buildings
    assert "malik_adi" not in got[0]["properties"]
    lon, lat = got[0]["geometry"]["coordinates"][0][0][0]
    assert 32 < lon < 33 and 39 < lat < 40
    where = tmp_path / "where.geojson"
    gdal("ogr2ogr", "-f", "GeoJSON", str(where), url, "kent:binalar", "-where", "building = 'university' AND kat > 2")
    picked = json.loads(where.read_text())["features"]
    expected = sum(1 for f in world.buildings.features.all()
                   if f.properties.get("building") == "university" and f.properties["kat"] > 2)
    assert 0 < len(picked) == expected
    assert {f["properties"]["building"] for f in picked} == {"university"}
    boxed = tmp_path / "boxed.geojson"
    gdal("ogr2ogr", "-f", "GeoJSON", str(boxed), url, "kent:binalar", "-spat", *map(str, BBOX),
         "-where", "kat >= 6 AND building LIKE 'y%'")
    box = Polygon.from_bbox(BBOX)
    expected = sum(1 for f in world.buildings.features.all()
                   if f.properties["kat"] >= 6 and f.properties.get("building", "").startswith("y")
                   and f.geom.intersects(box))
    assert 0 < len(json.loads(boxed.read_text())["features"]) == expected


@live_data
def test_gdal_agency_layer_with_and_without_token(live_server, world):
    url = f"WFS:{live_server.url}/wfs"
    refused = subprocess.run(["ogrinfo", "-ro", "-so", url, "kent:toplanma-alanlari"], capture_output=True,
                             text=True, timeout=120)
    assert refused.returncode != 0 and "Couldn't fetch requested layer" in refused.stdout  # not listed
    listing = gdal("ogrinfo", "-ro", "-al", "-q", url, "kent:toplanma-alanlari", token=world.afad_token)
    assert listing.count("OGRFeature(kent:toplanma-alanlari)") == 12


@live_data
def test_owslib_reads_gml_and_geojson(live_server, world):
    from owslib.wfs import WebFeatureService

    service = WebFeatureService(f"{live_server.url}/wfs", version="2.0.0")
    assert set(service.contents) == {"kent:binalar", "kent:yapilar"}
    assert service.contents["kent:binalar"].title == "Binalar"
    got = service.getfeature(typename=["kent:binalar"], maxfeatures=7)
    root = etree.fromstring(got.read())
    assert root.get("numberReturned") == "7" and len(root.findall("wfs:member", NS)) == 7
    geojson = json.loads(service.getfeature(typename=["kent:binalar"], maxfeatures=3,
                                            outputFormat="application/json").read())
    assert len(geojson["features"]) == 3 and geojson["numberMatched"] == world.n_buildings
    tm = etree.fromstring(service.getfeature(typename=["kent:binalar"], maxfeatures=1,
                                             srsname="urn:ogc:def:crs:EPSG::5254").read())
    northing, easting = (float(v) for v in tm.findtext(".//gml:posList", namespaces=NS).split()[:2])
    assert 4_000_000 < northing < 5_000_000 and 0 < easting < 1_000_000  # TM30 metres, northing first


@live_data
def test_owslib_agency_layer_exception_report(live_server, world):
    import requests

    url = f"{live_server.url}/wfs"
    params = {"service": "WFS", "version": "2.0.0", "request": "GetFeature", "typeNames": "kent:toplanma-alanlari"}
    refused = requests.get(url, params=params, timeout=60)
    assert refused.status_code == 401
    report = etree.fromstring(refused.content)
    assert report.tag == "{http://www.opengis.net/ows/1.1}ExceptionReport"
    assert report.find("ows:Exception", NS).get("exceptionCode") == "NotAuthenticated"
    from owslib.wfs import WebFeatureService

    service = WebFeatureService(url, version="2.0.0", headers={"Authorization": f"Bearer {world.afad_token}"})
    assert "kent:toplanma-alanlari" in service.contents
    root = etree.fromstring(service.getfeature(typename=["kent:toplanma-alanlari"]).read())
    assert len(root.findall("wfs:member", NS)) == 12
