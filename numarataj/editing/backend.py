"""One editing backend (geo/editor/backends.py's protocol) for every register model: the map
editor's create, update and delete go through the register's own save services
(services/register.py), so the MAKS rules are checked before anything is written and each write
leaves a history row with its version raised. What differs per model (how a drawn geometry is
completed: the mahalle it lies in, the building a door stands on) is a `Kind` (kinds.py)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError

from geo.editor.backends import Saved
from geo.errors import Conflict, InvalidInput
from geo.models import Layer, Right
from geo.services import permissions
from geo.services.validation import clean_geometry
from numarataj.services.register import delete_row
from numarataj.services.rules import MaksViolation

from .form import Form, check_version

# the form field each MAKS rule is about, so the editor marks it next to the feature
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "csbm_ad_numara": ("ad", "numara"), "csbm_basit": ("geometry",), "csbm_yapi_kesisim": ("geometry",),
    "csbm_mahalle_disinda": ("geometry",), "csbm_ad_tekil": ("ad", "tur"),
    "yapi_tanitim_tekil": ("tanitim_no",), "yapi_csbm_kesisim": ("geometry",),
    "adres_kapi_no": ("kapi_no",), "adres_no_tekil": ("kapi_no",), "adres_yapi_yakin": ("geometry", "yapi"),
    "adres_csbm_yakin": ("geometry", "csbm"),
}


def maks_refusal(error: MaksViolation) -> MaksViolation:
    """A MAKS refusal in the shape of geo's validation errors: detail.invalid names the fields,
    detail.problems and detail.fields say what is wrong with each."""
    violations = error.detail.get("violations", [])
    by_field: dict[str, list[str]] = {}
    for v in violations:
        for name in RULE_FIELDS.get(v["rule"], ("geometry",)):
            by_field.setdefault(name, []).append(v["message"])
    return MaksViolation(error.message, invalid=list(by_field), problems=[v["message"] for v in violations],
                         fields=by_field, violations=violations)


@dataclass(frozen=True)
class Kind:
    """A register model in the editor: its form, how a saved geometry and properties are
    completed (returns a repair note, '' if none), and the service that saves it."""

    form: Form
    complete: Callable[[models.Model, bool], str]
    save: Callable[..., Any]   # save(row, user=…, check_rights=False)
    delete_check: Callable[[models.Model], None] = lambda row: None


class RegisterEditing:
    def __init__(self, kind: Kind) -> None:
        self.kind = kind

    @property
    def model(self) -> type[models.Model]:
        return self.kind.form.model

    def attribute_fields(self, layer: Layer) -> list[dict[str, Any]]:
        return self.kind.form.attribute_fields()

    def properties(self, row: models.Model) -> dict[str, Any]:
        return self.kind.form.properties(row)

    def _write(self, layer: Layer, row: models.Model, geom: GEOSGeometry | None, properties: dict[str, Any] | None,
               *, user: Any, creating: bool) -> Saved:
        repair = ""
        if properties is not None:
            self.kind.form.apply(row, properties)
        if geom is not None:
            clean = clean_geometry(geom, layer)
            row.geom, repair = _as_column(clean.geom, self.model), clean.reason
        note = self.kind.complete(row, creating)
        try:
            with transaction.atomic():
                self.kind.save(row, user=user, check_rights=False)
        except MaksViolation as e:
            raise maks_refusal(e) from None
        except IntegrityError:
            raise InvalidInput("Kayıt başka bir kayıtla çakışıyor (tekil bir değer zaten kullanılıyor). "
                               "(A unique value is already taken.)") from None
        return Saved(row, "; ".join(n for n in (repair, note) if n))

    @transaction.atomic
    def create(self, layer: Layer, geom: GEOSGeometry, properties: dict[str, Any], *, user: Any) -> Saved:
        permissions.require(user, layer, Right.EDIT_DATA)
        return self._write(layer, self.model(), geom, properties, user=user, creating=True)

    @transaction.atomic
    def update(self, layer: Layer, pk: int, *, version: int, user: Any, geom: GEOSGeometry | None,
               properties: dict[str, Any] | None) -> Saved:
        permissions.require(user, layer, Right.EDIT_DATA)
        row = layer.rows().select_for_update(of=("self",)).get(pk=pk)
        check_version(row, version)
        return self._write(layer, row, geom, properties, user=user, creating=False)

    @transaction.atomic
    def delete(self, layer: Layer, pk: int, *, version: int, user: Any) -> None:
        permissions.require(user, layer, Right.EDIT_DATA)
        row = layer.rows().select_for_update(of=("self",)).get(pk=pk)
        check_version(row, version)
        self.kind.delete_check(row)
        try:
            with transaction.atomic():
                delete_row(row, user=user, check_rights=False)
        except ProtectedError:
            raise Conflict("Bu kayda bağlı başka kayıtlar var (ör. bir CSBM'nin kapıları); önce onları "
                           "taşıyın ya da silin. (Other rows depend on this one.)") from None


def _as_column(geom: GEOSGeometry, model: type[models.Model]) -> GEOSGeometry:
    """A drawn Polygon or LineString as the column's Multi type (footprints, centrelines)."""
    column = model._meta.get_field("geom")
    multi = {"MULTIPOLYGON": "MultiPolygon", "MULTILINESTRING": "MultiLineString"}.get(column.geom_type)
    if multi and geom.geom_type != multi:
        from django.contrib.gis import geos
        return getattr(geos, multi)(geom, srid=geom.srid)
    return geom
