"""Touch-screen kiosks of the city guide: where each stands and how it returns to its home view.

A kiosk is registered here so its page can show "you are here" at its real location, measure
walking distances from it, and know after how many idle seconds to reset for the next person."""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

MIN_IDLE_SECONDS, MAX_IDLE_SECONDS = 2, 3600
MIN_ZOOM, MAX_ZOOM = 12, 19


class Kiosk(models.Model):
    kiosk_id = models.SlugField(_("kiosk kimliği"), max_length=50, unique=True,
                                help_text=_("Adreste kullanılır: /kiosk/<kimlik>/, ör. 'gazi-meydani'."))
    name = models.CharField(_("ad"), max_length=150, help_text=_("Ör. 'Gazi Meydanı kiosku'."))
    location = models.PointField(_("konum"), srid=settings.STORAGE_SRID,
                                 help_text=_("Kioskun durduğu nokta; 'Buradasınız' işareti ve yürüme mesafeleri."))
    idle_seconds = models.PositiveIntegerField(
        _("boşta bekleme süresi (sn)"), default=90,
        validators=[MinValueValidator(MIN_IDLE_SECONDS), MaxValueValidator(MAX_IDLE_SECONDS)],
        help_text=_("Bu kadar saniye dokunulmazsa kiosk başlangıç görünümüne döner."))
    home_zoom = models.PositiveSmallIntegerField(
        _("başlangıç yakınlaştırması"), default=17,
        validators=[MinValueValidator(MIN_ZOOM), MaxValueValidator(MAX_ZOOM)])
    active = models.BooleanField(_("etkin"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kiosk_id"]
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosklar")

    def __str__(self) -> str:
        return f"{self.name} ({self.kiosk_id})"
