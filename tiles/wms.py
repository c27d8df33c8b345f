"""WMS 1.3.0 at /wms: GetCapabilities, GetMap (drawn by Mapnik), GetFeatureInfo (JSON or text).

Layers are the public published registry layers plus 'basemap'. Every refusal is a
ServiceExceptionReport with the WMS code (InvalidCRS, LayerNotDefined, MissingParameterValue,
InvalidFormat, ...) and HTTP 400; images are capped at MAX_SIZE pixels a side."""

import json
import xml.etree.ElementTree as ET

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from geo.models import AccessLevel, Layer

from . import maps
from .crs import axis_swapped, supported_crs, to_lonlat, to_lonlat_bbox
from .render import render_image
from .sources import source_of
from .wms_capabilities import INFO_FORMATS, capabilities

MAX_SIZE = 4096
OGC_NS = "http://www.opengis.net/ogc"
IMAGE_FORMATS = {"image/png": "png8:m=h", "image/jpeg": "jpeg85"}
CLICK_TOLERANCE_PX = 5
MAX_FEATURE_COUNT = 50


class WmsError(Exception):
    def __init__(self, code: str, message: str, locator: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.locator = code, message, locator

    def response(self) -> HttpResponse:
        root = ET.Element("ServiceExceptionReport", {"version": "1.3.0", "xmlns": OGC_NS})
        exc = ET.SubElement(root, "ServiceException", {"code": self.code})
        if self.locator:
            exc.set("locator", self.locator)
        exc.text = self.message
        body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
        return HttpResponse(body, status=400, content_type="text/xml; charset=utf-8")


def _required(params: dict[str, str], name: str) -> str:
    value = params.get(name, "").strip()
    if not value:
        raise WmsError("MissingParameterValue", _("'{name}' parametresi gerekli. (Parameter {name} is required.)")
                       .format(name=name), name)
    return value


def _int(params: dict[str, str], name: str, lo: int, hi: int) -> int:
    raw = _required(params, name)
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not lo <= value <= hi:
        raise WmsError("InvalidParameterValue", _("{name} {lo} ile {hi} arasında bir tam sayı olmalı; '{raw}' "
                                                  "verildi. ({name} must be an integer from {lo} to {hi}.)")
                       .format(name=name, lo=lo, hi=hi, raw=raw[:40]), name)
    return value


def public_layers() -> dict[str, Layer]:
    return {lyr.slug: lyr for lyr in Layer.objects.filter(published=True, access_level=AccessLevel.PUBLIC)}


class MapRequest:
    """The parts GetMap and GetFeatureInfo share, checked."""

    def __init__(self, params: dict[str, str], layer_key: str = "LAYERS") -> None:
        version = params.get("VERSION", "1.3.0")
        if version != "1.3.0":
            raise WmsError("InvalidParameterValue", _("Yalnızca WMS 1.3.0 desteklenir. (Only WMS 1.3.0 is served.)"),
                           "VERSION")
        self.layers = public_layers()
        self.names = list(dict.fromkeys(n for n in _required(params, layer_key).split(",") if n))
        for name in self.names:
            if name != maps.BASEMAP and name not in self.layers:
                raise WmsError("LayerNotDefined", _("'{name}' adında yayımlanmış bir katman yok. "
                                                    "(No published layer named '{name}'.)").format(name=name[:80]),
                               layer_key)
        styles = [s for s in params.get("STYLES", "").split(",") if s and s != "default"]
        if styles:
            raise WmsError("StyleNotDefined", _("Yalnızca varsayılan stil var. (Only the default style exists.)"),
                           "STYLES")
        self.crs_name = _required(params, "CRS").upper()
        crs = supported_crs()
        if self.crs_name not in crs:
            raise WmsError("InvalidCRS", _("Desteklenmeyen koordinat sistemi '{crs}'; kullanılabilenler: {ok}. "
                                           "(Unsupported CRS.)").format(crs=self.crs_name[:40], ok=", ".join(crs)),
                           "CRS")
        self.srid = crs[self.crs_name]
        self.bbox = self._bbox(_required(params, "BBOX"))
        self.width = _int(params, "WIDTH", 1, MAX_SIZE)
        self.height = _int(params, "HEIGHT", 1, MAX_SIZE)

    def _bbox(self, raw: str) -> tuple[float, float, float, float]:
        try:
            values = [float(v) for v in raw.split(",")[:4]]
        except ValueError:
            values = []
        if len(values) != 4 or not (values[0] < values[2] and values[1] < values[3]):
            raise WmsError("InvalidParameterValue", _("BBOX dört sayı olmalı: minx,miny,maxx,maxy ve min < max. "
                                                      "(BBOX must be four numbers with min < max.)"), "BBOX")
        if axis_swapped(self.crs_name):
            values = [values[1], values[0], values[3], values[2]]
        return values[0], values[1], values[2], values[3]


def _get_map(params: dict[str, str]) -> HttpResponse:
    req = MapRequest(params)
    fmt = _required(params, "FORMAT").split(";")[0].strip().lower()
    if fmt not in IMAGE_FORMATS:
        raise WmsError("InvalidFormat", _("Desteklenmeyen biçim '{fmt}'; kullanılabilenler: {ok}. "
                                          "(Unsupported format.)").format(fmt=fmt[:40], ok=", ".join(IMAGE_FORMATS)),
                       "FORMAT")
    transparent = params.get("TRANSPARENT", "FALSE").upper() == "TRUE" and fmt == "image/png"
    background = None if transparent else _bgcolour(params.get("BGCOLOR", "0xFFFFFF"))
    xml = maps.stack_xml(req.names, req.layers, srs=f"epsg:{req.srid}", background=background)
    image = render_image(xml, req.bbox, req.width, req.height)
    return HttpResponse(image.to_string(IMAGE_FORMATS[fmt]), content_type=fmt)


def _bgcolour(raw: str) -> str:
    value = raw.strip().lower().removeprefix("0x")
    if len(value) != 6 or any(c not in "0123456789abcdef" for c in value):
        raise WmsError("InvalidParameterValue", _("BGCOLOR 0xRRGGBB biçiminde olmalı. (BGCOLOR must be 0xRRGGBB.)"),
                       "BGCOLOR")
    return f"#{value}"


def _features_at(layer: Layer, box: tuple[float, float, float, float], point: tuple[float, float],
                 limit: int) -> list[dict]:
    src = source_of(layer)
    attrs = src.attribute_sql()
    sql = (f"SELECT {src.id_sql} AS id{', ' + attrs if attrs else ''}, ST_AsGeoJSON({src.geom_sql}, 7) AS geometry "
           f"FROM {src.table} t WHERE {src.scope_sql} AND {src.geom_sql} && ST_MakeEnvelope(%s, %s, %s, %s, 4326) "
           f"AND ST_Intersects({src.geom_sql}, ST_MakeEnvelope(%s, %s, %s, %s, 4326)) "
           f"ORDER BY ST_Distance({src.geom_sql}, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) LIMIT %s")
    with connection.cursor() as cur:
        cur.execute(sql, [*box, *box, *point, limit])
        names = [c.name for c in cur.description]
        rows = cur.fetchall()
    features = []
    for row in rows:
        record = dict(zip(names, row, strict=True))
        props = record.pop("properties", None) or {}
        props = json.loads(props) if isinstance(props, str) else props
        fid, geometry = record.pop("id"), json.loads(record.pop("geometry"))
        features.append({"type": "Feature", "id": fid, "layer": layer.slug, "geometry": geometry,
                         "properties": {**{k: _plain(v) for k, v in record.items()}, **props}})
    return features


def _plain(value: object) -> object:
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def _get_feature_info(params: dict[str, str]) -> HttpResponse:
    req = MapRequest(params)
    queried = MapRequest(params, "QUERY_LAYERS").names
    for name in queried:
        if name == maps.BASEMAP or name not in req.names:
            raise WmsError("LayerNotQueryable", _("'{name}' sorgulanamaz. (Layer '{name}' is not queryable.)")
                           .format(name=name[:80]), "QUERY_LAYERS")
    info_format = params.get("INFO_FORMAT", "application/json").lower()
    if info_format not in INFO_FORMATS:
        raise WmsError("InvalidFormat", _("INFO_FORMAT şunlardan biri olmalı: {ok}. (Unsupported INFO_FORMAT.)")
                       .format(ok=", ".join(INFO_FORMATS)), "INFO_FORMAT")
    try:
        i, j = _int(params, "I", 0, req.width - 1), _int(params, "J", 0, req.height - 1)
    except WmsError as e:
        raise WmsError("InvalidPoint", e.message, e.locator) from e
    count = int(params.get("FEATURE_COUNT", "1")) if params.get("FEATURE_COUNT", "1").isdigit() else 1
    minx, miny, maxx, maxy = req.bbox
    rx, ry = (maxx - minx) / req.width, (maxy - miny) / req.height
    x, y = minx + (i + 0.5) * rx, maxy - (j + 0.5) * ry
    tol = CLICK_TOLERANCE_PX
    box = to_lonlat_bbox((x - tol * rx, y - tol * ry, x + tol * rx, y + tol * ry), req.srid)
    point = to_lonlat(x, y, req.srid)
    features = []
    for name in queried:
        features += _features_at(req.layers[name], box, point, max(1, min(count, MAX_FEATURE_COUNT)))
    if info_format == "text/plain":
        return HttpResponse(_as_text(features), content_type="text/plain; charset=utf-8")
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json")


def _as_text(features: list[dict]) -> str:
    if not features:
        return _("Bu noktada detay yok. (No feature here.)") + "\n"
    lines = []
    for f in features:
        lines.append(f"{f['layer']} #{f['id']}")
        lines += [f"  {k} = {v}" for k, v in f["properties"].items()]
    return "\n".join(lines) + "\n"


@require_GET
def endpoint(request: HttpRequest) -> HttpResponse:
    params = {k.upper(): v for k, v in request.GET.items()}
    try:
        if params.get("SERVICE", "WMS").upper() != "WMS":
            raise WmsError("InvalidParameterValue", _("SERVICE=WMS olmalı. (SERVICE must be WMS.)"), "SERVICE")
        op = _required(params, "REQUEST").lower()
        if op == "getcapabilities":
            url = request.build_absolute_uri(request.path) + "?"
            body = capabilities(url, list(public_layers().values()), MAX_SIZE)
            return HttpResponse(body, content_type="text/xml; charset=utf-8")
        if op == "getmap":
            return _get_map(params)
        if op == "getfeatureinfo":
            return _get_feature_info(params)
        raise WmsError("OperationNotSupported", _("Desteklenmeyen istek '{op}'. (Unsupported request.)")
                       .format(op=op[:40]), "REQUEST")
    except WmsError as e:
        return e.response()
