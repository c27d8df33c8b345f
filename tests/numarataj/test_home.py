"""The numarataj officer's home (/numarataj/), the staff home (/calisma/) and the one top bar."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from numarataj.models import NumberingPlan
from numarataj.models.naming import AdlandirmaKarari
from numarataj.services import naming, requests


def _user(name: str, role: str | None = None, **flags) -> User:
    user = User.objects.create_user(name, password="pw", **flags)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def office_queue(ilce, make_csbm, officer):
    """Two open plans and a decided one, one pending and one answered request, naming decisions
    waiting at two steps (and one closed, which waits for nothing)."""
    street = make_csbm("", "sokak", [(0, 500), (400, 500)], numara=1001)
    other = make_csbm("", "sokak", [(0, 600), (400, 600)], numara=1002)
    third = make_csbm("", "sokak", [(0, 700), (400, 700)], numara=1003)
    for durum in (NumberingPlan.Durum.ONERILDI, NumberingPlan.Durum.ONERILDI, NumberingPlan.Durum.REDDEDILDI):
        NumberingPlan.objects.create(tur=NumberingPlan.Tur.SOKAK, ilce=ilce, csbm=street, durum=durum)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    fields = {"kurum": "Ankara 5. İcra Müdürlüğü", "kurum_belge_tarihi": yesterday, "adres_metni": "Alfa Mah. 1001"}
    requests.register(user=officer, kurum_belge_no="A-1", **fields)
    done = requests.register(user=officer, kurum_belge_no="A-2", **fields)
    requests.answer(done, user=officer, yanit_sayi="Y-1", yanit_notu="Kayıtlarda yok.")

    def propose(csbm, ad):
        return naming.propose(user=officer, tur=AdlandirmaKarari.Tur.AD_DEGISIKLIGI, csbm=csbm, yeni_tur="sokak",
                              yeni_ad=ad, oneren="Muhtarlık", gerekce="Deneme", oneri_tarihi=yesterday)
    propose(street, "Lale")
    waiting_council = propose(other, "Gül")
    naming.commission_report(waiting_council, tarih=yesterday, rapor_no="K-1", gorus="olumlu", user=officer)
    closed = propose(third, "Nergis")
    naming.withdraw(closed, tarih=yesterday, gerekce="Vazgeçildi", user=officer)


@pytest.mark.django_db
def test_officer_sees_what_waits_for_the_office(client, officer, office_queue) -> None:
    client.force_login(officer)
    page = client.get("/numarataj/")
    assert page.status_code == 200
    waiting = page.context["waiting"]
    assert (waiting.open_plan_count, waiting.pending_requests, waiting.naming_total) == (2, 1, 2)
    assert {s.durum: s.count for s in waiting.naming} == {"oneri": 1, "komisyon": 1, "meclis": 0, "onaylandi": 0}
    assert page.context["maks_count"] >= 0
    html = page.content.decode()
    for href in ("/numarataj/planlar/", "/numarataj/kararlar/", "/numarataj/tespit/", "/numarataj/maks-uygunluk/",
                 "/numarataj/kart/", "/numarataj/tahakkuk/", "/numarataj/kararlar/?durum=komisyon"):
        assert f'href="{href}"' in html, href
    assert 'data-module="numarataj" aria-current="page"' in html  # the top bar marks the module


@pytest.mark.django_db
def test_maks_count_is_the_conformance_report(client, officer, make_csbm) -> None:
    client.force_login(officer)
    before = client.get("/numarataj/").context["maks_count"]
    make_csbm("Lale", "sokak", [(0, 500), (400, 500)])
    make_csbm("Lale", "sokak", [(0, 800), (400, 800)])  # one name twice in an ilçe breaks a MAKS rule
    assert client.get("/numarataj/").context["maks_count"] > before


@pytest.mark.django_db
def test_home_is_for_staff_only(client, office_queue) -> None:
    anonymous = client.get("/numarataj/")
    assert anonymous.status_code == 302 and anonymous["Location"] == "/accounts/login/?next=/numarataj/"
    client.force_login(_user("kurum1", "Kurum Kullanıcısı"))
    assert client.get("/numarataj/").status_code == 403
    client.force_login(_user("vatandas"))
    assert client.get("/numarataj/").status_code == 403
    client.force_login(_user("cbs1", "CBS Editörü"))  # other staff see the queue, not the officer's pages
    page = client.get("/numarataj/")
    assert page.status_code == 200 and page.context["waiting"].open_plan_count == 2
    assert 'href="/numarataj/kart/"' not in page.content.decode()


@pytest.mark.django_db
def test_staff_land_on_their_home_after_login(client, officer, office_queue) -> None:
    login = client.post("/accounts/login/", {"username": "memur1", "password": "pw"})
    assert login.status_code == 302 and login["Location"] == "/calisma/"
    home = client.get("/calisma/")
    assert home.status_code == 200
    assert home.context["waiting"].open_plan_count == 2 and home.context["waiting"].pending_requests == 1
    html = home.content.decode()
    assert 'data-module="calisma" aria-current="page"' in html and 'href="/numarataj/"' in html
    assert client.get("/").status_code == 302 and client.get("/")["Location"] == "/rehber/"  # the public home


@pytest.mark.django_db
def test_staff_home_sends_others_on(client) -> None:
    assert client.get("/calisma/")["Location"] == "/accounts/login/?next=/calisma/"
    client.force_login(_user("kurum1", "Kurum Kullanıcısı"))
    assert client.get("/calisma/")["Location"] == "/editor/"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/calisma/", "/katmanlar/", "/akilli-kent/", "/tematik-harita/", "/acik-veri/",
                                  "/isler/", "/numarataj/kararlar/"])
def test_one_top_bar_on_every_page(client, path) -> None:
    """Every page shows the same modules for the same user, in the same order."""
    client.force_login(_user("yonetici", "Yönetici", is_staff=True))
    html = client.get(path).content.decode()
    bar = html.split('data-testid="kent-menu"', 1)[1].split("</nav>", 1)[0]
    modules = [part.split('"', 1)[0] for part in bar.split('data-module="')[1:]]
    assert modules == ["calisma", "editor", "katmanlar", "numarataj", "akilli-kent", "tematik-harita", "acik-veri",
                       "isler", "kurum-anahtarlari", "yonetim"]


@pytest.mark.django_db
def test_the_top_bar_shows_only_what_the_user_may_use(client) -> None:
    def modules() -> list[str]:
        html = client.get("/acik-veri/").content.decode()
        bar = html.split('data-testid="kent-menu"', 1)[1].split("</nav>", 1)[0]
        return [part.split('"', 1)[0] for part in bar.split('data-module="')[1:]]
    assert modules() == ["editor", "katmanlar", "acik-veri"]
    client.force_login(_user("kurum1", "Kurum Kullanıcısı"))
    assert modules() == ["editor", "katmanlar", "acik-veri", "isler"]
    client.force_login(_user("memur2", "Numarataj Memuru"))
    assert modules() == ["calisma", "editor", "katmanlar", "numarataj", "akilli-kent", "tematik-harita", "acik-veri",
                         "isler"]
