"""DescribeFeatureType: an XML Schema (GML 3.2 application schema) per feature type.

The attributes are exactly the layer's published fields (the publication policy already cut them
into the OGC configuration, which `Source` reads); their XML types follow the JSON schema types.
An attribute whose name cannot be an XML element name is left out of the schema and of GML
output alike (`element_names`), so GDAL never meets an element it was not told about."""

import re
from xml.sax.saxutils import escape

from geo.sources.sql import Field, Source

from .ows import GML, KENT, PREFIX, XSD

GEOMETRY = "geometry"
GEOMETRY_TYPES = {"point": "gml:MultiPointPropertyType", "line": "gml:MultiCurvePropertyType",
                  "polygon": "gml:MultiSurfacePropertyType"}
_NCNAME = re.compile(r"^[^\W\d][\w.\-]*$")


def xsd_type(f: Field) -> str:
    if f.format == "date-time":
        return "xsd:dateTime"
    if f.format == "date":
        return "xsd:date"
    return {"integer": "xsd:long", "number": "xsd:double", "boolean": "xsd:boolean"}.get(f.type, "xsd:string")


def element_names(source: Source) -> list[str]:
    """The published attributes that can be written as GML elements, in schema order."""
    return [name for name in source.fields if _NCNAME.match(name) and name != GEOMETRY]


def geometry_type(family: str | None) -> str:
    return GEOMETRY_TYPES.get(family or "", "gml:GeometryPropertyType")


def _complex_type(slug: str, source: Source, family: str | None) -> str:
    fields = "".join(f'<xsd:element name="{name}" type="{xsd_type(source.fields[name])}" minOccurs="0" '
                     'nillable="true"/>' for name in element_names(source))
    return (f'<xsd:complexType name="{escape(slug)}Type"><xsd:complexContent>'
            '<xsd:extension base="gml:AbstractFeatureType"><xsd:sequence>'
            f'<xsd:element name="{GEOMETRY}" type="{geometry_type(family)}" minOccurs="0" nillable="true"/>'
            f"{fields}</xsd:sequence></xsd:extension></xsd:complexContent></xsd:complexType>"
            f'<xsd:element name="{escape(slug)}" type="{PREFIX}:{escape(slug)}Type" '
            'substitutionGroup="gml:AbstractFeature"/>')


def schema(types: list[tuple[str, Source, str | None]]) -> str:
    """The schema of (slug, source, geometry family) feature types, one target namespace."""
    body = "".join(_complex_type(slug, source, family) for slug, source, family in types)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<xsd:schema xmlns:xsd="{XSD}" xmlns:gml="{GML}" '
            f'xmlns:{PREFIX}="{KENT}" targetNamespace="{KENT}" elementFormDefault="qualified" version="2.0.0">'
            f'<xsd:import namespace="{GML}" schemaLocation="http://schemas.opengis.net/gml/3.2.1/gml.xsd"/>'
            f"{body}</xsd:schema>")
