"""The register side of a mapping: its five layers, their fields, how they link by code.

Codes are the official ones (UAVT / MAKS) and are what an import matches existing rows by; a
link field names the code of a row in another layer (a door its CSBM and yapı, a bağımsız bölüm
its door). Layers are listed in the order they must be written."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "str"  # "str" | "int"
    link: str = ""  # the register layer whose code this field names
    many: bool = False  # several codes, comma separated (a CSBM running through several mahalleler)


@dataclass(frozen=True)
class RegisterLayer:
    name: str
    model: str  # app_label.Model
    geometry: str  # "polygon" | "line" | "point" | "" (a table)
    code_field: str  # the model field holding the official code
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


LAYERS: tuple[RegisterLayer, ...] = (
    RegisterLayer("mahalle", "numarataj.Mahalle", "polygon", "uavt_kodu", (
        Field("kod"), Field("ad"), Field("ilce_adi"), Field("il_adi"), Field("il_kodu", "int"))),
    RegisterLayer("csbm", "numarataj.Csbm", "line", "uavt_kodu", (
        Field("kod"), Field("ad"), Field("tur"), Field("mahalle_kodu", link="mahalle", many=True))),
    RegisterLayer("yapi", "numarataj.Yapi", "polygon", "maks_id", (
        Field("kod"), Field("ad"), Field("ada"), Field("parsel"), Field("tanitim_no"),
        Field("kat_ust", "int"), Field("kat_alt", "int"), Field("kullanim"),
        Field("mahalle_kodu", link="mahalle"))),
    RegisterLayer("adres", "numarataj.Adres", "point", "uavt_kodu", (
        Field("kod"), Field("kapi_no"), Field("taraf"), Field("csbm_kodu", link="csbm"),
        Field("yapi_kodu", link="yapi"), Field("mahalle_kodu", link="mahalle"))),
    RegisterLayer("bagimsiz_bolum", "numarataj.BagimsizBolum", "", "adres_kodu", (
        Field("kod"), Field("kapi_kodu", link="adres"), Field("ic_kapi_no"), Field("kat", "int"),
        Field("kullanim"))),
)
BY_NAME: dict[str, RegisterLayer] = {layer.name: layer for layer in LAYERS}
REQUIRED: dict[str, tuple[str, ...]] = {  # a row without these is refused
    "mahalle": ("kod", "ad"), "csbm": ("kod", "ad"), "yapi": ("kod",), "adres": ("kod", "kapi_no", "csbm_kodu"),
    "bagimsiz_bolum": ("kod", "kapi_kodu", "ic_kapi_no"),
}
