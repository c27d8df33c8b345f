"""The register's models as layer sources (geo.sources): what each publishes besides its fields.

Documents, requests, decisions, tariffs and bağımsız bölümler are not registered: they carry
personal data or are working papers, so no registry row can publish them."""

from geo.sources import ModelSource, register

from .models import CsbmTuru


def _csbm_derived() -> dict[str, tuple[str, dict[str, str]]]:
    """SQL twin of Csbm.tam_ad ('Atatürk Caddesi', '1203. Sokak'), built from CsbmTuru's suffixes."""
    cases = " ".join(f"WHEN '{t.value}' THEN '{t.suffix}'" for t in CsbmTuru)
    name = f"concat(coalesce(t.numara::text || '.', t.ad), ' ', CASE t.tur {cases} ELSE '' END)"
    return {"tam_ad": (name, {"type": "string"})}


def register_sources() -> None:
    register(ModelSource("numarataj.Mahalle"))
    register(ModelSource("numarataj.Ilce", internal=frozenset({"yon_merkezi"})))
    register(ModelSource("numarataj.Csbm", internal=frozenset({"baslangic", "baslangic_sabit"}),
                         derived=_csbm_derived))
    register(ModelSource("numarataj.Yapi"))
    register(ModelSource("numarataj.Adres", internal=frozenset({"yazildigi_gibi"})))
    register(ModelSource("numarataj.Site"))
