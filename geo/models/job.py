"""Background jobs: Kent's own record of long work run by the task worker (geo.jobs).

The task framework keeps its own row per enqueued task (django_tasks_db); this row is what
people see: what runs, for whom, how far it got, its log, its result and why it failed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("sırada")
        RUNNING = "running", _("çalışıyor")
        SUCCEEDED = "succeeded", _("tamamlandı")
        FAILED = "failed", _("başarısız")
        CANCELLED = "cancelled", _("iptal edildi")

    FINISHED = (State.SUCCEEDED, State.FAILED, State.CANCELLED)

    kind = models.CharField(max_length=60, db_index=True, help_text=_("kayıtlı iş türü (registered job kind)"))
    title = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="kent_jobs")
    task_id = models.CharField(max_length=64, blank=True, help_text=_("görev kuyruğundaki sonuç kimliği"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    done = models.BigIntegerField(default=0)
    total = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=120, blank=True, help_text=_("host:pid of the worker running it"))
    log = models.TextField(blank=True, help_text=_("one line per entry, oldest first"))
    result = models.JSONField(null=True, blank=True)
    result_file = models.FileField(upload_to="isler/", max_length=300, blank=True)
    error = models.TextField(blank=True)
    cancel_requested = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("iş")
        verbose_name_plural = _("işler")

    def __str__(self) -> str:
        return f"#{self.pk} {self.title} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def log_lines(self) -> list[str]:
        return self.log.splitlines()


class JobSchedule(models.Model):
    """When a periodic job was last enqueued; the row lock makes two schedulers agree."""

    name = models.CharField(max_length=60, primary_key=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("iş takvimi")
        verbose_name_plural = _("iş takvimleri")

    def __str__(self) -> str:
        return self.name
