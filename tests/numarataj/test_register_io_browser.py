"""The register import page in headless Chromium: upload a zipped MAKS set, see the first rows
and the suggested profile, run the dry run, submit the import and watch its job finish."""

import re
import shutil

import pytest
from django.contrib.auth.models import Group, User

from numarataj.models import Adres
from tests.browser.conftest import browser_page, chromium, kent_catalogue, live_data  # noqa: F401
from tests.browser.test_editor import log_in
from tests.jobworker import WorkerProcess

from .register_files import district, maks_tables, write_maks_set

pytestmark = [pytest.mark.browser, live_data]


def test_mapping_page_dry_run_and_import_job(live_server, browser_page, kent_catalogue, tmp_path,  # noqa: F811
                                             settings):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    user = User.objects.create_user("cbs1", password="gizli-parola")  # the user log_in() signs in as
    user.groups.add(Group.objects.get_or_create(name="Numarataj Memuru")[0])
    archive = shutil.make_archive(str(tmp_path / "maks"), "zip", write_maks_set(tmp_path / "set",
                                                                               maks_tables(district())))
    page = browser_page.page
    log_in(page, live_server, "/numarataj/kayit-aktarimi/")
    page.locator("#file").set_input_files(archive)
    page.get_by_role("button", name="Yükle ve eşle").click()
    expect(page.get_by_test_id("preview-YOL")).to_contain_text("Mimar Sinan")
    expect(page.locator("#yaml")).to_have_value(re.compile("source: YOL"))

    page.get_by_test_id("dryrun").click()
    counts = page.get_by_test_id("dryrun-counts")
    expect(counts.locator("tr[data-layer=adres] td").nth(3)).to_have_text(str(len(district().adresler)))
    browser_page.screenshot("register-io-dry-run")
    assert not Adres.objects.exists()

    page.get_by_test_id("import").click()
    page.wait_for_url(lambda url: "/isler/" in url)
    worker = WorkerProcess(settings.MEDIA_ROOT, tmp_path / "worker.log")
    try:
        expect(page.locator("#job-state")).to_have_attribute("data-state", "succeeded", timeout=180_000)
    finally:
        worker.stop()
    assert Adres.objects.count() == len(district().adresler)
    assert browser_page.outside == []
