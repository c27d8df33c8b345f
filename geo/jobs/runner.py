"""The one task the worker runs for every job: look up its kind, run it, record the outcome.

An atomic kind runs in one transaction: a failure, a cancellation or a worker killed mid-job
leaves nothing of the work written (PostgreSQL rolls back the transaction of a dead connection).
A killed worker's job stays `running` until its heartbeat is older than KENT_JOB_STALE_SECONDS;
then the next job a worker starts, or the scheduler's next tick, marks it failed (`reap_stale`).
It is not retried."""

import logging
import shutil
import threading
from contextlib import nullcontext
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from geo.errors import KentError
from geo.models import Job

from . import registry, status
from .service import Cancelled, cancelled, files_dir, log, reap_stale

logger = logging.getLogger(__name__)


class _Heartbeat(threading.Thread):
    """Keeps heartbeat_at fresh while a long step (pg_dump, a render) reports no progress."""

    def __init__(self, job_id: int) -> None:
        super().__init__(daemon=True, name=f"kent-job-{job_id}-heartbeat")
        self.job_id, self.stopped = job_id, threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.KENT_JOB_HEARTBEAT_SECONDS):
                status.heartbeat(self.job_id)
        finally:
            status.close()


def _start(job_id: int) -> Job | None:
    """Claim the queued job; None if it was cancelled (or taken) before it began."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED, cancel_requested=False).update(
        state=Job.State.RUNNING, started_at=now, heartbeat_at=now, worker=status.worker_name())
    return Job.objects.get(pk=job_id) if claimed else None


def _remove_staged(job: Job) -> None:
    """A job's staged input (an uploaded file under MEDIA_ROOT/isler/) goes when the job ends."""
    staged = job.params.get("staged")
    root = (Path(settings.MEDIA_ROOT) / "isler").resolve()
    if staged and root in Path(staged).resolve().parents:
        shutil.rmtree(Path(staged), ignore_errors=True)


def _finish(job: Job, state: str, *, result: dict | None = None, error: str = "") -> None:
    fields = {"state": state, "finished_at": timezone.now(), "error": error}
    if result is not None:
        fields["result"] = result
    if state == Job.State.SUCCEEDED:
        fields["result_file"] = job.result_file.name or ""
        if job.total is not None:
            fields["done"] = job.total
    Job.objects.filter(pk=job.pk).update(**fields)


def execute(job: Job) -> None:
    """Run a claimed job in this process and record how it ended."""
    kind = registry.get(job.kind)
    beat = _Heartbeat(job.pk)
    beat.start()
    try:
        log(job, "Başladı. (Started.)")
        with transaction.atomic() if kind.atomic else nullcontext():
            report = kind.func(job, **job.params)
            if cancelled(job):
                raise Cancelled()
    except Cancelled as e:
        log(job, e.message)
        _finish(job, Job.State.CANCELLED, error=e.message)
        shutil.rmtree(files_dir(job), ignore_errors=True)
    except BaseException as e:
        if isinstance(e, KentError) and cancelled(job):
            message, state = Cancelled().message, Job.State.CANCELLED
        elif isinstance(e, KentError):
            message, state = e.message, Job.State.FAILED
        else:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            message, state = f"Beklenmeyen hata, hiçbir şey yazılmadı. (Unexpected error, nothing was written.) " \
                             f"{type(e).__name__}: {e}", Job.State.FAILED
        log(job, message)
        report = getattr(e, "report", None)
        _finish(job, state, error=message, result=report.as_dict() if hasattr(report, "as_dict") else None)
        shutil.rmtree(files_dir(job), ignore_errors=True)
        if not isinstance(e, Exception):
            raise  # SystemExit, KeyboardInterrupt: the worker is stopping
    else:
        log(job, "Tamamlandı. (Finished.)")
        _finish(job, Job.State.SUCCEEDED, result=report or {})
    finally:
        beat.stopped.set()
        _remove_staged(job)
        status.close()


@task
def run_job(job_id: int) -> str:
    """The task the queue holds for each Job; returns the job's final state."""
    reap_stale()
    job = _start(job_id)
    if job is None:
        return Job.objects.filter(pk=job_id).values_list("state", flat=True).first() or "missing"
    execute(job)
    return Job.objects.get(pk=job_id).state
