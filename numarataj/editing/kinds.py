"""The register's models in the map editor: for each, the form it shows and how a drawn geometry
is completed before the save service checks the MAKS rules. A row drawn on the map learns its
mahalle (and a street its ilçe) from where it lies; a door learns the building it stands on and,
moved along the building, is set onto the footprint's outline; a site's gate defaults to the
point of its boundary nearest its street."""

from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.urls import reverse
from django.utils.translation import gettext as _
from shapely.ops import nearest_points

from geo.editor.backends import field as form_field
from geo.errors import Conflict, InvalidInput
from numarataj.models import Adres, Arsa, Csbm, Ilce, Mahalle, NumberingPlan, PlanItem, Site, Yapi
from numarataj.services import register
from numarataj.services.geometry import to_local, to_storage
from numarataj.services.rules import BUILDING_TOLERANCE_M, STREET_TOLERANCE_M

from .backend import Kind, RegisterEditing
from .form import Form

GATE_SEARCH_M = 200.0  # a site's gate is placed towards the nearest street this close, if none is named


def _mahalle_at(geom: GEOSGeometry) -> int | None:
    return Mahalle.objects.filter(geom__intersects=geom.point_on_surface).values_list("pk", flat=True).first()


def _nearest_street(geom: GEOSGeometry, within_m: float) -> Csbm | None:
    """The street whose centreline is nearest, if it is within `within_m` metres."""
    local = to_local(geom)
    near = Csbm.objects.filter(geom__dwithin=(geom, within_m / 80000.0))  # a coarse prefilter in degrees
    best = min(near, key=lambda c: to_local(c.geom).distance(local), default=None)
    return best if best is not None and to_local(best.geom).distance(local) <= within_m else None


def _open_plans_name(row) -> None:
    """A row a proposed plan works on cannot be deleted: the plan would lose its lines."""
    field = {Csbm: "csbm", Yapi: "yapi", Adres: "adres", Arsa: "arsa", Site: "site"}[type(row)]
    open_items = PlanItem.objects.filter(**{field: row}, plan__durum=NumberingPlan.Durum.ONERILDI)
    if open_items.exists() or (isinstance(row, Csbm) and row.numaralama_planlari.exists()):
        raise Conflict(_("Bu kayıt bir numaralama planında geçiyor; önce planı sonuçlandırın. "
                         "(A numbering plan names this row; decide the plan first.)"))


# ---- yapı ----------------------------------------------------------------------------------------

def _complete_yapi(yapi: Yapi, creating: bool) -> str:
    if yapi.mahalle_id is None:
        yapi.mahalle_id = _mahalle_at(yapi.geom)
    return ""


YAPI = Kind(Form(Yapi, ("ad", "tanitim_no", "kat_ust", "kat_alt", "kullanim", "ada", "parsel", "mahalle", "maks_id"),
                 readonly=frozenset({"maks_id"}), found=frozenset({"mahalle"}),
                 schemas={"kat_ust": {"maximum": 200}, "kat_alt": {"maximum": 20}}),
            _complete_yapi, register.save_yapi, _open_plans_name)


# ---- CSBM ----------------------------------------------------------------------------------------

def _complete_csbm(csbm: Csbm, creating: bool) -> str:
    if csbm.ilce_id is None:
        ilce = (Ilce.objects.filter(geom__intersects=csbm.geom).values_list("pk", flat=True).first()
                or Mahalle.objects.filter(geom__intersects=csbm.geom).values_list("ilce_id", flat=True).first())
        if ilce is None:
            raise InvalidInput(_("Eksen hiçbir ilçenin içinde değil; 'ilce' alanını doldurun. "
                                 "(The centreline lies in no ilçe; give 'ilce'.)"),
                               invalid=["ilce"], problems=[_("ilce: zorunlu (required)")])
        csbm.ilce_id = ilce
    if csbm.baslangic_sabit and csbm.baslangic is None:
        raise InvalidInput(_("Sabitlenen başlangıç için bir nokta gerekir ([boylam, enlem]). "
                             "(A pinned start needs a point.)"),
                           invalid=["baslangic"], problems=[_("baslangic: zorunlu (required)")])
    return ""


def _save_csbm(csbm: Csbm, *, user, check_rights: bool) -> Csbm:
    return register.save_csbm(csbm, user=user, check_rights=check_rights)


CSBM = Kind(Form(Csbm, ("tur", "ad", "numara", "uavt_kodu", "baslangic", "baslangic_sabit", "ilce"),
                 required=frozenset({"tur"}), found=frozenset({"ilce"})),
            _complete_csbm, _save_csbm, _open_plans_name)


# ---- adres (dış kapı) ----------------------------------------------------------------------------

def _footprint_of(adres: Adres) -> Yapi | None:
    if adres.yapi_id is not None:
        return Yapi.objects.filter(pk=adres.yapi_id).first()
    near = Yapi.objects.filter(geom__dwithin=(adres.geom, BUILDING_TOLERANCE_M / 80000.0))
    local = to_local(adres.geom)
    best = min(near, key=lambda y: to_local(y.geom).distance(local), default=None)
    return best if best is not None and to_local(best.geom).distance(local) <= BUILDING_TOLERANCE_M else None


def _complete_adres(adres: Adres, creating: bool) -> str:
    """The door's building (named, or the footprint it touches), its street (named, or the nearest
    within the MAKS distance) and mahalle; a door near its building is set onto the outline."""
    note = ""
    yapi = _footprint_of(adres)
    if yapi is not None:
        adres.yapi_id = yapi.pk
        outline, door = to_local(yapi.geom).boundary, to_local(adres.geom)
        if 0.01 < outline.distance(door) <= BUILDING_TOLERANCE_M:
            adres.geom = to_storage(nearest_points(outline, door)[0])
            note = _("Kapı noktası yapının dış çizgisine oturtuldu. (The door point was set onto the footprint.)")
    if adres.csbm_id is None and (street := _nearest_street(adres.geom, STREET_TOLERANCE_M)) is not None:
        adres.csbm_id = street.pk
    if adres.mahalle_id is None:
        adres.mahalle_id = _mahalle_at(adres.geom)
    return note


def _save_adres(adres: Adres, *, user, check_rights: bool) -> Adres:
    register.save_adres(adres, user=user, check_rights=check_rights)
    return adres


def _door_delete_check(adres: Adres) -> None:
    if adres.bagimsiz_bolumler.exists():
        raise Conflict(_("Kapının bağımsız bölümleri var; önce onları silin ya da başka kapıya bağlayın. "
                         "(The door has units; remove them first.)"))
    _open_plans_name(adres)


class DoorEditing(RegisterEditing):
    """A door's form also lists its bağımsız bölümler, read from their own endpoint (one request
    when the door is opened, none for the layer's listing) with a link to the page that edits them."""

    def attribute_fields(self, layer) -> list[dict[str, Any]]:
        units = form_field("bagimsiz_bolumler", {"type": "array"}, required=False, title=_("Bağımsız bölümler"),
                           readonly=True)
        return [*super().attribute_fields(layer), {**units, "widget": "list"}]

    def properties(self, row: Adres) -> dict[str, Any]:
        return {**super().properties(row), "bagimsiz_bolumler": reverse("numarataj-door-units", args=[row.pk])}


ADRES = Kind(Form(Adres, ("kapi_no", "csbm", "yapi", "mahalle", "uavt_kodu", "taraf", "yazildigi_gibi"),
                  required=frozenset({"kapi_no"}), readonly=frozenset({"taraf", "yazildigi_gibi"}),
                  found=frozenset({"csbm", "yapi", "mahalle"})),
             _complete_adres, _save_adres, _door_delete_check)


# ---- site and arsa -------------------------------------------------------------------------------

def _complete_site(site: Site, creating: bool) -> str:
    if site.mahalle_id is None:
        site.mahalle_id = _mahalle_at(site.geom)
    street = Csbm.objects.filter(pk=site.csbm_id).first() if site.csbm_id else None
    if site.giris is None:
        street = street or _nearest_street(site.geom, GATE_SEARCH_M)
        if street is None:
            raise InvalidInput(_("Sitenin giriş kapısını verin ([boylam, enlem]): yakında bir CSBM yok. "
                                 "(Give the site's gate: no street nearby.)"),
                               invalid=["giris"], problems=[_("giris: zorunlu (required)")])
        site.giris = to_storage(nearest_points(to_local(site.geom).boundary, to_local(street.geom))[0])
        return _("Giriş kapısı sınırın CSBM'ye en yakın noktasına kondu. (The gate was put where the "
                 "boundary is nearest the street.)")
    if to_local(site.giris).distance(to_local(site.geom).boundary) > BUILDING_TOLERANCE_M:
        raise InvalidInput(_("Giriş kapısı site sınırının üzerinde olmalı. (The gate lies on the site's boundary.)"),
                           invalid=["giris"], problems=[_("giris: sınırın üzerinde değil (not on the boundary)")])
    return ""


def _complete_arsa(arsa: Arsa, creating: bool) -> str:
    if arsa.mahalle_id is None:
        arsa.mahalle_id = _mahalle_at(arsa.geom)
    return ""


def _save_row(row, *, user, check_rights: bool):
    if check_rights:
        register.require_register_editor(user)
    register.write_row(row, user=user)
    return row


SITE = Kind(Form(Site, ("ad", "giris", "csbm", "mahalle"), required=frozenset({"ad"}),
                 found=frozenset({"giris", "csbm", "mahalle"})),
            _complete_site, _save_row, _open_plans_name)
ARSA = Kind(Form(Arsa, ("ada", "parsel", "ayrilacak_adet", "csbm", "mahalle", "ayrilan_nolar"),
                 readonly=frozenset({"ayrilan_nolar"}), found=frozenset({"mahalle"}),
                 schemas={"ayrilacak_adet": {"minimum": 1, "maximum": 50}}),
            _complete_arsa, _save_row, _open_plans_name)

BACKENDS: dict[str, RegisterEditing] = {
    "numarataj.Yapi": RegisterEditing(YAPI), "numarataj.Csbm": RegisterEditing(CSBM),
    "numarataj.Adres": DoorEditing(ADRES), "numarataj.Site": RegisterEditing(SITE),
    "numarataj.Arsa": RegisterEditing(ARSA),
}
