"""The TUCBS themes Kent's layers use, with the attributes each requires.

Codes AD, BI, IB, UL, TK, HI, CA, AO, AK, OR follow the TUCBS data-theme documents. For the
public services, utilities and hazards Kent uses the codes KH, AY and DR, chosen on the same
pattern; they are marked `provisional` until the national catalogue is checked. Required
attributes are the identifying ones every TUCBS theme asks of a feature (a name or an
identifier), kept deliberately small so real municipal data can pass."""

from typing import TypedDict


class Theme(TypedDict):
    code: str
    name_tr: str
    name_en: str
    required_attributes: list[str]
    provisional: bool


THEMES: list[Theme] = [
    {"code": "AD", "name_tr": "Adres", "name_en": "Addresses",
     "required_attributes": ["kapi_no"], "provisional": False},
    {"code": "BI", "name_tr": "Bina", "name_en": "Buildings",
     "required_attributes": ["kat_ust"], "provisional": False},
    {"code": "IB", "name_tr": "İdari Birimler", "name_en": "Administrative units",
     "required_attributes": ["ad"], "provisional": False},
    {"code": "UL", "name_tr": "Ulaşım Ağları", "name_en": "Transport networks",
     "required_attributes": [], "provisional": False},
    {"code": "TK", "name_tr": "Tapu-Kadastro", "name_en": "Cadastral parcels",
     "required_attributes": ["ada", "parsel"], "provisional": False},
    {"code": "HI", "name_tr": "Hidrografya", "name_en": "Hydrography",
     "required_attributes": [], "provisional": False},
    {"code": "CA", "name_tr": "Coğrafi Adlar", "name_en": "Geographical names",
     "required_attributes": ["ad"], "provisional": False},
    {"code": "AO", "name_tr": "Arazi Örtüsü", "name_en": "Land cover",
     "required_attributes": [], "provisional": False},
    {"code": "AK", "name_tr": "Arazi Kullanımı", "name_en": "Land use",
     "required_attributes": [], "provisional": False},
    {"code": "OR", "name_tr": "Ortofoto", "name_en": "Orthoimagery",
     "required_attributes": [], "provisional": False},
    {"code": "KH", "name_tr": "Kamu Hizmetleri ve Tesisler", "name_en": "Public services and facilities",
     "required_attributes": ["ad"], "provisional": True},
    {"code": "AY", "name_tr": "Altyapı ve Kentsel Donatı", "name_en": "Utilities and urban equipment",
     "required_attributes": [], "provisional": True},
    {"code": "DR", "name_tr": "Doğal Risk ve Afet Alanları", "name_en": "Natural risk and disaster zones",
     "required_attributes": ["risk_turu"], "provisional": True},
]
