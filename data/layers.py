"""The layers every Kent install starts with, registered in one place for build_demo and import_osm.

The typed register (mahalle, CSBM, yapı, adres) is published through layers whose source is the
numarataj model; points of interest and disaster data live in the generic feature store. Running
`ensure_core_layers` again only refreshes the metadata, so grants made on the layers survive."""

from typing import Any

from django.db import transaction

from geo.layer_defs import LayerDef, Provenance, description_fields, provenance_fields
from geo.models import AccessLevel, GeometryFamily, Layer, LayerGroup
from geo.models.layer import FEATURE_STORE

AFET_GROUP = "afet-bilgi-bankasi"
STR: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer", "minimum": 0}
NUM: dict[str, Any] = {"type": "number", "minimum": 0}
POI_PROPS: dict[str, Any] = {"ad": STR, "tur": STR, "adres": STR, "osm_id": STR}


P, L, A = GeometryFamily.POINT, GeometryFamily.LINE, GeometryFamily.POLYGON

LAYERS: list[LayerDef] = [
    LayerDef("mahalleler", "Mahalleler", "Neighbourhoods", "IB", A,
             "Mahalle sınırları (MAKS idari birim katmanı).", ["mahalle", "idari sınır", "MAKS", "neighbourhood"],
             source="numarataj.Mahalle"),
    LayerDef("csbm", "Cadde, sokak, bulvar ve meydanlar", "Streets and squares", "UL", L,
             "Numarataj yol eksenleri: cadde, sokak, bulvar, meydan.", ["CSBM", "sokak", "cadde", "yol", "street"],
             source="numarataj.Csbm"),
    LayerDef("yapilar", "Yapılar", "Buildings", "BI", A,
             "Yapı taban alanları, kat sayıları ve kullanım.", ["yapı", "bina", "MAKS", "building"],
             source="numarataj.Yapi"),
    LayerDef("adresler", "Adresler (dış kapı)", "Addresses (entrances)", "AD", P,
             "Dış kapı numaraları ve kapı noktaları.", ["adres", "kapı numarası", "numarataj", "address"],
             source="numarataj.Adres"),
    LayerDef("parklar", "Parklar ve yeşil alanlar", "Parks", "AK", A,
             "Belediye parkları ve yeşil alanlar.", ["park", "yeşil alan", "rekreasyon", "green space"],
             properties={"ad": STR, "tur": STR, "alan_m2": NUM, "osm_id": STR}),
    LayerDef("okullar", "Okullar", "Schools", "KH", P,
             "İlk ve ortaöğretim kurumları.", ["okul", "eğitim", "school"],
             properties={**POI_PROPS, "kademe": STR, "ogrenci_sayisi": INT}, required=["ad"]),
    LayerDef("eczaneler", "Eczaneler", "Pharmacies", "KH", P,
             "Eczaneler.", ["eczane", "sağlık", "pharmacy"], properties=dict(POI_PROPS), required=["ad"]),
    LayerDef("saglik-tesisleri", "Sağlık tesisleri", "Health facilities", "KH", P,
             "Hastaneler, aile sağlığı merkezleri, poliklinikler.", ["hastane", "sağlık", "ASM", "hospital"],
             properties=dict(POI_PROPS), required=["ad"]),
    LayerDef("ibadet-yerleri", "Camiler ve ibadet yerleri", "Mosques and places of worship", "KH", P,
             "Camiler ve diğer ibadet yerleri.", ["cami", "ibadet", "mosque"],
             properties=dict(POI_PROPS), required=["ad"]),
    LayerDef("kutuphaneler", "Kütüphaneler", "Libraries", "KH", P,
             "Halk kütüphaneleri ve çalışma salonları.", ["kütüphane", "kültür", "library"],
             properties=dict(POI_PROPS), required=["ad"]),
    LayerDef("tuvaletler", "Umumi tuvaletler", "Public toilets", "AY", P,
             "Umumi tuvaletler.", ["tuvalet", "kentsel donatı", "toilets"],
             properties={**POI_PROPS, "engelli_erisimi": {"type": "boolean"}}),
    LayerDef("otobus-duraklari", "Otobüs durakları", "Bus stops", "UL", P,
             "Toplu taşıma durakları.", ["durak", "otobüs", "toplu taşıma", "bus stop"],
             properties={**POI_PROPS, "durak_no": STR, "hatlar": {"type": "array"}}),
    LayerDef("diger-yerler", "Diğer yerler", "Other places", "KH", P,
             "Yukarıdaki katmanlara girmeyen kamu ve ticari yerler (muhtarlık, PTT, banka, kafe...).",
             ["yer", "ilgi noktası", "POI"], properties=dict(POI_PROPS), required=["ad"]),
    LayerDef("afet-toplanma-alanlari", "Afet ve acil durum toplanma alanları", "Emergency assembly areas", "DR", P,
             "Afet sonrası toplanma alanları (park ve okul bahçeleri).",
             ["afet", "toplanma alanı", "deprem", "AFAD", "assembly area"],
             properties={"ad": STR, "risk_turu": STR, "kapasite_kisi": INT, "alan_m2": NUM},
             required=["risk_turu"], group=AFET_GROUP, access=AccessLevel.AGENCY),
    LayerDef("afet-riskli-yapilar", "Afet riski taşıyan yapılar", "Buildings at disaster risk", "DR", A,
             "6306 sayılı Kanun kapsamında riskli yapı tespiti yapılmış ya da ön incelemede riskli "
             "bulunan yapılar.", ["afet", "riskli yapı", "kentsel dönüşüm", "deprem", "risky building"],
             properties={"risk_turu": STR, "risk_sinifi": STR, "yapim_yili": INT, "maks_id": STR},
             required=["risk_turu"], group=AFET_GROUP, access=AccessLevel.AGENCY),
]
FEATURE_LAYERS: list[str] = [d.slug for d in LAYERS if d.source == FEATURE_STORE]


@transaction.atomic
def ensure_core_layers(prov: Provenance) -> dict[str, Layer]:
    """Create or refresh the core layers and the Afet Bilgi Bankası group; returns them by slug."""
    group, _ = LayerGroup.objects.update_or_create(
        slug=AFET_GROUP, defaults={"title_tr": "Afet Bilgi Bankası", "title_en": "Disaster Information Bank"})
    layers: dict[str, Layer] = {}
    for d in LAYERS:
        layers[d.slug], _ = Layer.objects.update_or_create(slug=d.slug, defaults={
            **description_fields(d), **provenance_fields(prov), "access_level": d.access,
            "group": group if d.group == AFET_GROUP else None,
        })
    return layers
