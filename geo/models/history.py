"""Edit history: every change of a layer row or an address, attributable and reversible."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Change(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("ekleme")
        UPDATE = "update", _("güncelleme")
        DELETE = "delete", _("silme")

    layer = models.ForeignKey("geo.Layer", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="changes")
    model = models.CharField(max_length=80, help_text=_("app_label.Model"))
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=10, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    comment = models.CharField(max_length=300, blank=True)
    reverts = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="reverted_by")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]
        verbose_name = _("değişiklik")
        verbose_name_plural = _("değişiklik geçmişi")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.model}#{self.object_id}"
