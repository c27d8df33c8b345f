"""The ISO 19139 document of a record: written by pycsw's ISO (APISO) profile from the record's
columns, then completed with what that writer leaves out and the national portal asks for: the
responsible party's role, the reference systems, the licence as legal constraints, and the TUCBS
theme as its own keyword block. The result is stored in the record's `xml` column."""

from functools import cache
from typing import Any

from lxml import etree

from ..models import CswRecord
from .loader import pycsw_server
from .records import ISO_SCHEMA, SITE
from .repository import KentRepository
from .service import config

NS = {"gmd": ISO_SCHEMA, "gco": "http://www.isotc211.org/2005/gco"}
CODELIST = "http://standards.iso.org/iso/19139/resources/gmxCodelists.xml"


def _el(parent: etree._Element | None, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    prefix, name = tag.split(":")
    qname = f"{{{NS[prefix]}}}{name}"
    node = etree.Element(qname, attrib) if parent is None else etree.SubElement(parent, qname, attrib)
    if text is not None:
        node.text = text
    return node


def _string(parent: etree._Element, tag: str, text: str) -> None:
    _el(_el(parent, tag), "gco:CharacterString", text)


def _code(parent: etree._Element, tag: str, code: str, value: str) -> None:
    _el(_el(parent, tag), code, value, codeList=f"{CODELIST}#{code.split(':')[1]}", codeListValue=value)


def _party(organization: str) -> etree._Element:
    party = _el(None, "gmd:CI_ResponsibleParty")
    _string(party, "gmd:organisationName", organization)
    _code(party, "gmd:role", "gmd:CI_RoleCode", "pointOfContact")
    return party


def _reference_system(srid: int) -> etree._Element:
    info = _el(None, "gmd:referenceSystemInfo")
    ident = _el(_el(_el(info, "gmd:MD_ReferenceSystem"), "gmd:referenceSystemIdentifier"), "gmd:RS_Identifier")
    _string(ident, "gmd:code", f"EPSG:{srid}")
    _string(ident, "gmd:codeSpace", "EPSG")
    return info


def _constraints(licence: str, access_note: str) -> etree._Element:
    holder = _el(None, "gmd:resourceConstraints")
    legal = _el(holder, "gmd:MD_LegalConstraints")
    _string(legal, "gmd:useLimitation", licence)
    _code(legal, "gmd:accessConstraints", "gmd:MD_RestrictionCode", "otherRestrictions")
    _string(legal, "gmd:otherConstraints", licence)
    if access_note:
        _string(legal, "gmd:otherConstraints", access_note)
    return holder


def _theme_keywords(words: list[str]) -> etree._Element:
    holder = _el(None, "gmd:descriptiveKeywords")
    block = _el(holder, "gmd:MD_Keywords")
    for word in words:
        _string(block, "gmd:keyword", word)
    _code(block, "gmd:type", "gmd:MD_KeywordTypeCode", "theme")
    return holder


@cache
def _writer() -> tuple[Any, dict[str, Any]]:
    """pycsw's ISO profile and queryables, set up as pycsw's dispatch sets them (kept: it only formats)."""
    server = pycsw_server()
    from pycsw.plugins.profiles.apiso.apiso import APISO

    csw = server.Csw(config(SITE, ""), {"REQUEST_METHOD": "GET", "QUERY_STRING": ""})
    context, namespaces = csw.context, csw.context.namespaces
    profile = APISO(context.model, namespaces, context)
    profile.extend_core(context.model, namespaces, csw.config)
    return profile, KentRepository(context).queryables["_all"]


def document(row: dict[str, Any], srids: list[int], theme: list[str], access_note: str) -> str:
    """The full ISO 19139 MD_Metadata of `row` (pycsw's column values), as XML text."""
    profile, queryables = _writer()
    record = CswRecord(**{**row, "typename": "csw:Record"})  # pycsw writes ISO from columns, not from xml
    root = profile.write_record(record, "full", ISO_SCHEMA, queryables)
    for party in root.findall("gmd:contact/gmd:CI_ResponsibleParty", NS):
        if party.find("gmd:role", NS) is None:
            _code(party, "gmd:role", "gmd:CI_RoleCode", "pointOfContact")
    ident_info = root.find("gmd:identificationInfo", NS)
    for srid in srids:
        ident_info.addprevious(_reference_system(srid))
    data_ident = ident_info.find("gmd:MD_DataIdentification", NS)
    abstract = data_ident.find("gmd:abstract", NS)
    contact = _el(None, "gmd:pointOfContact")
    contact.append(_party(row["organization"]))
    abstract.addnext(contact)
    language = data_ident.find("gmd:language", NS)
    language.addprevious(_theme_keywords(theme))
    if row.get("otherconstraints"):
        language.addprevious(_constraints(row["otherconstraints"], access_note))
    return etree.tostring(root, encoding="unicode")
