"""An officer logs in in headless Chromium, lands on the staff home, and reaches the numarataj
home through the one top bar, which reads the same on both pages."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from numarataj.models import Il, Ilce, NumberingPlan
from numarataj.services import requests

from .conftest import live_data

pytestmark = [pytest.mark.browser, live_data]


def _bar(page) -> list[str]:
    return page.get_by_test_id("kent-menu").locator("a").evaluate_all("links => links.map(a => a.dataset.module)")


def test_officer_lands_on_the_staff_home_and_reaches_numarataj(live_server, browser_page, kent_catalogue):
    from playwright.sync_api import expect

    officer = User.objects.create_user("memur1", password="gizli-parola", first_name="Mehmet")
    officer.groups.add(Group.objects.get(name="Numarataj Memuru"))
    ilce = Ilce.objects.create(il=Il.objects.create(ad="Ankara", plaka=6), ad="Deneme")
    NumberingPlan.objects.create(tur=NumberingPlan.Tur.ILCE, ilce=ilce)
    requests.register(user=officer, kurum="SGK", kurum_belge_no="S-1", adres_metni="Alfa Mah. 3. Sokak No 5",
                      kurum_belge_tarihi=timezone.localdate() - dt.timedelta(days=1))

    page = browser_page.page
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Kullanıcı adı").fill("memur1")
    page.get_by_label("Parola").fill("gizli-parola")
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/calisma/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Çalışma masası")
    expect(page.get_by_test_id("open-plans")).to_contain_text("1")
    expect(page.get_by_test_id("pending-requests")).to_contain_text("1")
    on_home = _bar(page)
    assert "numarataj" in on_home and "yonetim" not in on_home

    page.get_by_test_id("kent-menu").get_by_role("link", name="Numarataj").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/numarataj/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Numarataj")
    expect(page.get_by_test_id("home-open-plans")).to_contain_text("İlçe geneli")
    expect(page.get_by_test_id("maks-count")).to_be_visible()
    expect(page.get_by_test_id("kent-menu").locator('[aria-current="page"]')).to_have_text("Numarataj")
    assert _bar(page) == on_home
    browser_page.screenshot("staff-home-numarataj")
    assert browser_page.outside == [] and browser_page.broken_assets("/static/") == []
