"""WFS 2.0 request plumbing: namespaces, case-insensitive KVP parameters, and Kent's errors as an
OWS ExceptionReport (the XML every WFS client reads, with the HTTP status WFS 2.0 gives each code)."""

from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse

from geo.errors import KentError

WFS = "http://www.opengis.net/wfs/2.0"
OWS = "http://www.opengis.net/ows/1.1"
FES = "http://www.opengis.net/fes/2.0"
GML = "http://www.opengis.net/gml/3.2"
XSD = "http://www.w3.org/2001/XMLSchema"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
KENT = "urn:kent:wfs"  # the namespace of Kent's feature types, prefix 'kent'
PREFIX = "kent"
XML_TYPE = "application/xml; charset=utf-8"
GML_TYPE = "application/gml+xml; version=3.2"


class MissingParameter(KentError):
    code = "MissingParameterValue"


class NotSupported(KentError):
    status = 501
    code = "OperationNotSupported"


class Params:
    """KVP parameters with case-insensitive names (OWS Common): `typeNames` and `TYPENAMES` agree."""

    def __init__(self, query: Mapping[str, str]) -> None:
        self.values = {k.lower(): v for k, v in query.items()}

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.values.get(name.lower(), default)

    def __contains__(self, name: str) -> bool:
        return name.lower() in self.values

    def required(self, name: str) -> str:
        value = (self.get(name) or "").strip()
        if not value:
            raise MissingParameter(f"'{name}' parametresi gerekli. (Missing parameter '{name}'.)", parameter=name)
        return value


def local_name(name: str) -> str:
    """'kent:binalar' or '{urn:kent:wfs}binalar' as 'binalar'."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].strip()


def exception_report(e: KentError) -> HttpResponse:
    """An ows:ExceptionReport; the locator is the parameter at fault when the error names one."""
    locator = e.detail.get("parameter") or e.detail.get("collection")
    attrs = f" exceptionCode={quoteattr(e.code)}" + (f" locator={quoteattr(str(locator))}" if locator else "")
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ows:ExceptionReport xmlns:ows="{OWS}" version="2.0.0" '
            f'xml:lang="tr"><ows:Exception{attrs}><ows:ExceptionText>{escape(e.message)}</ows:ExceptionText>'
            "</ows:Exception></ows:ExceptionReport>")
    response = HttpResponse(body.encode("utf-8"), status=e.status, content_type=XML_TYPE)
    if e.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="kent"'
    return response
