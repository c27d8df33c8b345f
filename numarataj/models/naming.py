"""Street-naming decisions (ad verme / ad değişikliği) and the CSBM's name history.

The decision row holds the official record of each step (dates, document numbers, votes); the
rules that move it from step to step live in `numarataj.services.naming`, not here, so the admin
cannot bypass them by editing a field."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .csbm import CsbmTuru

__all__ = ["AdlandirmaKarari", "CsbmAdGecmisi", "KararAdimi"]


class AdlandirmaKarari(models.Model):
    """One naming or renaming process, from the proposal to the day the name takes effect."""

    class Tur(models.TextChoices):
        AD_VERME = "ad_verme", _("Ad verme (yeni CSBM)")
        AD_DEGISIKLIGI = "ad_degisikligi", _("Ad değişikliği")

    class Durum(models.TextChoices):
        ONERI = "oneri", _("Öneri")
        KOMISYON = "komisyon", _("Komisyon raporu verildi")
        MECLIS = "meclis", _("Meclis kararı alındı")
        ONAYLANDI = "onaylandi", _("Mülki amir onayladı (yürürlük bekleniyor)")
        YURURLUKTE = "yururlukte", _("Yürürlükte")
        REDDEDILDI = "reddedildi", _("Reddedildi")
        GERI_CEKILDI = "geri_cekildi", _("Geri çekildi")

    class Gorus(models.TextChoices):
        OLUMLU = "olumlu", _("Olumlu")
        OLUMSUZ = "olumsuz", _("Olumsuz")

    class Makam(models.TextChoices):
        VALILIK = "valilik", _("Valilik")
        KAYMAKAMLIK = "kaymakamlik", _("Kaymakamlık")

    tur = models.CharField(_("karar türü"), max_length=16, choices=Tur.choices)
    durum = models.CharField(_("durum"), max_length=14, choices=Durum.choices, default=Durum.ONERI,
                             db_index=True)
    ilce = models.ForeignKey("numarataj.Ilce", on_delete=models.PROTECT, related_name="adlandirma_kararlari")
    csbm = models.ForeignKey("numarataj.Csbm", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="adlandirma_kararlari",
                             help_text=_("Ad değişikliğinde değişen CSBM; ad vermede yürürlükte oluşturulan CSBM."))
    # the designation asked for, and (for a rename) the one it replaces
    yeni_tur = models.CharField(_("yeni tür"), max_length=12, choices=CsbmTuru.choices)
    yeni_ad = models.CharField(_("yeni ad"), max_length=150, blank=True)
    yeni_numara = models.PositiveIntegerField(_("yeni numara"), null=True, blank=True)
    eski_tur = models.CharField(_("eski tür"), max_length=12, choices=CsbmTuru.choices, blank=True)
    eski_ad = models.CharField(_("eski ad"), max_length=150, blank=True)
    eski_numara = models.PositiveIntegerField(_("eski numara"), null=True, blank=True)
    geom = models.MultiLineStringField(_("eksen (yeni CSBM)"), srid=settings.STORAGE_SRID, null=True, blank=True)
    mahalleler = models.ManyToManyField("numarataj.Mahalle", blank=True, related_name="adlandirma_kararlari")
    # 1. proposal
    oneren = models.CharField(_("öneren"), max_length=200,
                              help_text=_("Öneriyi yapan kişi ya da birim (kamuya açık sayfalarda gösterilmez)."))
    gerekce = models.TextField(_("gerekçe"))
    oneri_tarihi = models.DateField(_("öneri tarihi"))
    # 2. commission report
    komisyon_tarihi = models.DateField(_("komisyon rapor tarihi"), null=True, blank=True)
    komisyon_rapor_no = models.CharField(_("komisyon rapor no"), max_length=50, blank=True)
    komisyon_gorusu = models.CharField(_("komisyon görüşü"), max_length=8, choices=Gorus.choices, blank=True)
    # 3. council decision
    meclis_tarihi = models.DateField(_("meclis karar tarihi"), null=True, blank=True)
    meclis_karar_no = models.CharField(_("meclis karar no"), max_length=50, blank=True)
    oy_kabul = models.PositiveSmallIntegerField(_("kabul oyu"), null=True, blank=True)
    oy_ret = models.PositiveSmallIntegerField(_("ret oyu"), null=True, blank=True)
    oy_cekimser = models.PositiveSmallIntegerField(_("çekimser"), null=True, blank=True)
    meclis_uye_tamsayisi = models.PositiveSmallIntegerField(_("meclis üye tamsayısı"), null=True, blank=True)
    # 4. approval by the mülki amir
    onay_makami = models.CharField(_("onay makamı"), max_length=12, choices=Makam.choices, blank=True)
    onay_tarihi = models.DateField(_("onay tarihi"), null=True, blank=True)
    onay_belge_no = models.CharField(_("onay belge no"), max_length=50, blank=True)
    # 5. in effect
    yururluk_tarihi = models.DateField(_("yürürlük tarihi"), null=True, blank=True, db_index=True)
    # closing without effect
    kapanis_tarihi = models.DateField(_("ret / geri çekme tarihi"), null=True, blank=True)
    kapanis_belge_no = models.CharField(_("ret / geri çekme belge no"), max_length=50, blank=True)
    kapanis_gerekcesi = models.TextField(_("ret / geri çekme gerekçesi"), blank=True)
    kapanis_asamasi = models.CharField(_("kapandığı aşama"), max_length=14, choices=Durum.choices, blank=True)
    olusturma = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-oneri_tarihi", "-id"]
        verbose_name = _("adlandırma kararı")
        verbose_name_plural = _("adlandırma kararları")
        constraints = [
            models.CheckConstraint(
                condition=(Q(yeni_ad="", yeni_numara__isnull=False) | (~Q(yeni_ad="") & Q(yeni_numara__isnull=True))),
                name="adlandirma_name_xor_number"),
            models.CheckConstraint(condition=~Q(yeni_tur="meydan") | Q(yeni_numara__isnull=True),
                                   name="adlandirma_meydan_named"),
            models.CheckConstraint(condition=Q(tur="ad_verme") | Q(csbm__isnull=False),
                                   name="adlandirma_rename_has_csbm"),
        ]

    def __str__(self) -> str:
        return f"{self.get_tur_display()}: {self.yeni_tam_ad}"

    @staticmethod
    def tam_ad_of(tur: str, ad: str, numara: int | None) -> str:
        """'Çiçek Sokak', '1203. Sokak' — the same spelling as `Csbm.tam_ad`."""
        if not tur:
            return ""
        base = f"{numara}." if numara is not None else ad
        return f"{base} {CsbmTuru(tur).suffix}"

    @property
    def yeni_tam_ad(self) -> str:
        return self.tam_ad_of(self.yeni_tur, self.yeni_ad, self.yeni_numara)

    @property
    def eski_tam_ad(self) -> str:
        return self.tam_ad_of(self.eski_tur, self.eski_ad, self.eski_numara)

    @property
    def aktif(self) -> bool:
        return self.durum in ACTIVE_STATES


ACTIVE_STATES = frozenset({AdlandirmaKarari.Durum.ONERI, AdlandirmaKarari.Durum.KOMISYON,
                           AdlandirmaKarari.Durum.MECLIS, AdlandirmaKarari.Durum.ONAYLANDI})


class KararAdimi(models.Model):
    """Who moved a decision from one state to the next, and when (the audit trail of the process)."""

    karar = models.ForeignKey(AdlandirmaKarari, on_delete=models.CASCADE, related_name="adimlar")
    onceki = models.CharField(_("önceki durum"), max_length=14, choices=AdlandirmaKarari.Durum.choices, blank=True)
    sonraki = models.CharField(_("yeni durum"), max_length=14, choices=AdlandirmaKarari.Durum.choices)
    kullanici = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    zaman = models.DateTimeField(auto_now_add=True)
    aciklama = models.CharField(_("açıklama"), max_length=300, blank=True)

    class Meta:
        ordering = ["zaman", "id"]
        verbose_name = _("karar adımı")
        verbose_name_plural = _("karar adımları")

    def __str__(self) -> str:
        return f"{self.karar_id}: {self.onceki or '—'} → {self.sonraki}"


class CsbmAdGecmisi(models.Model):
    """One designation of a CSBM and the period it was valid; the open row (no end) is the current one.

    Addresses reach their street-name history through their CSBM: the name of an address on a
    day is the name of its CSBM's row valid on that day."""

    class Degisiklik(models.TextChoices):
        AD_VERME = "ad_verme", _("Ad verme")
        AD_DEGISIKLIGI = "ad_degisikligi", _("Ad değişikliği")

    csbm = models.ForeignKey("numarataj.Csbm", on_delete=models.CASCADE, related_name="ad_gecmisi")
    degisiklik = models.CharField(_("değişiklik"), max_length=16, choices=Degisiklik.choices)
    eski_tur = models.CharField(_("eski tür"), max_length=12, choices=CsbmTuru.choices, blank=True)
    eski_ad = models.CharField(_("eski ad"), max_length=150, blank=True)
    eski_numara = models.PositiveIntegerField(_("eski numara"), null=True, blank=True)
    yeni_tur = models.CharField(_("tür"), max_length=12, choices=CsbmTuru.choices)
    yeni_ad = models.CharField(_("ad"), max_length=150, blank=True)
    yeni_numara = models.PositiveIntegerField(_("numara"), null=True, blank=True)
    gecerlilik_baslangic = models.DateField(_("geçerlilik başlangıcı"))
    gecerlilik_bitis = models.DateField(_("geçerlilik bitişi"), null=True, blank=True)
    karar = models.ForeignKey(AdlandirmaKarari, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="ad_gecmisi")

    class Meta:
        ordering = ["csbm", "-gecerlilik_baslangic", "-id"]
        verbose_name = _("CSBM ad geçmişi")
        verbose_name_plural = _("CSBM ad geçmişi")
        constraints = [
            models.UniqueConstraint(fields=["csbm"], condition=Q(gecerlilik_bitis__isnull=True),
                                    name="csbm_one_current_name"),
        ]

    def __str__(self) -> str:
        return f"{self.yeni_tam_ad} ({self.gecerlilik_baslangic}–{self.gecerlilik_bitis or ''})"

    @property
    def yeni_tam_ad(self) -> str:
        return AdlandirmaKarari.tam_ad_of(self.yeni_tur, self.yeni_ad, self.yeni_numara)

    @property
    def eski_tam_ad(self) -> str:
        return AdlandirmaKarari.tam_ad_of(self.eski_tur, self.eski_ad, self.eski_numara)
