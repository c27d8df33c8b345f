"""Mapping profiles: which file layer holds which register layer, which file field each register
field, and value maps (file value -> register value, e.g. YOL_TURU "CD" -> "cadde").

The mapping, as JSON in `numarataj.RegisterProfile.mapping` and as YAML for the commands:

    crs: EPSG:5255            # optional: for file layers that carry no CRS (CSV)
    layers:
      csbm:                   # register layer
        source: YOLLAR        # file layer
        fields: {kod: CSBM_KODU, ad: YOL_ADI, tur: YOL_TURU}   # register field: file field
        values: {tur: {CD: cadde, SK: sokak}}                  # register field: {file value: value}

`suggest` proposes a profile from the names alone: layer and field names are folded the Turkish
way (İ/ı, diacritics, case, separators) and compared with the names and abbreviations
municipalities' MAKS and city-information-system exports use. The first name of each list is
the one an export writes (the default profile)."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from geo.errors import InvalidInput, NotFound
from geo.text import ascii_key
from numarataj.models import CsbmTuru, RegisterProfile, Yapi

from .schema import BY_NAME, LAYERS

# Register layer -> words its file layer's name contains (folded, first match wins in LAYERS order
# reversed, so "bagimsiz_bolum" is tried before "adres" and "kapi").
LAYER_WORDS: dict[str, tuple[str, ...]] = {
    "bagimsiz_bolum": ("bagimsiz", "bolum", "bb", "ickapi"),
    "adres": ("kapi", "numarataj", "adres", "door"),
    "yapi": ("yapi", "bina", "building"),
    "csbm": ("csbm", "yol", "sokak", "cadde", "street"),
    "mahalle": ("mahalle", "mah", "koy"),
}
# Register layer -> register field -> file field names, the first being the default.
FIELD_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "mahalle": {"kod": ("MAHALLE_KODU", "MAH_KODU", "MAHALLE_KOD", "MAH_KOD", "UAVT_KODU", "KOD"),
                "ad": ("MAH_ADI", "MAHALLE_ADI", "MAHALLE_AD", "MAHALLE", "ADI", "AD"),
                "ilce_adi": ("ILCE_ADI", "ILCE"), "il_adi": ("IL_ADI", "IL"), "il_kodu": ("IL_KODU", "PLAKA")},
    "csbm": {"kod": ("CSBM_KODU", "YOL_KODU", "SOKAK_KODU", "CSBM_KOD", "UAVT_KODU", "KOD"),
             "ad": ("YOL_ADI", "CSBM_ADI", "SOKAK_ADI", "CADDE_ADI", "ADI", "AD"),
             "tur": ("YOL_TURU", "CSBM_TURU", "YOL_TIPI", "TURU", "TUR", "TIP"),
             "mahalle_kodu": ("MAHALLE_KODU", "MAH_KODU", "MAHALLE_KOD")},
    "yapi": {"kod": ("YAPI_KODU", "BINA_KODU", "MAKS_ID", "YAPI_ID", "YAPI_KOD", "KOD"),
             "ad": ("YAPI_ADI", "BINA_ADI", "ADI", "AD"), "ada": ("ADA", "ADA_NO"), "parsel": ("PARSEL", "PARSEL_NO"),
             "tanitim_no": ("TANITIM_NO", "YAPI_TANITIM_NO", "TANITIM"),
             "kat_ust": ("KAT_UST", "KAT_SAYISI", "ZEMIN_USTU_KAT", "KATSAYISI"),
             "kat_alt": ("KAT_ALT", "BODRUM_KAT", "ZEMIN_ALTI_KAT"),
             "kullanim": ("KULLANIM", "KULLANIM_AMACI", "KULLANIM_TURU"),
             "mahalle_kodu": ("MAHALLE_KODU", "MAH_KODU", "MAHALLE_KOD")},
    "adres": {"kod": ("UAVT_KODU", "ADRES_NO", "KAPI_KODU", "ADRES_KODU", "UAVT", "KOD"),
              "kapi_no": ("KAPI_NO", "DIS_KAPI_NO", "DISKAPI_NO", "NUMARA", "NO"),
              "taraf": ("TARAF", "YON"), "csbm_kodu": ("CSBM_KODU", "YOL_KODU", "SOKAK_KODU"),
              "yapi_kodu": ("YAPI_KODU", "BINA_KODU", "MAKS_ID"),
              "mahalle_kodu": ("MAHALLE_KODU", "MAH_KODU", "MAHALLE_KOD")},
    "bagimsiz_bolum": {"kod": ("ADRES_NO", "ADRES_KODU", "BB_KODU", "BAGIMSIZ_BOLUM_KODU", "KOD"),
                       "kapi_kodu": ("UAVT_KODU", "KAPI_KODU", "DIS_KAPI_KODU", "NUMARATAJ_KODU"),
                       "ic_kapi_no": ("IC_KAPI_NO", "ICKAPI_NO", "IC_KAPI"), "kat": ("KAT", "KAT_NO", "BULUNDUGU_KAT"),
                       "kullanim": ("KULLANIM", "KULLANIM_AMACI", "NITELIK")},
}
DEFAULT_LAYER_NAMES = {"mahalle": "MAHALLE", "csbm": "CSBM", "yapi": "YAPI", "adres": "KAPI",
                       "bagimsiz_bolum": "BAGIMSIZ_BOLUM"}
# Value maps every suggestion starts from (editable): file value -> register value. The first
# file value of a register value is what an export writes.
DEFAULT_VALUES: dict[str, dict[str, dict[str, str]]] = {
    "csbm": {"tur": {"CADDE": "cadde", "CAD": "cadde", "CD": "cadde", "1": "cadde",
                     "SOKAK": "sokak", "SOK": "sokak", "SK": "sokak", "2": "sokak",
                     "BULVAR": "bulvar", "BUL": "bulvar", "BLV": "bulvar", "3": "bulvar",
                     "MEYDAN": "meydan", "MEY": "meydan", "MYD": "meydan", "4": "meydan",
                     "KUME EVLER": "kume_evler", "KUMEEVLER": "kume_evler", "5": "kume_evler"}},
    "yapi": {"kullanim": {"KONUT": "konut", "ISYERI": "isyeri", "TICARI": "isyeri", "KARMA": "karma",
                          "KAMU": "kamu", "EGITIM": "egitim", "SAGLIK": "saglik", "IBADET": "ibadet",
                          "DIGER": "diger"}},
    "adres": {"taraf": {"SOL": "sol", "TEK": "sol", "SAG": "sag", "CIFT": "sag"}},
}


def fold(name: str) -> str:
    """'MAH_ADI' / 'Mah. Adı' / 'mah adi' -> 'mahadi': how names are compared."""
    return "".join(ch for ch in ascii_key(str(name)) if ch.isalnum())


@dataclass
class LayerMap:
    source: str
    fields: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def value(self, name: str, raw: str) -> str:
        """A file value through the field's value map (compared folded), unmapped values as they are."""
        table = self.values.get(name)
        if not table:
            return raw
        folded = {fold(k): v for k, v in table.items()}
        return folded.get(fold(raw), raw)

    def file_value(self, name: str, value: str) -> str:
        """The register value as the file writes it: the first file value mapped to it."""
        for file_value, register_value in self.values.get(name, {}).items():
            if register_value == value:
                return file_value
        return value


@dataclass
class Profile:
    layers: dict[str, LayerMap] = field(default_factory=dict)
    crs: str = ""
    name: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"layers": {k: {"source": m.source, "fields": dict(m.fields), "values": m.values}
                                          for k, m in self.layers.items()}}
        if self.crs:
            out["crs"] = self.crs
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], name: str = "") -> "Profile":
        if not isinstance(data, dict) or not isinstance(data.get("layers"), dict):
            raise InvalidInput("Profilde 'layers' bölümü yok. (The profile has no 'layers' section.)")
        layers = {}
        for key, m in data["layers"].items():
            if key not in BY_NAME:
                raise InvalidInput(f"Profilde bilinmeyen kayıt katmanı: {key}. Olanlar: {', '.join(BY_NAME)}. "
                                   "(Unknown register layer in the profile.)", layer=key)
            known = {f.name for f in BY_NAME[key].fields}
            unknown = set((m or {}).get("fields", {})) - known
            if unknown or not (m or {}).get("source"):
                raise InvalidInput(f"'{key}' eşlemesi hatalı: kaynak katman gerekli, alanlar "
                                   f"{', '.join(sorted(known))}. (Bad layer mapping.)", layer=key,
                                   unknown=sorted(unknown))
            values = {k: {str(a): str(b) for a, b in v.items()} for k, v in (m.get("values") or {}).items()}
            layers[key] = LayerMap(str(m["source"]), {k: str(v) for k, v in m.get("fields", {}).items() if v}, values)
        return cls(layers, str(data.get("crs") or ""), name)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.as_dict(), allow_unicode=True, sort_keys=False)


def default_profile() -> Profile:
    """The names an export writes when no profile is chosen (MAKS-style upper-case Turkish)."""
    return Profile({layer.name: LayerMap(DEFAULT_LAYER_NAMES[layer.name],
                                         {f.name: FIELD_NAMES[layer.name][f.name][0] for f in layer.fields},
                                         DEFAULT_VALUES.get(layer.name, {}))
                    for layer in LAYERS}, name="varsayilan")


def suggest(file_layers: dict[str, list[str]]) -> Profile:
    """A profile proposed from file layer names and their field names (file layer -> fields)."""
    taken: set[str] = set()
    profile = Profile()
    for key in ("bagimsiz_bolum", "adres", "yapi", "csbm", "mahalle"):
        source = _pick_layer(key, file_layers, taken)
        if source is None:
            continue
        taken.add(source)
        fields: dict[str, str] = {}
        for reg_field, names in FIELD_NAMES[key].items():
            free = [c for c in file_layers[source] if c not in fields.values()]
            hit = next((c for n in names for c in free if _same(c, n)), None)
            if hit:
                fields[reg_field] = hit
        profile.layers[key] = LayerMap(source, fields, DEFAULT_VALUES.get(key, {}))
    profile.layers = {k.name: profile.layers[k.name] for k in LAYERS if k.name in profile.layers}
    return profile


def _same(column: str, name: str) -> bool:
    """Equal when folded, or a DBF-cut name (10 characters) of the longer one."""
    a, b = fold(column), fold(name)
    return a == b or (len(column) == 10 and len(b) > len(a) >= 8 and b.startswith(a))


def _pick_layer(key: str, file_layers: dict[str, list[str]], taken: set[str]) -> str | None:
    free = [name for name in file_layers if name not in taken]
    for word in LAYER_WORDS[key]:
        hit = next((n for n in free if word in fold(n)), None)
        if hit:
            return hit
    # no telling name: the layer holding this register layer's own code and first field
    first, second = (names[0] for names in list(FIELD_NAMES[key].values())[:2])
    return next((n for n in free if any(_same(c, first) for c in file_layers[n])
                 and any(_same(c, second) for c in file_layers[n])), None)


def load(ref: str | Path) -> Profile:
    """A profile by saved name, or from a .yaml/.yml/.json file."""
    path = Path(ref)
    if path.suffix.lower() in {".yaml", ".yml", ".json"}:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as e:
            raise InvalidInput(f"Profil dosyası okunamadı: {path.name}. (The profile file could not be read.)",
                               reason=str(e)[:300]) from e
        return Profile.from_dict(data, path.stem)
    row = RegisterProfile.objects.filter(name=str(ref)).first()
    if row is None:
        raise NotFound(f"'{ref}' adlı eşleme profili yok. (No mapping profile of that name.)")
    return Profile.from_dict(row.mapping, row.name)


def save(profile: Profile, name: str, aciklama: str = "") -> RegisterProfile:
    row, _ = RegisterProfile.objects.update_or_create(name=name, defaults={"mapping": profile.as_dict(),
                                                                            "aciklama": aciklama[:300]})
    return row


KULLANIM = {fold(v): v for v in Yapi.Kullanim.values}
CSBM_TURU = {fold(v): v for v in CsbmTuru.values}
