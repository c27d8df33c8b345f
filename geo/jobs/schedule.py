"""Periodic jobs: the table is settings.KENT_JOB_SCHEDULES; when each was last enqueued is kept
in geo_jobschedule, and each row is locked while it is checked, so two schedulers running at
once enqueue a due job once. django-tasks has no scheduler of its own; this is the small one."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from geo.models import Job, JobSchedule

from . import registry
from .service import submit


@dataclass(frozen=True)
class Schedule:
    name: str
    kind: str
    every: float | None = None  # seconds between runs
    at: str | None = None  # or daily at this local time, "HH:MM"
    params: dict[str, Any] = field(default_factory=dict)

    def due(self, last: datetime | None, now: datetime) -> bool:
        if last is None:
            return True
        if self.every is not None:
            return now - last >= timedelta(seconds=self.every)
        hour, minute = (int(p) for p in (self.at or "00:00").split(":"))
        local = timezone.localtime(now)
        slot = timezone.make_aware(datetime.combine(local.date(), time(hour, minute)))
        if slot > now:
            slot -= timedelta(days=1)
        return last < slot


def schedules() -> list[Schedule]:
    out = [Schedule(**entry) for entry in settings.KENT_JOB_SCHEDULES]
    for s in out:
        registry.get(s.kind)  # a typo in the table fails loudly, not silently never runs
        if (s.every is None) == (s.at is None):
            raise ValueError(f"schedule {s.name}: give exactly one of 'every' or 'at'")
    return out


def run_due(now: datetime | None = None) -> list[Job]:
    """Enqueue every schedule that is due; returns the jobs enqueued."""
    now = now or timezone.now()
    enqueued = []
    for s in schedules():
        JobSchedule.objects.get_or_create(name=s.name)
        with transaction.atomic():
            row = JobSchedule.objects.select_for_update().get(name=s.name)
            if not s.due(row.last_enqueued_at, now):
                continue
            job = submit(s.kind, None, **s.params)
            row.last_enqueued_at, row.last_job = now, job
            row.save(update_fields=["last_enqueued_at", "last_job"])
        enqueued.append(job)
    return enqueued
