"""The jobs pages: /isler/ (a person's jobs; every job for an administrator) and /isler/<id>/
(progress bar, log, result, download, cancel), the page polling /isler/<id>/durum/ for JSON."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from geo import jobs
from geo.errors import Forbidden
from geo.models import Job

from .responses import json_errors

ADMIN_ROLE = "Yönetici"
PAGE_SIZE = 100


def is_admin(user) -> bool:
    return user.is_superuser or user.groups.filter(name=ADMIN_ROLE).exists()


def _visible(user):
    jobs_qs = Job.objects.select_related("user")
    return jobs_qs if is_admin(user) else jobs_qs.filter(user=user)


def _job_for(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("user"), pk=pk)
    if job.user_id != request.user.pk and not is_admin(request.user):
        raise Forbidden("Bu işi görme yetkiniz yok. (You may not see this job.)")
    return job


def timing(job: Job) -> dict:
    """Elapsed seconds and, while running with a known total, the estimated seconds left."""
    if job.started_at is None:
        return {"elapsed_s": None, "eta_s": None}
    elapsed = ((job.finished_at or timezone.now()) - job.started_at).total_seconds()
    eta = None
    if job.state == Job.State.RUNNING and job.total and 0 < job.done < job.total:
        eta = elapsed * (job.total - job.done) / job.done
    return {"elapsed_s": round(elapsed, 1), "eta_s": round(eta, 1) if eta is not None else None}


def status_dict(job: Job) -> dict:
    percent = round(100 * job.done / job.total, 1) if job.total else (100.0 if job.state == "succeeded" else None)
    return {"id": job.pk, "kind": job.kind, "title": job.title, "state": job.state,
            "state_label": str(job.get_state_display()), "finished": job.finished, "done": job.done,
            "total": job.total, "percent": percent, **timing(job), "log": job.log_lines, "error": job.error,
            "result": job.result, "cancel_requested": job.cancel_requested,
            "file_url": reverse("geo-job-file", args=[job.pk]) if job.result_file else None}


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    rows = list(_visible(request.user)[:PAGE_SIZE])
    return render(request, "geo/jobs/list.html", {"jobs": rows, "all_jobs": is_admin(request.user)})


@login_required
@require_GET
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        job = _job_for(request, pk)
    except Forbidden as e:
        return render(request, "geo/jobs/detail.html", {"error": e}, status=e.status)
    return render(request, "geo/jobs/detail.html", {"job": job, "status": status_dict(job)})


@login_required
@require_GET
@json_errors
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    return JsonResponse(status_dict(_job_for(request, pk)))


@login_required
@require_POST
@json_errors
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.request_cancel(_job_for(request, pk), request.user)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(status_dict(job), status=202)
    return redirect("geo-job", job.pk)


@login_required
@require_GET
@json_errors
def job_file(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    if not job.result_file:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / job.result_file.name
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
