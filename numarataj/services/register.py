"""Writing the register: every save of a CSBM, Yapı or Adres goes through these functions, which
refuse what breaks a MAKS rule (with the reason), write the row and record the change in geo's
history so it can be attributed and reverted. A door number change also closes the old number's
period in KapiNoGecmisi and opens the new one's, so old numbers stay searchable."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from geo.errors import Forbidden, NotAuthenticated
from geo.models import Change, Layer, Right
from geo.services import history, permissions
from numarataj.models import Adres, Csbm, KapiNoGecmisi, Mahalle, Yapi

from . import conformance
from .rules import check_object, normalize_door_number, raise_if

OFFICER_ROLES = {"Numarataj Memuru", "Yönetici"}


def layer_of(model: str) -> Layer | None:
    """The geo layer that publishes a register model, so its changes show in that layer's history."""
    return Layer.objects.filter(source=model).first()


def require_register_editor(user: permissions.UserLike) -> None:
    """Numbering and register edits are the numarataj office's: its roles, a superuser, or anyone
    granted edit_data on the address layer."""
    if user is None or not user.is_authenticated:
        raise NotAuthenticated("Bu işlem için giriş yapmalısınız. (Log in to do this.)")
    if user.is_superuser or user.groups.filter(name__in=OFFICER_ROLES).exists():
        return
    layer = layer_of("numarataj.Adres")
    if layer is None or not permissions.can(user, layer, Right.EDIT_DATA):
        raise Forbidden("Bu işlem numarataj memurlarına açıktır. (Only numarataj officers may do this.)")


_FETCH = object()  # "read the row's previous state from the database"


class Recorder:
    """Writes register rows and records each change in geo's history, for one operation (an admin
    save, a plan's approval): it looks each layer up once and keeps the changes it wrote."""

    def __init__(self, user, comment: str = "", plan=None) -> None:
        self.user, self.comment, self.plan = user, comment, plan
        self.changes: list[Change] = []
        self._layers: dict[str, Layer | None] = {}

    def _record(self, obj, action: str, before: dict | None, after: dict | None) -> Change:
        label = obj._meta.label
        if label not in self._layers:
            self._layers[label] = layer_of(label)
        change = history.record(obj, action, user=self.user, before=before, after=after,
                                layer=self._layers[label], comment=self.comment)
        self.changes.append(change)
        return change

    def write(self, obj, before=_FETCH) -> Change:
        """Save `obj`; `before` is its snapshot before the edit (None: a new row), or read here."""
        if before is _FETCH:
            old = type(obj).objects.filter(pk=obj.pk).first() if obj.pk is not None else None
            before = history.snapshot(old) if old is not None else None
        obj.save()
        action = Change.Action.UPDATE if before is not None else Change.Action.CREATE
        return self._record(obj, action, before, history.snapshot(obj))

    def delete(self, obj) -> Change:
        change = self._record(obj, Change.Action.DELETE, history.snapshot(obj), None)
        obj.delete()
        return change

    def write_adres(self, adres: Adres, before=_FETCH, open_period=_FETCH) -> None:
        """Save a door; when its number changes, close the old number's period and open the new
        one's (`open_period`: its open KapiNoGecmisi row, or None, or read here)."""
        change = self.write(adres, before)
        old_no = (change.before or {}).get("kapi_no") or ""
        if old_no == adres.kapi_no:
            return
        now = timezone.now()
        if open_period is _FETCH:
            open_period = KapiNoGecmisi.objects.filter(adres=adres, gecerli_bitis__isnull=True).first()
        if open_period is not None:
            period_before = history.snapshot(open_period)
            open_period.gecerli_bitis = now
            self.write(open_period, period_before)
        elif old_no:  # the number it had before the register kept history
            self.write(KapiNoGecmisi(adres=adres, csbm_id=change.before.get("csbm_id"), kapi_no=old_no,
                                     gecerli_bitis=now, plan=self.plan), None)
        self.write(KapiNoGecmisi(adres=adres, csbm_id=adres.csbm_id, kapi_no=adres.kapi_no, gecerli_baslangic=now,
                                 plan=self.plan), None)


def write_row(obj, *, user, comment: str = "") -> Change:
    """Save one row of any register model and record the change."""
    return Recorder(user, comment).write(obj)


@transaction.atomic
def save_csbm(csbm: Csbm, *, user, mahalleler: Iterable[Mahalle] | None = None, comment: str = "",
              check_rights: bool = True) -> Csbm:
    """Validate and save a street. Without `mahalleler`, a new street is linked to the ilçe's
    mahalleler its centreline runs through."""
    if check_rights:
        require_register_editor(user)
    if mahalleler is not None:
        ids = [m.pk for m in mahalleler]
    elif csbm.pk and csbm.mahalleler.exists():
        ids = list(csbm.mahalleler.values_list("pk", flat=True))
    else:
        crossed = Mahalle.objects.filter(ilce_id=csbm.ilce_id, geom__intersects=csbm.geom)
        ids = list(crossed.values_list("pk", flat=True))
    raise_if(check_object(conformance.csbm_data(csbm, ids), "numarataj.Csbm", csbm.pk or conformance.NEW_ID))
    Recorder(user, comment).write(csbm)
    csbm.mahalleler.set(ids)
    return csbm


@transaction.atomic
def save_yapi(yapi: Yapi, *, user, comment: str = "", check_rights: bool = True) -> Yapi:
    if check_rights:
        require_register_editor(user)
    yapi.tanitim_no = (yapi.tanitim_no or "").strip()
    raise_if(check_object(conformance.yapi_data(yapi), "numarataj.Yapi", yapi.pk or conformance.NEW_ID))
    Recorder(user, comment).write(yapi)
    return yapi


@transaction.atomic
def save_adres(adres: Adres, *, user, comment: str = "", check_rights: bool = True) -> list[Change]:
    """Validate and save a door; returns the changes written (the address and its number history)."""
    if check_rights:
        require_register_editor(user)
    adres.kapi_no = normalize_door_number(adres.kapi_no)
    raise_if(check_object(conformance.adres_data(adres), "numarataj.Adres", adres.pk or conformance.NEW_ID))
    recorder = Recorder(user, comment)
    recorder.write_adres(adres)
    return recorder.changes


def number_on(csbm_id: int, kapi_no: str, at=None) -> Adres | None:
    """Which door had `kapi_no` on a street at a moment (now by default): old numbers stay findable."""
    at = at or timezone.now()
    row = (KapiNoGecmisi.objects.filter(csbm_id=csbm_id, kapi_no=normalize_door_number(kapi_no))
           .exclude(gecerli_baslangic__gt=at).exclude(gecerli_bitis__lte=at).select_related("adres").first())
    return row.adres if row else None


@transaction.atomic
def delete_row(obj, *, user, comment: str = "", check_rights: bool = True) -> Change:
    """Delete a register row, recording its last state so the deletion can be reverted."""
    if check_rights:
        require_register_editor(user)
    return Recorder(user, comment).delete(obj)
