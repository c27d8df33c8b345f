"""The register's models as layer sources (geo.sources): what each publishes besides its fields.

Documents, requests, decisions, tariffs and bağımsız bölümler are not registered: they carry
personal data or are working papers, so no registry row can publish them."""

from geo.roles import REGISTER_ROLES
from geo.sources import ModelSource, register

from .models import CsbmTuru


def _csbm_derived() -> dict[str, tuple[str, dict[str, str]]]:
    """SQL twin of Csbm.tam_ad ('Atatürk Caddesi', '1203. Sokak'), built from CsbmTuru's suffixes."""
    cases = " ".join(f"WHEN '{t.value}' THEN '{t.suffix}'" for t in CsbmTuru)
    name = f"concat(coalesce(t.numara::text || '.', t.ad), ' ', CASE t.tur {cases} ELSE '' END)"
    return {"tam_ad": (name, {"type": "string"})}


VERSION = frozenset({"version"})  # the editor's lock counter: a working field, not published


def register_sources() -> None:
    """Buildings, streets, doors, sites and plots are edited on the map through the register's
    own save services (numarataj/editing: MAKS rules, history, versions)."""
    from .editing.kinds import BACKENDS

    register(ModelSource("numarataj.Mahalle"))
    register(ModelSource("numarataj.Ilce", internal=frozenset({"yon_merkezi"})))
    register(ModelSource("numarataj.Csbm", internal=frozenset({"baslangic", "baslangic_sabit"}) | VERSION,
                         derived=_csbm_derived, editing=BACKENDS["numarataj.Csbm"], editor_roles=REGISTER_ROLES))
    register(ModelSource("numarataj.Yapi", internal=VERSION, editing=BACKENDS["numarataj.Yapi"],
                         editor_roles=REGISTER_ROLES))
    register(ModelSource("numarataj.Adres", internal=frozenset({"yazildigi_gibi"}) | VERSION,
                         editing=BACKENDS["numarataj.Adres"], editor_roles=REGISTER_ROLES))
    register(ModelSource("numarataj.Site", internal=VERSION, editing=BACKENDS["numarataj.Site"],
                         editor_roles=REGISTER_ROLES))
    register(ModelSource("numarataj.Arsa", internal=VERSION, editing=BACKENDS["numarataj.Arsa"],
                         editor_roles=REGISTER_ROLES))
