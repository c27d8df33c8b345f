"""A numbering plan's life: proposed -> approved | rejected, and approved -> reverted.

Only approval writes: door numbers, sides and streets of addresses (new addresses for buildings
that had none), door-number history, plots' reserved numbers and the streets' starts, each write
recorded in geo's history and linked to the plan, so the whole plan can be reverted at once (or a
single row through geo.services.history.revert). Approval refuses a stale plan (a number changed
since it was made) and one whose result breaks a MAKS rule on a door it touches. It writes in bulk
(a district plan changes thousands of rows): each model's rows in one insert and one update, and
all their history rows in one insert, inside one transaction."""

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from geo.errors import Conflict
from geo.services import history
from numarataj.models import Adres, Arsa, Csbm, KapiNoGecmisi, NumberingPlan, PlanItem, Yapi

from .conformance import adres_recs, attach_gates, csbm_recs, yapi_recs
from .geometry import many_to_local
from .register import Recorder, Row, require_register_editor
from .rules import AdresRec, RegisterData, check, raise_if

NUMBER_RULES = {"adres_kapi_no", "adres_no_tekil"}
DOOR_FIELDS = ["kapi_no", "taraf", "csbm"]  # what approval changes on an existing door
Durum = NumberingPlan.Durum


def _lock(plan: NumberingPlan, expected: str) -> NumberingPlan:
    locked = NumberingPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.durum != expected:
        raise Conflict(f"Plan '{locked.get_durum_display()}' durumunda; bu işlem yapılamaz. "
                       f"(The plan is {locked.durum}.)", durum=locked.durum)
    return locked


def _decide(plan: NumberingPlan, durum: str, user, comment: str) -> None:
    plan.durum, plan.karar_veren, plan.karar_tarihi = durum, _user(user), timezone.now()
    plan.aciklama = comment[:300] or plan.aciklama
    plan.save(update_fields=["durum", "karar_veren", "karar_tarihi", "aciklama"])


def _user(user):
    return user if user is not None and user.is_authenticated else None


@transaction.atomic
def approve(plan: NumberingPlan, *, user, comment: str = "", check_rights: bool = True) -> NumberingPlan:
    if check_rights:
        require_register_editor(user)
    plan = _lock(plan, Durum.ONERILDI)
    items = list(plan.kalemler.exclude(onerilen_no="").select_related("adres", "arsa"))
    _check_fresh(items)
    _check_rules(items)
    recorder = Recorder(user, comment or f"numaralama planı #{plan.pk}", plan)
    doors, plots = _edits(items)
    periods = {k.adres_id: k for k in KapiNoGecmisi.objects.filter(
        adres_id__in=[a.pk for a, before in doors if before is not None], gecerli_bitis=None)}
    recorder.write_many(plots, ["ayrilan_nolar"])
    recorder.write_adresler(doors, periods, DOOR_FIELDS)
    _store_starts(plan, recorder)
    if plan.tur == NumberingPlan.Tur.ARA:
        _consume_reservations(items, recorder)
    _decide(plan, Durum.ONAYLANDI, user, comment)
    plan.degisiklikler.add(*recorder.flush())
    return plan


@transaction.atomic
def reject(plan: NumberingPlan, *, user, comment: str = "", check_rights: bool = True) -> NumberingPlan:
    if check_rights:
        require_register_editor(user)
    plan = _lock(plan, Durum.ONERILDI)
    _decide(plan, Durum.REDDEDILDI, user, comment)
    return plan


@transaction.atomic
def revert(plan: NumberingPlan, *, user, comment: str = "", check_rights: bool = True) -> NumberingPlan:
    """Undo every write of an approved plan, newest first; refused (nothing undone) if any of
    those rows was edited again since."""
    if check_rights:
        require_register_editor(user)
    plan = _lock(plan, Durum.ONAYLANDI)
    note = comment or f"numaralama planı #{plan.pk} geri alındı"
    for change in plan.degisiklikler.order_by("-id"):
        history.revert(change, user=user, comment=note)
    _decide(plan, Durum.GERI_ALINDI, user, comment)
    return plan


def _check_fresh(items: list[PlanItem]) -> None:
    stale = [i for i in items if (i.adres_id and i.adres.kapi_no != i.mevcut_no)
             or (i.arsa_id and i.arsa.ayrilan_nolar != i.mevcut_no)]
    new = {i.yapi_id: i.csbm_id for i in items if not i.adres_id and not i.arsa_id}
    taken = Adres.objects.filter(yapi_id__in=list(new)).values_list("yapi_id", "csbm_id")
    stale_new = [y for y, c in taken if new.get(y) == c]
    if stale or stale_new:
        raise Conflict("Plan hazırlandıktan sonra numaralar değişti; planı yeniden oluşturun. "
                       "(Numbers changed since the plan was made; make a new plan.)",
                       adresler=[i.adres_id for i in stale if i.adres_id], yapilar=stale_new)


def _check_rules(items: list[PlanItem]) -> None:
    """The doors of the touched streets as they will be, checked by the MAKS address rules.
    Number rules apply to every door the plan numbers; position rules only to doors it places."""
    doors = [i for i in items if not i.arsa_id]
    streets = {i.csbm_id for i in doors}
    current = {i.adres_id: i.adres for i in doors if i.adres_id}  # loaded with the items
    current.update((a.pk, a) for a in Adres.objects.filter(csbm_id__in=streets).exclude(pk__in=list(current)))
    recs = {r.id: r for r in adres_recs(current.values())}
    placed: set[int] = set()
    new_points = many_to_local([i.geom for i in doors if not i.adres_id])
    new_iter = iter(new_points)
    for k, item in enumerate(doors):
        if item.adres_id:
            rec = recs[item.adres_id]
            if rec.csbm_id != item.csbm_id:
                placed.add(rec.id)
            rec.kapi_no, rec.csbm_id = item.onerilen_no, item.csbm_id
        else:
            rec = AdresRec(-(k + 1), item.csbm_id, item.yapi_id, item.onerilen_no, next(new_iter))
            recs[rec.id] = rec
            placed.add(rec.id)
    attach_gates([recs[i] for i in placed if i < 0])
    touched = {i.adres_id for i in doors if i.adres_id and i.degisiyor} | placed
    data = RegisterData(csbm=csbm_recs(Csbm.objects.filter(pk__in=streets)),
                        yapi=yapi_recs(Yapi.objects.filter(pk__in={i.yapi_id for i in doors if i.yapi_id})),
                        adres=list(recs.values()))
    raise_if([v for v in check(data, {"numarataj.Adres"})
              if (v.rule in NUMBER_RULES and v.object_id in touched) or v.object_id in placed])


def _edits(items: list[PlanItem]) -> tuple[list[Row], list[Row]]:
    """The doors and plots the plan changes, edited in memory, each with its snapshot before
    (None for a door made for a building that had none); unchanged rows are left out."""
    doors: list[Row] = []
    plots: list[Row] = []
    new_for = [i.yapi_id for i in items if i.yapi_id and not i.adres_id and not i.arsa_id]
    mahalle_of = dict(Yapi.objects.filter(pk__in=new_for).values_list("pk", "mahalle_id"))
    for item in items:
        if item.arsa_id:
            if item.arsa.ayrilan_nolar != item.onerilen_no:
                plots.append((item.arsa, history.snapshot(item.arsa)))
                item.arsa.ayrilan_nolar = item.onerilen_no
            continue
        if item.adres_id:
            adres = item.adres
            if (adres.kapi_no, adres.taraf, adres.csbm_id) == (item.onerilen_no, item.taraf, item.csbm_id):
                continue
            before = history.snapshot(adres)
        else:
            adres = Adres(yapi_id=item.yapi_id, mahalle_id=mahalle_of.get(item.yapi_id), geom=item.geom)
            before = None
        adres.kapi_no, adres.taraf, adres.csbm_id = item.onerilen_no, item.taraf, item.csbm_id
        doors.append((adres, before))
    return doors, plots


def _store_starts(plan: NumberingPlan, recorder: Recorder) -> None:
    """Each street keeps the start it was numbered from (unless the officer pinned one)."""
    starts = {s["csbm"]: s["baslangic"] for s in plan.ozet.get("sokaklar", []) if s.get("baslangic")}
    rows: list[Row] = []
    for csbm in Csbm.objects.filter(pk__in=list(starts), baslangic_sabit=False):
        start = Point(*starts[csbm.pk], srid=4326)
        if csbm.baslangic is None or not csbm.baslangic.equals_exact(start, 1e-7):
            rows.append((csbm, history.snapshot(csbm)))
            csbm.baslangic = start
    recorder.write_many(rows, ["baslangic"])


def _consume_reservations(items: list[PlanItem], recorder: Recorder) -> None:
    """A building given a plot's reserved number takes it off the plot's list."""
    given = {(i.csbm_id, i.onerilen_no) for i in items}
    rows: list[Row] = []
    for arsa in Arsa.objects.filter(csbm_id__in={i.csbm_id for i in items}).exclude(ayrilan_nolar=""):
        nolar = [n.strip() for n in arsa.ayrilan_nolar.split(",")]
        kept = [n for n in nolar if (arsa.csbm_id, n) not in given]
        if kept != nolar:
            rows.append((arsa, history.snapshot(arsa)))
            arsa.ayrilan_nolar = ",".join(kept)
    recorder.write_many(rows, ["ayrilan_nolar"])
