"""Accruals (tahakkuk): every card, plate and data sale is charged at the council-approved tariff of
its day, and the period report sums them per item.

Rules: a charge without a tariff valid on its day is refused (the office may not invent a price);
the unit price is copied into the accrual, so a later tariff never changes an old charge; the report
period is inclusive on both ends. Tariffs are council decisions and are entered by the officer in
the admin with their decision number — Kent ships no prices of its own."""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from geo.errors import Conflict, InvalidInput
from geo.services.history import User
from numarataj.models.documents import Tahakkuk, Tarife, TarifeKalemi

MAX_QUANTITY = 1_000_000


def tariff_on(kalem: str, day: dt.date) -> Tarife:
    """The tariff of an item valid on a day, or a Conflict that says what is missing."""
    if kalem not in TarifeKalemi.values:
        raise InvalidInput(f"Bilinmeyen tarife kalemi: '{kalem}'. (Unknown tariff item.)", field="kalem")
    tariff = (Tarife.objects.filter(kalem=kalem, gecerlilik_baslangic__lte=day)
              .filter(Q(gecerlilik_bitis__isnull=True) | Q(gecerlilik_bitis__gte=day))
              .order_by("-gecerlilik_baslangic").first())
    if tariff is None:
        raise Conflict(f"'{TarifeKalemi(kalem).label}' için {day:%d.%m.%Y} tarihinde geçerli, meclisçe onaylı bir "
                       f"tarife yok; önce tarifeyi girin. (No approved tariff for this item on that day.)",
                       reason="no_tariff", kalem=kalem, tarih=day.isoformat())
    return tariff


def accrue(kalem: str, miktar: int = 1, *, user: User, aciklama: str = "", day: dt.date | None = None
           ) -> Tahakkuk:
    """Charge `miktar` units of an item at the tariff of `day` (today by default)."""
    if not isinstance(miktar, int) or isinstance(miktar, bool) or not 1 <= miktar <= MAX_QUANTITY:
        raise InvalidInput(f"Miktar 1 ile {MAX_QUANTITY} arasında bir tam sayı olmalı. "
                           f"(Quantity must be a positive integer.)", field="miktar")
    day = day or timezone.localdate()
    tariff = tariff_on(kalem, day)
    return Tahakkuk.objects.create(
        kalem=kalem, tarife=tariff, miktar=miktar, birim_fiyat=tariff.birim_fiyat,
        tutar=tariff.birim_fiyat * miktar, tarih=day, aciklama=aciklama[:300],
        olusturan=user if user is not None and user.is_authenticated else None)


@dataclass(frozen=True)
class ReportRow:
    kalem: str
    ad: str
    adet: int  # number of accruals
    miktar: int  # units charged
    tutar: Decimal


@dataclass(frozen=True)
class Report:
    baslangic: dt.date
    bitis: dt.date
    rows: list[ReportRow]

    @property
    def toplam(self) -> Decimal:
        return sum((r.tutar for r in self.rows), Decimal("0.00"))

    @property
    def toplam_adet(self) -> int:
        return sum(r.adet for r in self.rows)


def period_report(baslangic: dt.date, bitis: dt.date) -> Report:
    """Totals per item of the accruals dated within [baslangic, bitis]."""
    if baslangic > bitis:
        raise InvalidInput("Dönem başlangıcı bitişten sonra olamaz. (The period starts after it ends.)",
                           baslangic=baslangic.isoformat(), bitis=bitis.isoformat())
    sums = (Tahakkuk.objects.filter(tarih__range=(baslangic, bitis)).values("kalem")
            .annotate(adet=Count("id"), miktar=Sum("miktar"), tutar=Sum("tutar")).order_by("kalem"))
    rows = [ReportRow(s["kalem"], str(TarifeKalemi(s["kalem"]).label), s["adet"], s["miktar"], s["tutar"])
            for s in sums]
    return Report(baslangic, bitis, rows)


def report_csv(report: Report) -> str:
    """The report as CSV for a spreadsheet: ';' separated with a BOM, as Turkish Excel expects."""
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(["donem_baslangic", "donem_bitis", "kalem", "kalem_adi", "tahakkuk_sayisi", "miktar", "tutar_tl"])
    for r in report.rows:
        w.writerow([report.baslangic, report.bitis, r.kalem, r.ad, r.adet, r.miktar, f"{r.tutar:.2f}"])
    w.writerow([report.baslangic, report.bitis, "toplam", "Toplam", report.toplam_adet, "", f"{report.toplam:.2f}"])
    return out.getvalue()
