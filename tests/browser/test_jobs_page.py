"""A job's page in headless Chromium: the progress bar moves while a real worker imports a big
file, then the page shows the finished job's report."""

import pytest
from django.contrib.auth.models import User

from geo import jobs
from geo.models import Layer
from tests.jobworker import WorkerProcess, many_points

from .conftest import live_data
from .test_editor import log_in

pytestmark = [pytest.mark.browser, live_data]
ROWS = 60_000  # big enough that the page, polling each second, sees the bar part way on a quiet machine


def test_job_page_shows_the_progress_bar_moving(live_server, browser_page, kent_catalogue, tmp_path, settings):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    Layer.objects.create(slug="cesmeler", title_tr="Çeşmeler", theme_id="KH", geometry_family="point",
                         access_level="public", attribute_schema={"properties": {"ad": {"type": "string"}}})
    owner = User.objects.create_superuser("cbs1", password="gizli-parola")  # the user log_in() signs in as
    job = jobs.submit("layer_import", owner, layer="cesmeler",
                      path=str(many_points(tmp_path / "p.geojson", ROWS)))
    page = browser_page.page
    log_in(page, live_server, f"/isler/{job.pk}/")
    worker = WorkerProcess(settings.MEDIA_ROOT, tmp_path / "worker.log")
    try:
        bar = page.locator("#job-progress")
        # the bar takes the job's total and a value part way, while the job runs
        expect(bar).to_have_attribute("max", str(ROWS), timeout=120_000)
        page.wait_for_function(
            f"() => {{ const b = document.getElementById('job-progress');"
            f" return b && b.value > 0 && b.value < {ROWS}; }}", timeout=120_000)
        expect(page.locator("#job-state")).to_have_attribute("data-state", "running")
        expect(page.locator("#job-progress-text")).to_contain_text(f"/ {ROWS}")
        browser_page.screenshot("job-progress")
        # the page reloads itself when the job ends and shows the import report
        expect(page.locator("#imported-count")).to_have_text(str(ROWS), timeout=300_000)
        expect(page.locator("#job-state")).to_have_attribute("data-state", "succeeded")
    finally:
        worker.stop()
    assert browser_page.outside == []
