"""GetCapabilities: the WFS 2.0 service description, listing the feature types this caller may read.

The list is the OGC API collections the caller sees (public ones, and an agency token's own), so a
layer OGC does not publish is never a WFS feature type either. Filter capabilities announce what
ogc/wfs/filters.py hands to the CQL translator."""

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .. import conf
from . import crs as wfs_crs
from .ows import FES, GML, KENT, OWS, PREFIX, WFS, XLINK, XSI

OUTPUT_FORMATS = ("application/gml+xml; version=3.2", "text/xml; subtype=gml/3.2", "application/json")
COMPARISONS = ("PropertyIsEqualTo", "PropertyIsNotEqualTo", "PropertyIsLessThan", "PropertyIsGreaterThan",
               "PropertyIsLessThanOrEqualTo", "PropertyIsGreaterThanOrEqualTo", "PropertyIsLike", "PropertyIsNull",
               "PropertyIsBetween")
SPATIAL = ("BBOX", "Intersects", "Disjoint", "Within", "Contains", "Touches", "Crosses", "Overlaps", "Equals",
           "DWithin", "Beyond")
OPERANDS = ("gml:Envelope", "gml:Point", "gml:LineString", "gml:Polygon", "gml:MultiPoint", "gml:MultiCurve",
            "gml:MultiSurface")
CONFORMANCE = {"ImplementsQuery": True, "ImplementsAdHocQuery": True, "ImplementsFunctions": False,
               "ImplementsResourceId": True, "ImplementsMinStandardFilter": True, "ImplementsStandardFilter": True,
               "ImplementsMinSpatialFilter": True, "ImplementsSpatialFilter": True,
               "ImplementsMinTemporalFilter": False, "ImplementsTemporalFilter": False,
               "ImplementsVersionNav": False, "ImplementsSorting": True, "ImplementsExtendedOperators": False}
WFS_CONSTRAINTS = {"ImplementsBasicWFS": True, "ImplementsTransactionalWFS": False, "ImplementsLockingWFS": False,
                   "KVPEncoding": True, "XMLEncoding": True, "SOAPEncoding": False, "ImplementsInheritance": False,
                   "ImplementsRemoteResolve": False, "ImplementsResultPaging": True,
                   "ImplementsStandardJoins": False, "ImplementsSpatialJoins": False,
                   "ImplementsTemporalJoins": False, "ImplementsFeatureVersioning": False,
                   "ManageStoredQueries": False}


def _flag(tag: str, name: str, value: bool | int) -> str:
    shown = str(value).upper() if isinstance(value, bool) else str(value)
    return (f'<{tag} name="{name}"><ows:NoValues/><ows:DefaultValue>{shown}</ows:DefaultValue></{tag}>')


def _operation(name: str, url: str, extra: str = "") -> str:
    href = quoteattr(url)
    return (f'<ows:Operation name="{name}"><ows:DCP><ows:HTTP><ows:Get xlink:href={href}/>'
            f"<ows:Post xlink:href={href}/></ows:HTTP></ows:DCP>{extra}</ows:Operation>")


def _allowed(name: str, values: tuple[str, ...]) -> str:
    items = "".join(f"<ows:Value>{escape(v)}</ows:Value>" for v in values)
    return f'<ows:Parameter name="{name}"><ows:AllowedValues>{items}</ows:AllowedValues></ows:Parameter>'


def _keywords(words: list[str]) -> str:
    items = "".join(f"<ows:Keyword>{escape(str(w))}</ows:Keyword>" for w in words if w)
    return f"<ows:Keywords>{items}</ows:Keywords>" if items else ""


def _feature_type(slug: str, collection: dict[str, Any]) -> str:
    x1, y1, x2, y2 = collection["extents"]["spatial"]["bbox"]
    other = "".join(f"<wfs:OtherCRS>{wfs_crs.URN.format(s)}</wfs:OtherCRS>" for s in wfs_crs.srids()
                    if s != wfs_crs.DEFAULT_SRID)
    formats = "".join(f"<wfs:Format>{escape(f)}</wfs:Format>" for f in OUTPUT_FORMATS)
    return (f"<wfs:FeatureType><wfs:Name>{PREFIX}:{escape(slug)}</wfs:Name>"
            f"<wfs:Title>{escape(collection['title']['tr'])}</wfs:Title>"
            f"<wfs:Abstract>{escape(collection['description']['tr'])}</wfs:Abstract>"
            f"{_keywords(collection.get('keywords') or [])}"
            f"<wfs:DefaultCRS>{wfs_crs.URN.format(wfs_crs.DEFAULT_SRID)}</wfs:DefaultCRS>{other}"
            f"<wfs:OutputFormats>{formats}</wfs:OutputFormats>"
            f"<ows:WGS84BoundingBox><ows:LowerCorner>{x1} {y1}</ows:LowerCorner>"
            f"<ows:UpperCorner>{x2} {y2}</ows:UpperCorner></ows:WGS84BoundingBox></wfs:FeatureType>")


def _filter_capabilities() -> str:
    conformance = "".join(_flag("fes:Constraint", k, v) for k, v in CONFORMANCE.items())
    comparisons = "".join(f'<fes:ComparisonOperator name="{c}"/>' for c in COMPARISONS)
    operands = "".join(f'<fes:GeometryOperand name="{o}"/>' for o in OPERANDS)
    spatial = "".join(f'<fes:SpatialOperator name="{s}"/>' for s in SPATIAL)
    return (f"<fes:Filter_Capabilities><fes:Conformance>{conformance}</fes:Conformance>"
            '<fes:Id_Capabilities><fes:ResourceIdentifier name="fes:ResourceId"/></fes:Id_Capabilities>'
            "<fes:Scalar_Capabilities><fes:LogicalOperators/>"
            f"<fes:ComparisonOperators>{comparisons}</fes:ComparisonOperators></fes:Scalar_Capabilities>"
            f"<fes:Spatial_Capabilities><fes:GeometryOperands>{operands}</fes:GeometryOperands>"
            f"<fes:SpatialOperators>{spatial}</fes:SpatialOperators></fes:Spatial_Capabilities>"
            "</fes:Filter_Capabilities>")


def document(url: str, config: dict[str, Any], visible: list[str]) -> str:
    """The capabilities XML for the collections in `visible` (ids of feature collections)."""
    meta = config["metadata"]
    ident = meta["identification"]
    contact = meta["contact"]
    resources = config["resources"]
    get_feature = (_allowed("outputFormat", OUTPUT_FORMATS)
                   + _allowed("resultType", ("results", "hits")))
    operations = (_operation("GetCapabilities", url, _allowed("AcceptVersions", ("2.0.0",))
                             + _allowed("AcceptFormats", ("text/xml",)))
                  + _operation("DescribeFeatureType", url, _allowed("outputFormat",
                                                                     ("application/gml+xml; version=3.2",)))
                  + _operation("GetFeature", url, get_feature)
                  + "".join(_flag("ows:Constraint", k, v) for k, v in WFS_CONSTRAINTS.items())
                  + _flag("ows:Constraint", "CountDefault", conf.max_items()))
    types = "".join(_feature_type(slug, resources[slug]) for slug in visible)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<wfs:WFS_Capabilities version="2.0.0" xmlns:wfs="{WFS}" xmlns:ows="{OWS}" xmlns:fes="{FES}" '
            f'xmlns:gml="{GML}" xmlns:xlink="{XLINK}" xmlns:xsi="{XSI}" xmlns:{PREFIX}="{KENT}" '
            f'xsi:schemaLocation="{WFS} http://schemas.opengis.net/wfs/2.0/wfs.xsd">'
            f"<ows:ServiceIdentification><ows:Title>{escape(ident['title']['tr'])}</ows:Title>"
            f"<ows:Abstract>{escape(ident['description']['tr'])}</ows:Abstract>"
            f"{_keywords(ident['keywords']['tr'])}"
            "<ows:ServiceType>WFS</ows:ServiceType><ows:ServiceTypeVersion>2.0.0</ows:ServiceTypeVersion>"
            f"<ows:Fees>NONE</ows:Fees><ows:AccessConstraints>{escape(meta['license']['name'])}"
            "</ows:AccessConstraints></ows:ServiceIdentification>"
            f"<ows:ServiceProvider><ows:ProviderName>{escape(meta['provider']['name'])}</ows:ProviderName>"
            f"<ows:ServiceContact><ows:IndividualName>{escape(contact['name'])}</ows:IndividualName>"
            f"<ows:PositionName>{escape(contact['position'])}</ows:PositionName><ows:ContactInfo><ows:Address>"
            f"<ows:ElectronicMailAddress>{escape(contact['email'])}</ows:ElectronicMailAddress></ows:Address>"
            "</ows:ContactInfo></ows:ServiceContact></ows:ServiceProvider>"
            f"<ows:OperationsMetadata>{operations}</ows:OperationsMetadata>"
            f"<wfs:FeatureTypeList>{types}</wfs:FeatureTypeList>{_filter_capabilities()}"
            "</wfs:WFS_Capabilities>")
