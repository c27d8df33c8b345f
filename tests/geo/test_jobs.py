"""Background jobs with a real django-tasks-db worker in a subprocess on the test database: an
import submitted over HTTP returns at once and completes; progress advances; a cancel stops it
and writes nothing; a worker killed mid-job leaves the job failed, never half-written; the
schedule enqueues a due job once, even with two schedulers at the same moment."""

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from geo import jobs
from geo.jobs.schedule import Schedule, run_due
from geo.jobs.service import STALE_MESSAGE
from geo.models import Change, Feature, Job, JobSchedule, Layer, LayerPermission, Right
from tests.browser.conftest import kent_catalogue, live_data  # noqa: F401  (fixtures, reused)
from tests.jobworker import WorkerProcess, many_points, run_batch, wait_until

pytestmark = live_data
BIG = 30_000  # rows: an import that takes seconds even on a quiet machine: long enough to watch, cancel, kill


@pytest.fixture
def media(tmp_path, settings) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fountains(kent_catalogue) -> Layer:  # noqa: F811
    return Layer.objects.create(slug="cesmeler", title_tr="Çeşmeler", theme_id="KH", geometry_family="point",
                                access_level="public", attribute_schema={"properties": {
                                    "ad": {"type": "string"}, "n": {"type": "integer"}}})


@pytest.fixture
def clerk(fountains) -> User:
    user = User.objects.create_user("memur", password="pw")
    group = Group.objects.get(name="CBS Editörü")
    user.groups.add(group)
    LayerPermission.objects.create(group=group, layer=fountains, right=Right.EDIT_DATA)
    return user


@pytest.fixture
def client(clerk) -> Client:
    c = Client()
    assert c.login(username="memur", password="pw")
    return c


@pytest.fixture
def worker(media, tmp_path):
    w = WorkerProcess(media, tmp_path / "worker.log")
    yield w
    w.stop()


def upload(client: Client, path: Path):
    with path.open("rb") as fh:
        return client.post("/katmanlar/cesmeler/ice-aktar/", {"file": fh})


def job_of(response) -> Job:
    assert response.status_code == 302, response.content[:500]
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    assert response["Location"] == f"/isler/{pk}/"
    return Job.objects.get(pk=pk)


def state(job: Job) -> str:
    job.refresh_from_db()
    return job.state


def test_http_import_returns_at_once_and_the_worker_completes_it(client, media, tmp_path, worker, fountains):
    response = upload(client, many_points(tmp_path / "cesmeler.geojson", 1200))
    job = job_of(response)
    # the request only staged the file and queued the job: nothing of the import is written yet
    # (the worker may already have claimed it, but its transaction cannot have committed)
    assert job.kind == "layer_import" and job.user.username == "memur" and job.task_id
    assert job.state in {"queued", "running"}
    assert not Feature.objects.filter(layer=fountains).exists()

    wait_until(lambda: state(job) in Job.FINISHED)
    assert job.state == "succeeded", job.error
    assert Feature.objects.filter(layer=fountains).count() == 1200
    assert Change.objects.filter(layer=fountains, user__username="memur").count() == 1200
    assert (job.done, job.total, job.result["imported"]) == (1200, 1200, 1200)
    assert not any((media / "isler" / "yuklemeler").iterdir())  # the staged upload is gone

    page = client.get(f"/isler/{job.pk}/").content.decode()
    assert 'id="imported-count">1200<' in page and 'id="job-progress"' in page
    status = client.get(f"/isler/{job.pk}/durum/").json()
    assert status["state"] == "succeeded" and status["percent"] == 100.0
    assert any("1200 kayıt yazıldı" in line for line in status["log"])
    assert f'href="/isler/{job.pk}/"' in client.get("/isler/").content.decode()


def test_progress_advances_while_it_runs(client, tmp_path, worker, fountains):
    job = job_of(upload(client, many_points(tmp_path / "big.geojson", BIG)))
    seen: list[int] = []

    def finished() -> bool:
        status = client.get(f"/isler/{job.pk}/durum/").json()
        if status["state"] == "running" and status["total"]:
            assert status["total"] == BIG
            seen.append(status["done"])
        return status["finished"]

    wait_until(finished, timeout=300, every=0.1)
    assert state(job) == "succeeded", job.error
    steps = sorted(set(d for d in seen if 0 < d < BIG))
    assert len(steps) >= 2, seen          # the page saw it move, more than once, before the end
    assert seen == sorted(seen)           # and never backwards
    assert Feature.objects.filter(layer=fountains).count() == BIG


def test_cancel_stops_it_and_writes_nothing(client, tmp_path, worker, fountains):
    job = job_of(upload(client, many_points(tmp_path / "big.geojson", BIG)))
    wait_until(lambda: 0 < Job.objects.get(pk=job.pk).done < BIG, timeout=120)
    response = client.post(f"/isler/{job.pk}/iptal/")
    assert response.status_code == 302
    wait_until(lambda: state(job) in Job.FINISHED, timeout=120)
    assert job.state == "cancelled" and job.cancel_requested
    assert job.done < BIG and "iptal" in job.error
    assert not Feature.objects.filter(layer=fountains).exists()
    assert not Change.objects.filter(layer=fountains).exists()
    assert any("İptal istendi: memur" in line for line in job.log_lines)
    assert client.post(f"/isler/{job.pk}/iptal/", HTTP_ACCEPT="application/json").status_code == 409


def test_a_queued_job_cancelled_before_it_starts_never_runs(client, media, tmp_path, fountains):
    job = job_of(upload(client, many_points(tmp_path / "p.geojson", 10)))
    client.post(f"/isler/{job.pk}/iptal/")
    assert state(job) == "cancelled"
    run_batch(media)
    assert state(job) == "cancelled" and job.started_at is None
    assert not Feature.objects.filter(layer=fountains).exists()


def test_a_killed_worker_leaves_the_job_failed_and_nothing_written(client, media, tmp_path, fountains):
    doomed = WorkerProcess(media, tmp_path / "doomed.log")
    try:
        job = job_of(upload(client, many_points(tmp_path / "big.geojson", BIG)))
        wait_until(lambda: 0 < Job.objects.get(pk=job.pk).done < BIG, timeout=120)
        doomed.kill()  # SIGKILL mid-job: no handler runs, its connection (and transaction) dies
    finally:
        doomed.stop()
    assert state(job) == "running"           # nobody told the record yet ...
    assert not Feature.objects.filter(layer=fountains).exists()   # ... but nothing was written
    # the next worker start marks it failed once its heartbeat is older than the stale limit
    wait_until(lambda: Job.objects.get(pk=job.pk).heartbeat_at < timezone.now() - timedelta(seconds=1))
    second = WorkerProcess(media, tmp_path / "second.log", KENT_JOB_STALE_SECONDS="1")
    try:
        small = job_of(upload(client, many_points(tmp_path / "small.geojson", 5)))
        wait_until(lambda: state(small) in Job.FINISHED)
    finally:
        second.stop()
    assert small.state == "succeeded", small.error
    assert state(job) == "failed" and job.error == STALE_MESSAGE   # failed, not retried
    assert Feature.objects.filter(layer=fountains).count() == 5       # only the small import's rows


def test_a_refused_import_says_why_and_writes_nothing(client, media, tmp_path, fountains):
    path = tmp_path / "bad.csv"
    path.write_text("ad,n,lon,lat\nBir,1,32.85,39.93\nİki,iki,32.86,39.94\n", encoding="utf-8")
    job = job_of(upload(client, path))
    run_batch(media)
    assert state(job) == "failed" and "1 satır reddedildi" in job.error
    assert job.result["refused"][0]["row"] == 2
    assert not Feature.objects.filter(layer=fountains).exists()
    page = client.get(f"/isler/{job.pk}/").content.decode()
    assert 'id="job-error"' in page and "Reddedilen satırlar" in page


def test_export_job_offers_its_file(client, media, tmp_path, clerk, fountains):
    run_import = jobs.submit("layer_import", clerk, layer="cesmeler",
                             path=str(many_points(tmp_path / "p.geojson", 7)))
    export = jobs.submit("layer_export", clerk, layer="cesmeler", format="csv", crs="EPSG:5254")
    run_batch(media)
    assert state(run_import) == "succeeded" and state(export) == "succeeded", export.error
    response = client.get(f"/isler/{export.pk}/dosya/")
    assert response.status_code == 200 and "cesmeler_epsg5254.csv" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 8 and "Nokta 6" in body
    stranger = User.objects.create_user("baska", password="pw")
    other = Client()
    other.force_login(stranger)
    assert other.get(f"/isler/{export.pk}/durum/").status_code == 403
    assert other.get(f"/isler/{export.pk}/dosya/").status_code == 403
    assert f"/isler/{export.pk}/" not in other.get("/isler/").content.decode()


def test_schedule_enqueues_a_due_job_once(settings, media):
    settings.KENT_JOB_SCHEDULES = [{"name": "bolumler", "kind": "observation_partitions", "every": 3600}]
    now = timezone.now()
    first = run_due(now)
    assert [j.kind for j in first] == ["observation_partitions"]
    assert run_due(now + timedelta(minutes=30)) == []          # not due again yet
    assert JobSchedule.objects.get(name="bolumler").last_job_id == first[0].pk
    # two schedulers at the same moment, once it is due again: one job between them
    later, barrier, results = now + timedelta(hours=2), threading.Barrier(2), []

    def scheduler() -> None:
        from django.db import connection
        try:
            barrier.wait()
            results.append(run_due(later))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    [t.start() for t in threads]
    [t.join(30) for t in threads]
    assert sorted(len(r) for r in results) == [0, 1]
    assert Job.objects.filter(kind="observation_partitions").count() == 2
    run_batch(media)
    assert set(Job.objects.values_list("state", flat=True)) == {"succeeded"}
    from smartcity import partitions
    assert len(partitions.existing()) >= 8   # a week ahead and a day back


def test_daily_schedule_is_due_once_its_time_has_passed() -> None:
    nightly = Schedule(name="yedek", kind="backup", at="02:30")
    tz = timezone.get_current_timezone()
    at = lambda d, h, m: timezone.make_aware(datetime(2026, 3, d, h, m), tz)  # noqa: E731
    assert nightly.due(None, at(5, 12, 0))
    assert not nightly.due(at(5, 2, 31), at(5, 23, 59))    # ran last night: not before 02:30 tomorrow
    assert nightly.due(at(5, 2, 31), at(6, 2, 30))
    assert not nightly.due(at(4, 2, 31), at(5, 1, 0))      # tonight's 02:30 has not come yet
    assert nightly.due(at(3, 2, 31), at(5, 1, 0))          # a missed night runs at the next check
