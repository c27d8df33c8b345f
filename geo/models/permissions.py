"""Per-layer rights for users and groups, on a layer or a whole layer group."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Right(models.TextChoices):
    VIEW = "view", _("görüntüleme")
    EDIT_DATA = "edit_data", _("veri düzenleme")
    EDIT_METADATA = "edit_metadata", _("üstveri düzenleme")
    MANAGE = "manage", _("yönetim")


class LayerPermission(models.Model):
    """A grant: (user or group) x (layer or layer group) -> rights. Rights are cumulative:
    manage implies edit_metadata and edit_data, each of which implies view."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE)
    layer = models.ForeignKey("geo.Layer", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="grants")
    layer_group = models.ForeignKey("geo.LayerGroup", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="grants")
    right = models.CharField(_("yetki"), max_length=20, choices=Right.choices)

    class Meta:
        verbose_name = _("katman yetkisi")
        verbose_name_plural = _("katman yetkileri")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, group__isnull=True) | Q(user__isnull=True, group__isnull=False),
                name="grant_one_grantee"),
            models.CheckConstraint(
                condition=(Q(layer__isnull=False, layer_group__isnull=True)
                           | Q(layer__isnull=True, layer_group__isnull=False)),
                name="grant_one_target"),
        ]

    def __str__(self) -> str:
        who = self.user or self.group
        what = self.layer or self.layer_group
        return f"{who}: {self.right} @ {what}"
