"""Documents the numarataj office issues and what it charges for them: address cards, the
council-approved tariff, an accrual (tahakkuk) per chargeable item, and address-determination
requests from institutions (which carry personal data, see `AdresTespitTalebi.KISISEL_ALANLAR`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["AdresKarti", "AdresTespitTalebi", "Tahakkuk", "Tarife", "TarifeKalemi"]


class TarifeKalemi(models.TextChoices):
    ADRES_KARTI = "adres_karti", _("Adres kartı / numarataj belgesi")
    KAPI_LEVHASI = "kapi_levhasi", _("Dış kapı numara levhası")
    IC_KAPI_LEVHASI = "ic_kapi_levhasi", _("İç kapı numara levhası")
    CSBM_LEVHASI = "csbm_levhasi", _("CSBM (sokak/cadde) ad levhası")
    VERI_SATISI = "veri_satisi", _("Adres verisi satışı (kayıt)")


class Tarife(models.Model):
    """A council-approved unit price for one item, valid over a period (no end = until replaced)."""

    kalem = models.CharField(_("kalem"), max_length=20, choices=TarifeKalemi.choices, db_index=True)
    birim = models.CharField(_("birim"), max_length=20, default="adet")
    birim_fiyat = models.DecimalField(_("birim fiyat (TL)"), max_digits=10, decimal_places=2)
    gecerlilik_baslangic = models.DateField(_("geçerlilik başlangıcı"))
    gecerlilik_bitis = models.DateField(_("geçerlilik bitişi"), null=True, blank=True)
    meclis_karar_no = models.CharField(_("meclis karar no"), max_length=50)
    meclis_karar_tarihi = models.DateField(_("meclis karar tarihi"), null=True, blank=True)

    class Meta:
        ordering = ["kalem", "-gecerlilik_baslangic"]
        verbose_name = _("tarife")
        verbose_name_plural = _("tarifeler")
        constraints = [
            models.CheckConstraint(condition=Q(birim_fiyat__gte=0), name="tarife_fiyat_not_negative"),
            models.CheckConstraint(
                condition=Q(gecerlilik_bitis__isnull=True) | Q(gecerlilik_bitis__gte=models.F("gecerlilik_baslangic")),
                name="tarife_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kalem_display()}: {self.birim_fiyat} TL / {self.birim} ({self.gecerlilik_baslangic}–)"

    def clean(self) -> None:
        """Two prices for one item on the same day would make an accrual ambiguous."""
        if not self.gecerlilik_baslangic or not self.kalem:
            return  # the field errors say what is missing
        if self.gecerlilik_bitis and self.gecerlilik_baslangic and self.gecerlilik_bitis < self.gecerlilik_baslangic:
            raise ValidationError(_("Geçerlilik bitişi başlangıçtan önce olamaz."))
        overlapping = Tarife.objects.filter(kalem=self.kalem).exclude(pk=self.pk).filter(
            Q(gecerlilik_bitis__isnull=True) | Q(gecerlilik_bitis__gte=self.gecerlilik_baslangic))
        if self.gecerlilik_bitis:
            overlapping = overlapping.filter(gecerlilik_baslangic__lte=self.gecerlilik_bitis)
        other = overlapping.first()
        if other is not None:
            raise ValidationError(
                _("Bu kalem için %(other)s tarifesiyle çakışan geçerlilik dönemi; önce eski tarifenin bitiş "
                  "tarihini girin. (Overlaps another tariff of this item.)") % {"other": other})


class Tahakkuk(models.Model):
    """One charge: item × quantity at the tariff price of the day (the price is copied, so a later
    tariff change never alters an accrual already made)."""

    kalem = models.CharField(_("kalem"), max_length=20, choices=TarifeKalemi.choices, db_index=True)
    tarife = models.ForeignKey(Tarife, on_delete=models.PROTECT, related_name="tahakkuklar")
    miktar = models.PositiveIntegerField(_("miktar"), default=1)
    birim_fiyat = models.DecimalField(_("birim fiyat (TL)"), max_digits=10, decimal_places=2)
    tutar = models.DecimalField(_("tutar (TL)"), max_digits=12, decimal_places=2)
    tarih = models.DateField(_("tahakkuk tarihi"), db_index=True)
    aciklama = models.CharField(_("açıklama"), max_length=300, blank=True)
    olusturan = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("oluşturan"))
    olusturma = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tarih", "-id"]
        verbose_name = _("tahakkuk")
        verbose_name_plural = _("tahakkuklar")
        constraints = [models.CheckConstraint(condition=Q(miktar__gte=1), name="tahakkuk_miktar_positive")]

    def __str__(self) -> str:
        return f"{self.tarih} {self.get_kalem_display()} × {self.miktar} = {self.tutar} TL"


class AdresKarti(models.Model):
    """An issued address card. The address text is kept as printed, so verification shows what the
    holder's card says even after a later renaming or renumbering."""

    kod = models.CharField(_("doğrulama kodu"), max_length=16, unique=True)
    bagimsiz_bolum = models.ForeignKey("numarataj.BagimsizBolum", on_delete=models.PROTECT, related_name="kartlar")
    adres_kodu = models.CharField(_("adres kodu"), max_length=10)
    adres_metni = models.TextField(_("adres (basıldığı gibi)"))
    duzenleyen = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("düzenleyen"))
    duzenlenme = models.DateTimeField(_("düzenlenme zamanı"), default=timezone.now)
    tahakkuk = models.OneToOneField(Tahakkuk, on_delete=models.PROTECT, related_name="adres_karti")

    class Meta:
        ordering = ["-duzenlenme", "-id"]
        verbose_name = _("adres kartı")
        verbose_name_plural = _("adres kartları")

    def __str__(self) -> str:
        return f"{self.kod} ({self.adres_kodu})"


class AdresTespitTalebi(models.Model):
    """A request from an institution (court, enforcement office, SGK, …) to determine an address."""

    KISISEL_ALANLAR = ("kisi_adi", "kisi_tckn")

    class Durum(models.TextChoices):
        BEKLIYOR = "bekliyor", _("Yanıt bekliyor")
        BULUNDU = "bulundu", _("Yanıtlandı: adres bulundu")
        BULUNAMADI = "bulunamadi", _("Yanıtlandı: adres bulunamadı")

    kurum = models.CharField(_("talep eden kurum"), max_length=200)
    kurum_belge_no = models.CharField(_("kurum belge sayısı"), max_length=60)
    kurum_belge_tarihi = models.DateField(_("kurum belge tarihi"))
    konu = models.CharField(_("konu"), max_length=200, default="Adres tespiti")
    adres_metni = models.TextField(_("tespiti istenen adres"))
    kisi_adi = models.CharField(_("kişinin adı soyadı"), max_length=150, blank=True)
    kisi_tckn = models.CharField(_("T.C. kimlik no"), max_length=11, blank=True)
    durum = models.CharField(_("durum"), max_length=12, choices=Durum.choices, default=Durum.BEKLIYOR)
    bulunan_adres = models.ForeignKey("numarataj.Adres", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("bulunan adres"))
    bulunan_bagimsiz_bolum = models.ForeignKey("numarataj.BagimsizBolum", null=True, blank=True,
                                               on_delete=models.PROTECT, related_name="+",
                                               verbose_name=_("bulunan bağımsız bölüm"))
    yanit_sayi = models.CharField(_("yanıt sayısı"), max_length=60, blank=True)
    yanit_tarihi = models.DateField(_("yanıt tarihi"), null=True, blank=True)
    yanit_notu = models.TextField(_("yanıt notu"), blank=True)
    kaydeden = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("kaydeden"))
    yanitlayan = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("yanıtlayan"))
    olusturma = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-kurum_belge_tarihi", "-id"]
        verbose_name = _("adres tespit talebi")
        verbose_name_plural = _("adres tespit talepleri")

    def __str__(self) -> str:
        return f"{self.kurum} {self.kurum_belge_no}"
