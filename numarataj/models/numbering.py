"""Numbering plans (proposals the officer approves or rejects), door-number history, sites with
one entrance and plots (arsa) that reserve numbers. The rules live in services/numbering.py."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from .adres import Adres

__all__ = ["Arsa", "KapiNoGecmisi", "NumberingPlan", "PlanItem", "Site"]


class Site(models.Model):
    """A walled site (site, kampüs) entered through one gate: its buildings share the gate's door
    number with letters (15A, 15B, …). Membership is spatial: buildings whose footprint centre
    lies inside `geom`."""

    ad = models.CharField(_("ad"), max_length=150)
    mahalle = models.ForeignKey("numarataj.Mahalle", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="siteler")
    csbm = models.ForeignKey("numarataj.Csbm", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="siteler",
                             help_text=_("Girişin açıldığı CSBM; boşsa girişe en yakın CSBM."))
    geom = models.MultiPolygonField(_("site sınırı"), srid=settings.STORAGE_SRID)
    giris = models.PointField(_("giriş kapısı"), srid=settings.STORAGE_SRID)
    version = models.PositiveIntegerField(_("sürüm"), default=1, editable=False)

    class Meta:
        verbose_name = _("site (tek girişli)")
        verbose_name_plural = _("siteler (tek girişli)")

    def __str__(self) -> str:
        return self.ad


class Arsa(models.Model):
    """An empty plot on a street that keeps door numbers free for the building to come."""

    csbm = models.ForeignKey("numarataj.Csbm", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="arsalar", help_text=_("Boşsa en yakın CSBM."))
    mahalle = models.ForeignKey("numarataj.Mahalle", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="arsalar")
    ada = models.CharField(_("ada"), max_length=20, blank=True)
    parsel = models.CharField(_("parsel"), max_length=20, blank=True)
    geom = models.MultiPolygonField(_("parsel sınırı"), srid=settings.STORAGE_SRID)
    ayrilacak_adet = models.PositiveSmallIntegerField(_("ayrılacak numara sayısı"), default=1)
    ayrilan_nolar = models.CharField(_("ayrılan numaralar"), max_length=100, blank=True,
                                     help_text=_("Onaylanan plandan yazılır, ör. '21,23'."))
    version = models.PositiveIntegerField(_("sürüm"), default=1, editable=False)

    class Meta:
        verbose_name = _("arsa (numara ayrılmış)")
        verbose_name_plural = _("arsalar (numara ayrılmış)")

    def __str__(self) -> str:
        return f"Arsa {self.ada}/{self.parsel}" if self.ada or self.parsel else f"Arsa {self.pk}"


class NumberingPlan(models.Model):
    """A numbering proposal. Nothing in the register changes until an officer approves it."""

    class Tur(models.TextChoices):
        SOKAK = "sokak", _("Sokak numaralama")
        ARA = "ara", _("Araya yeni yapı")
        ILCE = "ilce", _("İlçe geneli")

    class Durum(models.TextChoices):
        ONERILDI = "onerildi", _("Önerildi")
        ONAYLANDI = "onaylandi", _("Onaylandı")
        REDDEDILDI = "reddedildi", _("Reddedildi")
        GERI_ALINDI = "geri_alindi", _("Geri alındı")

    tur = models.CharField(_("tür"), max_length=8, choices=Tur.choices)
    durum = models.CharField(_("durum"), max_length=12, choices=Durum.choices, default=Durum.ONERILDI,
                             db_index=True)
    ilce = models.ForeignKey("numarataj.Ilce", on_delete=models.CASCADE, related_name="numaralama_planlari")
    csbm = models.ForeignKey("numarataj.Csbm", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="numaralama_planlari")
    olusturan = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("oluşturan"))
    olusturma = models.DateTimeField(_("oluşturma"), auto_now_add=True)
    karar_veren = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("karar veren"))
    karar_tarihi = models.DateTimeField(_("karar tarihi"), null=True, blank=True)
    aciklama = models.CharField(_("açıklama"), max_length=300, blank=True)
    ozet = models.JSONField(_("özet"), default=dict, blank=True)
    degisiklikler = models.ManyToManyField("geo.Change", blank=True, related_name="+",
                                           help_text=_("Onayın yazdığı değişiklikler (geri almak için)."))

    class Meta:
        ordering = ["-olusturma", "-id"]
        verbose_name = _("numaralama planı")
        verbose_name_plural = _("numaralama planları")

    def __str__(self) -> str:
        what = self.csbm.tam_ad if self.csbm_id else str(self.ilce)
        return f"#{self.pk} {self.get_tur_display()}: {what} ({self.get_durum_display()})"


class PlanItem(models.Model):
    """One door of a plan: where it is, which side, the current and the proposed number."""

    plan = models.ForeignKey(NumberingPlan, on_delete=models.CASCADE, related_name="kalemler")
    csbm = models.ForeignKey("numarataj.Csbm", on_delete=models.CASCADE, related_name="+")
    yapi = models.ForeignKey("numarataj.Yapi", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    adres = models.ForeignKey("numarataj.Adres", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    arsa = models.ForeignKey(Arsa, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    taraf = models.CharField(_("taraf"), max_length=3, choices=Adres.Taraf.choices, blank=True)
    sira = models.PositiveIntegerField(_("sıra"), default=0)
    istasyon = models.FloatField(_("eksen üzerindeki konum (m)"), default=0)
    mevcut_no = models.CharField(_("mevcut no"), max_length=20, blank=True)
    onerilen_no = models.CharField(_("önerilen no"), max_length=100)
    degisiyor = models.BooleanField(_("değişiyor"), default=False)
    geom = models.PointField(_("kapı noktası"), srid=settings.STORAGE_SRID)
    notlar = models.CharField(_("not"), max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "csbm", "sira"]
        verbose_name = _("plan kalemi")
        verbose_name_plural = _("plan kalemleri")

    def __str__(self) -> str:
        return f"{self.mevcut_no or '—'} → {self.onerilen_no}"


class KapiNoGecmisi(models.Model):
    """A door number with the period it was valid. The open row (no end) is the current number;
    the row survives the address (SET_NULL) so old numbers can still be looked up."""

    adres = models.ForeignKey("numarataj.Adres", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="kapi_no_gecmisi")
    csbm = models.ForeignKey("numarataj.Csbm", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kapi_no = models.CharField(_("dış kapı no"), max_length=20)
    gecerli_baslangic = models.DateTimeField(_("geçerlilik başlangıcı"), null=True, blank=True,
                                             help_text=_("Boş: kayıt sisteme girmeden önce."))
    gecerli_bitis = models.DateTimeField(_("geçerlilik bitişi"), null=True, blank=True)
    plan = models.ForeignKey(NumberingPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["adres", "gecerli_baslangic"]
        verbose_name = _("kapı numarası geçmişi")
        verbose_name_plural = _("kapı numarası geçmişi")

    def __str__(self) -> str:
        end = self.gecerli_bitis.date() if self.gecerli_bitis else "…"
        return f"{self.kapi_no} ({self.gecerli_baslangic and self.gecerli_baslangic.date()} – {end})"
