"""Street naming: the council process as a state machine, and applying an approved name to the CSBM.

Rules, where the regulation leaves room chosen as a numarataj officer expects them:
- Two kinds. Ad verme gives a designation to a new CSBM: the decision carries its centreline and
  the CSBM row is created when the name takes effect. Ad değişikliği changes the name or number of
  an existing CSBM; a numbered street getting a name is a change too.
- Quorum counts the FULL council (üye tamsayısı), not the members present: ad verme needs more than
  half (kabul × 2 > tamsayı), ad değişikliği at least two thirds (kabul × 3 ≥ 2 × tamsayı). A vote
  that falls short is refused; the officer then records the council's rejection with `reject`.
- Steps: öneri → komisyon raporu → meclis kararı → mülki amir onayı → yürürlük. Rejection and
  withdrawal are possible at every step before approval; an approved decision is final (changing it
  again needs a new decision). The commission's opinion is advisory: an unfavourable report does
  not stop the council from voting.
- Dates never go backwards along the process and no step is dated in the future; the effective
  date is on or after the approval. A name takes effect on approval when its date is today or past,
  otherwise `manage.py apply_naming_decisions` (over `due()`) applies it when the date arrives.
- Name + kind is unique within the ilçe, among the CSBMs and the names pending in other active
  decisions, compared with Turkish case folding ("İSTİKLAL" = "istiklal"). A CSBM has at most one
  active decision at a time.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, LineString, MultiLineString
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from geo.errors import Conflict, InvalidInput
from geo.services.history import User, record, snapshot
from geo.text import fold
from numarataj.models import Csbm, CsbmTuru, Ilce
from numarataj.models.naming import ACTIVE_STATES, AdlandirmaKarari, CsbmAdGecmisi, KararAdimi

from .conformance import NEW_ID, csbm_data
from .register import layer_of, save_csbm
from .rules import check_object, csbm_name_problem, raise_if

D = AdlandirmaKarari.Durum
Tur = AdlandirmaKarari.Tur


@dataclass(frozen=True)
class Step:
    label: str
    allowed_from: frozenset[str]
    to: str


OPEN_STEPS = frozenset({D.ONERI, D.KOMISYON, D.MECLIS})
STEPS: dict[str, Step] = {
    "komisyon": Step("komisyon raporu", frozenset({D.ONERI}), D.KOMISYON),
    "meclis": Step("meclis kararı", frozenset({D.KOMISYON}), D.MECLIS),
    "onay": Step("mülki amir onayı", frozenset({D.MECLIS}), D.ONAYLANDI),
    "yururluk": Step("yürürlüğe girme", frozenset({D.ONAYLANDI}), D.YURURLUKTE),
    "reddet": Step("ret", OPEN_STEPS, D.REDDEDILDI),
    "geri_cek": Step("geri çekme", OPEN_STEPS, D.GERI_CEKILDI),
}


def today() -> dt.date:
    return timezone.localdate()


def required_votes(tur: str, tamsayi: int) -> int:
    """The fewest 'kabul' votes that carry the decision in a council of `tamsayi` members."""
    if tur == Tur.AD_DEGISIKLIGI:
        return (2 * tamsayi + 2) // 3  # at least two thirds
    return tamsayi // 2 + 1  # more than half


# --- validation helpers -------------------------------------------------------------------------

def _designation(tur: str, ad: str, numara: int | None) -> tuple[str, int | None]:
    """A name or a number, never both; a meydan only a name; the name without the kind suffix."""
    if tur not in CsbmTuru.values:
        raise InvalidInput(f"Bilinmeyen CSBM türü: '{tur}'. (Unknown CSBM kind.)", field="yeni_tur")
    ad = " ".join((ad or "").split())
    problem = csbm_name_problem(ad, numara, tur)
    if problem:
        raise InvalidInput(problem, field="yeni_ad", reason="name_or_number")
    if numara is not None and (not isinstance(numara, int) or isinstance(numara, bool) or numara < 1):
        raise InvalidInput("CSBM numarası 1 ya da daha büyük bir tam sayı olmalı. "
                           "(The number must be a positive integer.)", field="yeni_numara")
    if len(ad) > 150:
        raise InvalidInput("Ad en fazla 150 karakter olabilir. (Name too long.)", field="yeni_ad")
    if ad:
        last = fold(ad).split()[-1]
        kind = CsbmTuru(tur)
        if last in {fold(kind.suffix), fold(str(kind.label))}:
            raise InvalidInput(f"Adı tür eki olmadan yazın: '{ad.rsplit(' ', 1)[0]}' ({kind.suffix} eki "
                               f"otomatik eklenir). (Write the name without the kind suffix.)", field="yeni_ad")
    return ad, numara


def check_unique_name(ilce: Ilce, tur: str, ad: str, numara: int | None, *,
                      csbm: Csbm | None = None, karar: AdlandirmaKarari | None = None) -> None:
    """Refuse a name + kind already used in the ilçe, or pending in another active decision."""
    full = AdlandirmaKarari.tam_ad_of(tur, ad, numara)
    streets = Csbm.objects.filter(ilce=ilce, tur=tur)
    if csbm is not None:
        streets = streets.exclude(pk=csbm.pk)
    streets = streets.filter(numara=numara) if numara is not None else streets.exclude(ad="")
    key = fold(ad)
    for other in streets.only("id", "tur", "ad", "numara"):
        if numara is not None or fold(other.ad) == key:
            raise Conflict(f"'{full}' adı bu ilçede zaten kullanılıyor: '{other.tam_ad}' (CSBM #{other.pk}). Aynı "
                           f"türde aynı ad bir ilçede yalnız bir kez kullanılabilir. (This name and kind already "
                           f"exist in the ilçe.)", reason="duplicate_csbm", csbm=other.pk)
    pending = AdlandirmaKarari.objects.filter(ilce=ilce, yeni_tur=tur, durum__in=ACTIVE_STATES)
    if karar is not None and karar.pk:
        pending = pending.exclude(pk=karar.pk)
    pending = pending.filter(yeni_numara=numara) if numara is not None else pending.exclude(yeni_ad="")
    for other in pending.only("id", "yeni_ad", "durum"):
        if numara is not None or fold(other.yeni_ad) == key:
            raise Conflict(f"'{full}' adı bu ilçede süren başka bir kararda önerildi (karar #{other.pk}, "
                           f"{other.get_durum_display()}). (The name is pending in another active decision.)",
                           reason="duplicate_pending", karar=other.pk)


def _check_date(value: dt.date | None, label: str, *, not_before: dt.date | None = None,
                before_label: str = "", future_ok: bool = False) -> dt.date:
    if not isinstance(value, dt.date):
        raise InvalidInput(f"{label} gerekli (YYYY-AA-GG). ({label}: a date is required.)", field=label)
    if not future_ok and value > today():
        raise InvalidInput(f"{label} ileri bir tarih olamaz. (The date cannot be in the future.)", field=label)
    if not_before is not None and value < not_before:
        raise InvalidInput(f"{label} ({value}) {before_label} tarihinden ({not_before}) önce olamaz. "
                           f"(Dates cannot go backwards along the process.)", field=label)
    return value


def _required_text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"{label} gerekli. ({label} is required.)", field=label)
    return value


def _multiline(geom: GEOSGeometry | None) -> MultiLineString:
    if geom is None:
        raise InvalidInput("Yeni CSBM için eksen geometrisi gerekli. (A centreline is required for a new CSBM.)",
                           field="geom")
    if isinstance(geom, LineString):
        geom = MultiLineString(geom, srid=geom.srid)
    if not isinstance(geom, MultiLineString) or geom.empty:
        raise InvalidInput("Eksen bir çizgi (LineString/MultiLineString) olmalı. (The centreline must be a line.)",
                           field="geom")
    if geom.srid is None:
        geom.srid = 4326
    return geom.transform(Csbm._meta.get_field("geom").srid, clone=True)


def _check_new_centreline(karar: AdlandirmaKarari, mahalle_ids: list[int]) -> None:
    """Run the MAKS rules on the proposed street now, so a bad centreline is refused at the proposal
    and not on the day the name should take effect."""
    probe = Csbm(ilce=karar.ilce, tur=karar.yeni_tur, ad=karar.yeni_ad, numara=karar.yeni_numara, geom=karar.geom)
    if not mahalle_ids:
        mahalle_ids = list(karar.ilce.mahalleler.filter(geom__intersects=karar.geom).values_list("pk", flat=True))
    raise_if([v for v in check_object(csbm_data(probe, mahalle_ids), "numarataj.Csbm", NEW_ID)
              if v.rule != "csbm_ad_tekil"])  # names are checked below, with the pending decisions too


def _lock_names(ilce_id: int) -> None:
    """Serialize name checks within one ilçe, so two concurrent proposals cannot both pass."""
    list(Ilce.objects.select_for_update().filter(pk=ilce_id).values_list("pk", flat=True))


# --- the state machine --------------------------------------------------------------------------

def _advance(karar: AdlandirmaKarari, step_key: str, user: User, note: str = "") -> AdlandirmaKarari:
    """Lock the decision, refuse an illegal step, move it and log who did it."""
    step = STEPS[step_key]
    locked = AdlandirmaKarari.objects.select_for_update().get(pk=karar.pk)
    if locked.durum not in step.allowed_from:
        allowed = ", ".join(str(D(s).label) for s in D.values if s in step.allowed_from)
        raise Conflict(f"Karar #{locked.pk} '{locked.get_durum_display()}' durumunda; '{step.label}' adımı yalnızca "
                       f"şu durumlarda yapılabilir: {allowed}. (Step '{step_key}' is not allowed in state "
                       f"'{locked.durum}'.)", durum=locked.durum, adim=step_key)
    KararAdimi.objects.create(karar=locked, onceki=locked.durum, sonraki=step.to,
                              kullanici=user if user is not None and user.is_authenticated else None,
                              aciklama=note[:300])
    locked.durum = step.to
    return locked


def build_proposal(*, tur: str, yeni_tur: str, oneren: str, gerekce: str, ilce: Ilce | None = None,
                   csbm: Csbm | None = None, yeni_ad: str = "", yeni_numara: int | None = None,
                   geom: GEOSGeometry | None = None, mahalleler=(), oneri_tarihi: dt.date | None = None
                   ) -> AdlandirmaKarari:
    """A checked, unsaved proposal (the admin form calls this to show the reason before saving)."""
    if tur not in Tur.values:
        raise InvalidInput(f"Bilinmeyen karar türü: '{tur}'. (Unknown decision kind.)", field="tur")
    ad, numara = _designation(yeni_tur, yeni_ad, yeni_numara)
    karar = AdlandirmaKarari(
        tur=tur, yeni_tur=yeni_tur, yeni_ad=ad, yeni_numara=numara,
        oneren=_required_text(oneren, "Öneren"), gerekce=_required_text(gerekce, "Gerekçe"),
        oneri_tarihi=_check_date(oneri_tarihi or today(), "Öneri tarihi"))
    if tur == Tur.AD_VERME:
        if csbm is not None:
            raise InvalidInput("Mevcut bir CSBM'nin adı 'ad değişikliği' kararıyla değişir. "
                               "(Use a renaming decision for an existing CSBM.)", field="csbm")
        if ilce is None:
            raise InvalidInput("İlçe gerekli. (The ilçe is required.)", field="ilce")
        karar.ilce, karar.geom = ilce, _multiline(geom)
        _check_new_centreline(karar, [m.pk for m in mahalleler])
    else:
        if csbm is None:
            raise InvalidInput("Ad değişikliği için CSBM gerekli. (A renaming needs the CSBM.)", field="csbm")
        if ilce is not None and ilce.pk != csbm.ilce_id:
            raise InvalidInput("CSBM bu ilçede değil. (The CSBM is not in this ilçe.)", field="ilce")
        if (csbm.tur, fold(csbm.ad), csbm.numara) == (yeni_tur, fold(ad), numara):
            raise InvalidInput(f"Yeni ad mevcut adla aynı: '{csbm.tam_ad}'. (The new name equals the current one.)",
                               field="yeni_ad")
        busy = csbm.adlandirma_kararlari.filter(durum__in=ACTIVE_STATES).first()
        if busy is not None:
            raise Conflict(f"Bu CSBM için süren bir karar var (karar #{busy.pk}, {busy.get_durum_display()}); "
                           f"önce o sonuçlanmalı. (The CSBM already has an active decision.)", karar=busy.pk)
        karar.ilce_id, karar.csbm = csbm.ilce_id, csbm
        karar.eski_tur, karar.eski_ad, karar.eski_numara = csbm.tur, csbm.ad, csbm.numara
    check_unique_name(karar.ilce, yeni_tur, ad, numara, csbm=csbm)
    return karar


@transaction.atomic
def propose(*, user: User, mahalleler=(), **fields) -> AdlandirmaKarari:
    """Open a decision at the proposal step, checked under a lock on the ilçe's names."""
    ilce = fields.get("ilce") or (fields["csbm"].ilce if fields.get("csbm") is not None else None)
    if ilce is not None:
        _lock_names(ilce.pk)
    if fields.get("csbm") is not None:
        fields["csbm"] = Csbm.objects.select_for_update().get(pk=fields["csbm"].pk)
    karar = build_proposal(mahalleler=mahalleler, **fields)
    karar.save()
    if mahalleler:
        karar.mahalleler.set(mahalleler)
    KararAdimi.objects.create(karar=karar, onceki="", sonraki=D.ONERI,
                              kullanici=user if user is not None and user.is_authenticated else None)
    return karar


@transaction.atomic
def commission_report(karar: AdlandirmaKarari, *, tarih: dt.date, rapor_no: str, gorus: str,
                      user: User) -> AdlandirmaKarari:
    karar = _advance(karar, "komisyon", user)
    if gorus not in AdlandirmaKarari.Gorus.values:
        raise InvalidInput("Komisyon görüşü 'olumlu' ya da 'olumsuz' olmalı. (Opinion must be olumlu/olumsuz.)",
                           field="gorus")
    karar.komisyon_tarihi = _check_date(tarih, "Komisyon rapor tarihi", not_before=karar.oneri_tarihi,
                                        before_label="öneri")
    karar.komisyon_rapor_no = _required_text(rapor_no, "Komisyon rapor no")
    karar.komisyon_gorusu = gorus
    karar.save()
    return karar


@transaction.atomic
def council_decision(karar: AdlandirmaKarari, *, tarih: dt.date, karar_no: str, kabul: int, ret: int,
                     cekimser: int, tamsayi: int, user: User) -> AdlandirmaKarari:
    """Record the council's acceptance; refused when the votes do not reach the full-council quorum."""
    karar = _advance(karar, "meclis", user)
    karar.meclis_tarihi = _check_date(tarih, "Meclis karar tarihi", not_before=karar.komisyon_tarihi,
                                      before_label="komisyon raporu")
    karar.meclis_karar_no = _required_text(karar_no, "Meclis karar no")
    votes = {"kabul": kabul, "ret": ret, "cekimser": cekimser, "tamsayi": tamsayi}
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in votes.values()) or tamsayi < 1:
        raise InvalidInput("Oy sayıları negatif olmayan tam sayılar, üye tamsayısı en az 1 olmalı. "
                           "(Votes must be non-negative integers.)", **votes)
    if kabul + ret + cekimser > tamsayi:
        raise InvalidInput(f"Oyların toplamı ({kabul + ret + cekimser}) meclis üye tamsayısını ({tamsayi}) aşıyor. "
                           f"(More votes than council members.)", **votes)
    need = required_votes(karar.tur, tamsayi)
    if kabul < need:
        rule = "üçte iki" if karar.tur == Tur.AD_DEGISIKLIGI else "salt çoğunluk (yarıdan fazla)"
        raise InvalidInput(f"Yetersiz oy: {karar.get_tur_display().lower()} meclis üye tamsayısının {rule} "
                           f"kabul oyunu ister: {tamsayi} üyeli mecliste en az {need} kabul gerekir, {kabul} var. "
                           f"Karar alınamadıysa ret olarak kaydedin. (Insufficient votes of the full council: "
                           f"{need} needed, {kabul} given.)", reason="quorum", required=need, **votes)
    karar.oy_kabul, karar.oy_ret, karar.oy_cekimser, karar.meclis_uye_tamsayisi = kabul, ret, cekimser, tamsayi
    karar.save()
    return karar


@transaction.atomic
def approve(karar: AdlandirmaKarari, *, makam: str, tarih: dt.date, belge_no: str, user: User,
            yururluk_tarihi: dt.date | None = None) -> AdlandirmaKarari:
    """The mülki amir's approval; the name is applied at once when its effective date has come."""
    karar = _advance(karar, "onay", user)
    if makam not in AdlandirmaKarari.Makam.values:
        raise InvalidInput("Onay makamı 'valilik' ya da 'kaymakamlik' olmalı. (Authority must be valilik or "
                           "kaymakamlik.)", field="makam")
    karar.onay_makami = makam
    karar.onay_tarihi = _check_date(tarih, "Onay tarihi", not_before=karar.meclis_tarihi,
                                    before_label="meclis kararı")
    karar.onay_belge_no = _required_text(belge_no, "Onay belge no")
    karar.yururluk_tarihi = _check_date(yururluk_tarihi or karar.onay_tarihi, "Yürürlük tarihi",
                                        not_before=karar.onay_tarihi, before_label="onay", future_ok=True)
    karar.save()
    if karar.yururluk_tarihi <= today():
        karar = take_effect(karar, user=user)
    return karar


@transaction.atomic
def reject(karar: AdlandirmaKarari, *, tarih: dt.date, gerekce: str, user: User, belge_no: str = "",
           ) -> AdlandirmaKarari:
    return _close(karar, "reddet", tarih=tarih, gerekce=gerekce, belge_no=belge_no, user=user)


@transaction.atomic
def withdraw(karar: AdlandirmaKarari, *, tarih: dt.date, gerekce: str, user: User, belge_no: str = "",
             ) -> AdlandirmaKarari:
    return _close(karar, "geri_cek", tarih=tarih, gerekce=gerekce, belge_no=belge_no, user=user)


def _close(karar: AdlandirmaKarari, step_key: str, *, tarih: dt.date, gerekce: str, belge_no: str,
           user: User) -> AdlandirmaKarari:
    karar = _advance(karar, step_key, user)
    last = karar.meclis_tarihi or karar.komisyon_tarihi or karar.oneri_tarihi
    karar.kapanis_asamasi = karar.adimlar.order_by("-id").values_list("onceki", flat=True).first() or ""
    karar.kapanis_tarihi = _check_date(tarih, "Ret / geri çekme tarihi", not_before=last, before_label="son adım")
    karar.kapanis_gerekcesi = _required_text(gerekce, "Gerekçe")
    karar.kapanis_belge_no = (belge_no or "").strip()
    karar.save()
    return karar


# --- taking effect ------------------------------------------------------------------------------

def _approver(karar: AdlandirmaKarari) -> User:
    """Who recorded the approval: the change to the CSBM is attributed to them when it is applied later."""
    step = karar.adimlar.filter(sonraki=D.ONAYLANDI).select_related("kullanici").first()
    return step.kullanici if step else None


@transaction.atomic
def take_effect(karar: AdlandirmaKarari, *, user: User = None) -> AdlandirmaKarari:
    """Write the approved designation on the CSBM, close its previous name, and record the change."""
    user = user or _approver(karar)
    karar = _advance(karar, "yururluk", user)
    if karar.yururluk_tarihi is None or karar.yururluk_tarihi > today():
        raise Conflict(f"Yürürlük tarihi ({karar.yururluk_tarihi}) henüz gelmedi. (The effective date has not "
                       f"come yet.)", yururluk_tarihi=str(karar.yururluk_tarihi))
    _lock_names(karar.ilce_id)
    check_unique_name(karar.ilce, karar.yeni_tur, karar.yeni_ad, karar.yeni_numara, csbm=karar.csbm, karar=karar)
    note = (f"Meclis kararı {karar.meclis_karar_no} ({karar.meclis_tarihi}), {karar.get_onay_makami_display()} "
            f"onayı {karar.onay_belge_no}: {karar.eski_tam_ad or '—'} → {karar.yeni_tam_ad}")
    if karar.tur == Tur.AD_VERME:
        csbm = Csbm(ilce=karar.ilce, tur=karar.yeni_tur, ad=karar.yeni_ad, numara=karar.yeni_numara, geom=karar.geom)
        karar.csbm = save_csbm(csbm, user=user, mahalleler=list(karar.mahalleler.all()) or None, comment=note,
                               check_rights=False)
    else:
        csbm = Csbm.objects.select_for_update().get(pk=karar.csbm_id)
        before = snapshot(csbm)
        csbm.tur, csbm.ad, csbm.numara = karar.yeni_tur, karar.yeni_ad, karar.yeni_numara
        csbm.save(update_fields=["tur", "ad", "numara"])
        record(csbm, "update", user=user, before=before, after=snapshot(csbm), layer=layer_of("numarataj.Csbm"),
               comment=note)
        CsbmAdGecmisi.objects.filter(csbm=csbm, gecerlilik_bitis__isnull=True).update(
            gecerlilik_bitis=karar.yururluk_tarihi)
    CsbmAdGecmisi.objects.create(
        csbm=csbm, degisiklik=karar.tur, karar=karar, gecerlilik_baslangic=karar.yururluk_tarihi,
        eski_tur=karar.eski_tur, eski_ad=karar.eski_ad, eski_numara=karar.eski_numara,
        yeni_tur=karar.yeni_tur, yeni_ad=karar.yeni_ad, yeni_numara=karar.yeni_numara)
    karar.save()
    return karar


def due() -> QuerySet[AdlandirmaKarari]:
    return AdlandirmaKarari.objects.filter(durum=D.ONAYLANDI, yururluk_tarihi__lte=today())


def name_on(csbm: Csbm, day: dt.date) -> str:
    """The CSBM's full name on a day (an address's street name on that day is its CSBM's)."""
    rows = list(csbm.ad_gecmisi.order_by("gecerlilik_baslangic", "id"))
    valid = [r for r in rows if r.gecerlilik_baslangic <= day]
    if valid:
        return valid[-1].yeni_tam_ad
    if rows:
        return rows[0].eski_tam_ad  # before the first recorded change: the name it replaced
    return csbm.tam_ad
