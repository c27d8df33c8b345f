"""What other code calls: submit a job, and, inside one, report progress, log, and check for a
cancellation. See docs/architecture.md, "Jobs"."""

import shutil
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone

from geo.errors import Conflict, KentError
from geo.models import Job

from . import registry, status

# how often progress() writes and checks the cancel flag, at most (a caller may report every row)
PROGRESS_EVERY_S = 0.5
_last_write: dict[int, float] = {}


class Cancelled(KentError):
    """Raised inside a job when someone asked to cancel it; the job's transaction rolls back."""

    status = 409
    code = "Cancelled"

    def __init__(self, message: str = "İş iptal edildi; hiçbir şey yazılmadı. (The job was cancelled; "
                                      "nothing was written.)") -> None:
        super().__init__(message)


def submit(kind: str, user=None, *, title: str = "", **params: Any) -> Job:
    """Record a job and put it on the task queue; returns at once. `params` must be JSON values."""
    from .runner import run_job  # the task module needs the task backend, only loaded when used

    job_kind = registry.get(kind)
    owner = user if user is not None and user.is_authenticated else None
    job = Job.objects.create(kind=kind, user=owner, params=params,
                             title=(title or job_kind.title.format(**params))[:200])
    try:
        result = run_job.enqueue(job.pk)
    except Exception as e:  # the queue refused it: the job is over before it began
        Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, finished_at=timezone.now(),
                                             error=f"Kuyruğa alınamadı. (Could not be queued.) {e}")
        raise
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)
    return job


def progress(job: Job, done: int, total: int | None = None) -> None:
    """Rows (or steps) done of total. Cheap to call often: it writes at most twice a second, and
    raises Cancelled when a cancellation was asked for, so a loop that reports progress stops."""
    now = time.monotonic()
    if total is None or done < total:
        if now - _last_write.get(job.pk, 0.0) < PROGRESS_EVERY_S:
            return
    _last_write[job.pk] = now
    job.done, job.total = done, total if total is not None else job.total
    status.set_progress(job.pk, done, total)
    raise_if_cancelled(job)


def log(job: Job, line: str) -> None:
    """One line of the job's log, visible at once (and kept if the work rolls back)."""
    stamp = timezone.localtime().strftime("%H:%M:%S")
    status.append_log(job.pk, f"{stamp} {line}")


def cancelled(job: Job) -> bool:
    """True once someone asked to cancel this job."""
    return status.cancel_requested(job.pk)


def raise_if_cancelled(job: Job) -> None:
    if cancelled(job):
        raise Cancelled()


def progress_callback(job: Job) -> Callable[[int, int], None]:
    """A `progress(done, total)` callback for services that take one (the importer, register_io)."""
    return lambda done, total: progress(job, done, total)


def cancelled_callback(job: Job) -> Callable[[], bool]:
    """A `cancelled()` callback for services that poll for a cancellation themselves."""
    return lambda: cancelled(job)


def files_dir(job: Job) -> Path:
    """MEDIA_ROOT/isler/<id>/: the job's result file and its staged upload."""
    return Path(settings.MEDIA_ROOT) / "isler" / str(job.pk)


def attach_file(job: Job, path: Path) -> str:
    """Move a file the job produced into its media folder; the job offers it for download."""
    target = files_dir(job) / Path(path).name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(path), target)
    job.result_file.name = target.relative_to(settings.MEDIA_ROOT).as_posix()
    return job.result_file.name


def request_cancel(job: Job, user) -> Job:
    """Ask a job to stop. A queued job is cancelled at once; a running one stops at its next
    progress or cancel check, and its transaction is rolled back."""
    if job.finished:
        raise Conflict("İş zaten bitti. (The job has already finished.)")
    stamp = timezone.localtime().strftime("%H:%M:%S")
    line = f"{stamp} İptal istendi: {getattr(user, 'username', '') or '—'}. (Cancellation requested.)\n"
    with transaction.atomic():  # outside any job: the request's own connection will do
        Job.objects.filter(pk=job.pk).update(cancel_requested=True, log=Concat(F("log"), Value(line)))
        Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
            state=Job.State.CANCELLED, finished_at=timezone.now(), error=Cancelled().message)
    job.refresh_from_db()
    return job


STALE_MESSAGE = ("İşi yürüten süreç yanıt vermedi (çöktü ya da durduruldu); işin açık işlemi veritabanınca geri "
                 "alındı, hiçbir şey yazılmadı. İşi yeniden başlatın. (The worker running this job stopped — it "
                 "crashed or was killed; the database rolled its transaction back, nothing was written. Submit "
                 "it again.)")


def reap_stale(stale_seconds: float | None = None) -> list[int]:
    """Mark failed the running jobs whose worker stopped sending heartbeats. Such a job is not
    retried: its work died with its transaction, and a person decides whether to run it again."""
    from django_tasks_db.models import DBTaskResult

    limit = timezone.now() - timedelta(seconds=settings.KENT_JOB_STALE_SECONDS if stale_seconds is None
                                       else stale_seconds)
    stale = list(Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=limit).values_list("pk", "task_id"))
    reaped = []
    for pk, task_id in stale:
        if Job.objects.filter(pk=pk, state=Job.State.RUNNING, heartbeat_at__lt=limit).update(
                state=Job.State.FAILED, finished_at=timezone.now(), error=STALE_MESSAGE):
            reaped.append(pk)
            if task_id:
                DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(status="FAILED",
                                                                                  finished_at=timezone.now())
            shutil.rmtree(files_dir(Job(pk=pk)), ignore_errors=True)
    return reaped
