"""The register import page: upload a zipped MAKS set, see its layers' first rows and the
suggested profile, dry-run it on the page, submit the import as a job and let a real
django-tasks-db worker run it; the export form makes an export job with a file to download."""

import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from geo.models import Job
from numarataj.models import Adres, BagimsizBolum
from tests.browser.conftest import kent_catalogue, live_data  # noqa: F401  (fixtures, reused)
from tests.jobworker import run_batch

from .register_files import district, maks_tables, write_maks_set

pytestmark = live_data


@pytest.fixture
def media(tmp_path, settings) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def officer_client(kent_catalogue) -> Client:  # noqa: F811
    user = User.objects.create_user("memur", password="pw")
    user.groups.add(Group.objects.get_or_create(name="Numarataj Memuru")[0])
    c = Client()
    assert c.login(username="memur", password="pw")
    return c


@pytest.fixture
def maks_zip(tmp_path) -> Path:
    folder = write_maks_set(tmp_path / "set", maks_tables(district()))
    return Path(shutil.make_archive(str(tmp_path / "maks"), "zip", folder))


def job_of(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_upload_preview_dry_run_then_import_as_a_job(officer_client, media, maks_zip):
    with maks_zip.open("rb") as fh:
        page = officer_client.post("/numarataj/kayit-aktarimi/", {"action": "upload", "file": fh})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="preview-YOL"' in html, html[:2000]
    first_street = maks_tables(district())["YOL"].iloc[0]
    assert f"<td>{first_street['CSBM_KODU']}</td>" in html and "<td>Mimar Sinan</td>" in html
    assert "source: YOL" in html and "kod: MAHALLE_KO" in html  # the suggested profile, editable
    token = page.context["token"]
    yaml_text = page.context["yaml"]

    dry = officer_client.post("/numarataj/kayit-aktarimi/", {"action": "dryrun", "token": token, "yaml": yaml_text})
    report = dry.context["report"]
    assert report["layers"]["adres"]["create"] == len(district().adresler)
    assert 'data-testid="dryrun-counts"' in dry.content.decode() and not Adres.objects.exists()

    wrong = yaml_text.replace("source: YOL", "source: YOK")
    broken = officer_client.post("/numarataj/kayit-aktarimi/", {"action": "dryrun", "token": token, "yaml": wrong})
    refused = broken.context["report"]["layers"]["csbm"]["refused"]
    assert refused and "'YOK' katmanı yok" in refused[0]["reason"]

    job = job_of(officer_client.post("/numarataj/kayit-aktarimi/", {"action": "import", "token": token,
                                                                   "yaml": yaml_text}))
    assert job.kind == "register_import" and not Adres.objects.exists()  # queued, not run in the request
    run_batch(media)
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    assert Adres.objects.count() == len(district().adresler) and BagimsizBolum.objects.exists()
    assert job.result["committed"] and job.done == job.total
    assert not (media / "isler" / "yuklemeler" / token).exists()  # the staged upload is gone

    export = job_of(officer_client.post("/numarataj/kayit-aktarimi/", {"action": "export", "format": "csv"}))
    run_batch(media)
    export.refresh_from_db()
    assert export.state == "succeeded", export.error
    assert export.result["katmanlar"]["KAPI"] == len(district().adresler)
    assert (media / export.result_file.name).is_file()
