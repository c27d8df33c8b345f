"""The nightly schedule applies naming decisions whose effective date has come: the settings'
table names `apply_naming_decisions`, `run_schedule`'s tick enqueues it, and a real worker
(django-tasks-db, in a subprocess on the test database) writes the new name on the CSBM."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Polygon
from django.utils import timezone

from geo.jobs.schedule import run_due, schedules
from geo.models import Job
from numarataj.models import Csbm, Il, Ilce
from numarataj.models.naming import AdlandirmaKarari
from numarataj.services import naming
from tests.browser.conftest import kent_catalogue, live_data  # noqa: F401  (fixtures, reused)
from tests.jobworker import run_batch

pytestmark = live_data


@pytest.fixture
def media(tmp_path, settings) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_schedule_table_runs_the_naming_decisions_nightly():
    nightly = [s for s in schedules() if s.kind == "apply_naming_decisions"]
    assert len(nightly) == 1 and nightly[0].at


def test_a_due_decision_is_applied_by_the_scheduled_job(media, kent_catalogue):  # noqa: F811
    officer = User.objects.create_user("memur1", password="pw")
    officer.groups.add(Group.objects.get(name="Numarataj Memuru"))
    ilce = Ilce.objects.create(il=Il.objects.create(ad="Ankara", plaka=6), ad="Deneme", geom=MultiPolygon(
        Polygon.from_bbox((32.8, 39.9, 32.9, 40.0)), srid=4326))
    lale = Csbm.objects.create(ilce=ilce, tur="sokak", ad="Lale", geom=MultiLineString(
        LineString((32.83, 39.92), (32.835, 39.92)), srid=4326))
    day = naming.today()
    karar = naming.propose(tur="ad_degisikligi", csbm=lale, yeni_tur="cadde", yeni_ad="İstiklal", oneren="Muhtarlık",
                           gerekce="Talep", oneri_tarihi=day - dt.timedelta(days=40), user=officer)
    karar = naming.commission_report(karar, tarih=day - dt.timedelta(days=30), rapor_no="K-1", gorus="olumlu",
                                     user=officer)
    karar = naming.council_decision(karar, tarih=day - dt.timedelta(days=20), karar_no="2026/9", kabul=21, ret=9,
                                    cekimser=1, tamsayi=31, user=officer)
    karar = naming.approve(karar, makam="valilik", tarih=day - dt.timedelta(days=10), belge_no="E-1",
                           yururluk_tarihi=day + dt.timedelta(days=2), user=officer)
    assert karar.durum == AdlandirmaKarari.Durum.ONAYLANDI
    # two days pass: the effective date is today (the calendar moves, not the decision's record)
    AdlandirmaKarari.objects.filter(pk=karar.pk).update(yururluk_tarihi=day)

    enqueued = run_due(timezone.now())
    assert "apply_naming_decisions" in {j.kind for j in enqueued}
    run_batch(media)
    job = Job.objects.get(kind="apply_naming_decisions")
    assert job.state == "succeeded" and job.result == {"applied": 1, "failed": 0}
    lale.refresh_from_db()
    karar.refresh_from_db()
    assert lale.tam_ad == "İstiklal Caddesi" and karar.durum == AdlandirmaKarari.Durum.YURURLUKTE
