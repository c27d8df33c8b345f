"""WFS 2.0 requests sent as XML (POST): read into the same parameters a KVP request has, so both
encodings take one path. A GetFeature's fes:Filter is handed on as an element, unserialised."""

from lxml import etree

from geo.errors import KentError

from . import filters
from .getfeature import Request, from_kvp
from .ows import FES, WFS, Params, local_name

OPERATIONS = {"GetCapabilities", "DescribeFeatureType", "GetFeature"}
ATTRIBUTES = ("service", "version", "count", "startIndex", "resultType", "outputFormat")


def _bad(message: str) -> KentError:
    return KentError(f"Geçersiz XML isteği: {message}. (Invalid XML request.)", parameter="request")


def _get_feature(root: etree._Element, values: dict[str, str]) -> Request:
    queries = root.findall(f"{{{WFS}}}Query")
    if len(queries) != 1:
        raise _bad("bir GetFeature tek bir wfs:Query içermeli")
    query = queries[0]
    values["typeNames"] = query.get("typeNames") or query.get("typeName") or ""
    if query.get("srsName"):
        values["srsName"] = query.get("srsName") or ""
    names = [local_name(n.text or "") for n in query.findall(f"{{{WFS}}}PropertyName")]
    if names:
        values["propertyName"] = ",".join(names)
    keys = []
    for prop in query.iter(f"{{{FES}}}SortProperty"):
        name = prop.findtext(f"{{{FES}}}ValueReference") or ""
        keys.append(f"{local_name(name)} {(prop.findtext(f'{{{FES}}}SortOrder') or 'ASC').strip()}")
    if keys:
        values["sortBy"] = ",".join(keys)
    req = from_kvp(Params(values))
    found = query.find(f"{{{FES}}}Filter")
    if found is not None:
        req.filter = found
    return req


def read(body: bytes) -> tuple[Params, Request | None]:
    """The parameters of an XML request, and its GetFeature already read."""
    root = filters.element(body)
    operation = etree.QName(root).localname
    if etree.QName(root).namespace != WFS or operation not in OPERATIONS:
        raise _bad(f"kök öğe {', '.join(sorted(OPERATIONS))} olmalı (wfs 2.0)")
    values = {"request": operation, **{k: root.get(k) or "" for k in ATTRIBUTES if root.get(k)}}
    if operation == "DescribeFeatureType":
        values["typeNames"] = ",".join((n.text or "").strip() for n in root.findall(f"{{{WFS}}}TypeName"))
    if operation == "GetFeature":
        return Params(values), _get_feature(root, values)
    return Params(values), None
