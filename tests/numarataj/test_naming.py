"""Street naming: the state machine, the full-council quorum, duplicate names, applying a name to the
CSBM with its history and a geo Change row, and the public/officer pages."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from geo.errors import Conflict, InvalidInput
from geo.models import Change
from numarataj.models import Csbm
from numarataj.models.naming import AdlandirmaKarari, CsbmAdGecmisi, KararAdimi
from numarataj.services import naming
from tests.numarataj.test_naming_ui import pdf_bytes, upload

D = AdlandirmaKarari.Durum
TODAY = dt.date.today()


def days_ago(n: int) -> dt.date:
    return naming.today() - dt.timedelta(days=n)


@pytest.fixture
def lale(make_csbm) -> Csbm:
    """An existing street, 'Lale Sokak', to rename."""
    return make_csbm("Lale", "sokak", [(100, 200), (400, 200)])


@pytest.fixture
def new_street(ilce, mahalle, line, officer):
    """Propose a name for a new street (the centreline lies inside mahalle Alfa, crossing nothing)."""
    def make(ad: str = "Çiçek", tur: str = "sokak", y: float = 500, **kw) -> AdlandirmaKarari:
        kw.setdefault("oneri_tarihi", days_ago(40))
        return naming.propose(tur="ad_verme", yeni_tur=tur, yeni_ad=ad, ilce=ilce, geom=line([(100, y), (400, y)]),
                              mahalleler=[mahalle], oneren="Meclis üyesi Ayşe Yılmaz", gerekce="Yeni açılan yol",
                              user=officer, **kw)
    return make


@pytest.fixture
def rename(officer):
    def make(csbm: Csbm, ad: str = "İstiklal", tur: str = "cadde") -> AdlandirmaKarari:
        return naming.propose(tur="ad_degisikligi", csbm=csbm, yeni_tur=tur, yeni_ad=ad, oneren="Muhtarlık",
                              gerekce="Halkın talebi", oneri_tarihi=days_ago(40), user=officer)
    return make


def step(karar: AdlandirmaKarari, key: str, user, **overrides) -> AdlandirmaKarari:
    """Perform one step with valid data (overridable)."""
    args = {
        "komisyon": lambda: naming.commission_report(karar, tarih=days_ago(30), rapor_no="K-12", gorus="olumlu",
                                                     user=user),
        "meclis": lambda: naming.council_decision(karar, user=user, **({
            "tarih": days_ago(20), "karar_no": "2025/88", "kabul": 25, "ret": 3, "cekimser": 1, "tamsayi": 31}
            | overrides)),
        "onay": lambda: naming.approve(karar, makam="kaymakamlik", tarih=days_ago(10), belge_no="E-555", user=user),
        "reddet": lambda: naming.reject(karar, tarih=days_ago(5), gerekce="Uygun görülmedi", user=user),
        "geri_cek": lambda: naming.withdraw(karar, tarih=days_ago(5), gerekce="Öneren geri çekti", user=user),
        "yururluk": lambda: naming.take_effect(karar, user=user),
    }
    return args[key]()


def run(karar: AdlandirmaKarari, keys: list[str], user) -> AdlandirmaKarari:
    for key in keys:
        karar = step(karar, key, user)
    return karar


# --- the happy paths --------------------------------------------------------------------------------

def test_naming_a_new_street_creates_the_csbm_with_history_and_a_change(new_street, officer):
    karar = run(new_street(), ["komisyon", "meclis", "onay"], officer)
    assert karar.durum == D.YURURLUKTE  # approval dated in the past: applied at once
    csbm = karar.csbm
    assert (csbm.tur, csbm.ad, csbm.numara, csbm.tam_ad) == ("sokak", "Çiçek", None, "Çiçek Sokak")
    history = CsbmAdGecmisi.objects.get(csbm=csbm)
    assert (history.degisiklik, history.eski_ad, history.yeni_ad) == ("ad_verme", "", "Çiçek")
    assert history.gecerlilik_baslangic == days_ago(10) and history.gecerlilik_bitis is None
    change = Change.objects.get(model="numarataj.Csbm", object_id=str(csbm.pk))
    assert change.action == "create" and change.user == officer and "2025/88" in change.comment
    assert list(karar.adimlar.values_list("sonraki", flat=True)) == [
        D.ONERI, D.KOMISYON, D.MECLIS, D.ONAYLANDI, D.YURURLUKTE]


def test_renaming_updates_the_csbm_keeps_the_old_name_and_records_the_change(lale, rename, officer, make_yapi, pt):
    from numarataj.models import Adres
    door = Adres.objects.create(csbm=lale, kapi_no="3", geom=pt(150, 210))
    karar = run(rename(lale), ["komisyon", "meclis", "onay"], officer)
    lale.refresh_from_db()
    assert lale.tam_ad == "İstiklal Caddesi" and karar.durum == D.YURURLUKTE
    row = lale.ad_gecmisi.get()
    assert (row.eski_tam_ad, row.yeni_tam_ad, row.karar) == ("Lale Sokak", "İstiklal Caddesi", karar)
    change = Change.objects.get(model="numarataj.Csbm", object_id=str(lale.pk))
    assert change.action == "update" and change.user == officer
    assert (change.before["ad"], change.after["ad"]) == ("Lale", "İstiklal")
    # the address keeps its street-name history through the CSBM
    assert naming.name_on(door.csbm, days_ago(11)) == "Lale Sokak"
    assert naming.name_on(door.csbm, days_ago(10)) == "İstiklal Caddesi"


def test_a_future_effective_date_waits_for_the_command(lale, rename, officer):
    karar = run(rename(lale, ad="Gül", tur="sokak"), ["komisyon", "meclis"], officer)
    karar = naming.approve(karar, makam="valilik", tarih=days_ago(1), belge_no="V-1",
                           yururluk_tarihi=naming.today() + dt.timedelta(days=30), user=officer)
    assert karar.durum == D.ONAYLANDI
    call_command("apply_naming_decisions")
    lale.refresh_from_db()
    assert lale.ad == "Lale"  # not yet
    with pytest.raises(Conflict, match="henüz gelmedi"):
        naming.take_effect(karar)
    # the date arrives
    AdlandirmaKarari.objects.filter(pk=karar.pk).update(yururluk_tarihi=naming.today())
    call_command("apply_naming_decisions")
    lale.refresh_from_db()
    assert lale.tam_ad == "Gül Sokak"
    change = Change.objects.get(model="numarataj.Csbm", object_id=str(lale.pk))
    assert change.user == officer  # attributed to whoever recorded the approval
    assert AdlandirmaKarari.objects.get(pk=karar.pk).durum == D.YURURLUKTE


def test_second_rename_closes_the_first_names_period(lale, rename, officer):
    run(rename(lale, ad="Gül", tur="sokak"), ["komisyon", "meclis", "onay"], officer)
    lale.refresh_from_db()
    second = rename(lale, ad="Menekşe", tur="sokak")
    run(second, ["komisyon", "meclis"], officer)
    naming.approve(AdlandirmaKarari.objects.get(pk=second.pk), makam="kaymakamlik", tarih=days_ago(2),
                   belge_no="E-2", user=officer)
    rows = list(lale.ad_gecmisi.order_by("gecerlilik_baslangic"))
    assert [(r.yeni_ad, r.gecerlilik_bitis) for r in rows] == [("Gül", days_ago(2)), ("Menekşe", None)]
    assert naming.name_on(lale, days_ago(50)) == "Lale Sokak"
    assert naming.name_on(lale, days_ago(5)) == "Gül Sokak"


# --- illegal transitions ----------------------------------------------------------------------------

ILLEGAL = [
    ([], "meclis"),  # Meclis decision before the commission report
    ([], "onay"),
    (["komisyon"], "onay"),  # approval before the council
    (["komisyon"], "komisyon"),
    (["reddet"], "komisyon"),
    (["komisyon", "reddet"], "meclis"),
    (["komisyon", "meclis", "reddet"], "onay"),  # approval after rejection
    (["komisyon", "meclis", "reddet"], "geri_cek"),
    (["geri_cek"], "komisyon"),  # any step after withdrawal
    (["geri_cek"], "meclis"),
    (["geri_cek"], "onay"),
    (["geri_cek"], "reddet"),
    (["geri_cek"], "geri_cek"),
    (["geri_cek"], "yururluk"),
    (["komisyon", "meclis", "onay"], "reddet"),  # an approved decision is final
    (["komisyon", "meclis", "onay"], "geri_cek"),
    (["komisyon", "meclis", "onay"], "yururluk"),  # already in effect
    (["komisyon", "meclis"], "yururluk"),  # in effect without the mülki amir
]


@pytest.mark.parametrize(("done", "attempt"), ILLEGAL, ids=[f"{'+'.join(d) or 'oneri'}->{a}" for d, a in ILLEGAL])
def test_illegal_transition_is_refused(new_street, officer, done, attempt):
    karar = run(new_street(), done, officer)
    state, steps = karar.durum, KararAdimi.objects.count()
    with pytest.raises(Conflict) as e:
        step(karar, attempt, officer)
    assert "durumunda" in e.value.message and e.value.status == 409
    karar.refresh_from_db()
    assert karar.durum == state and KararAdimi.objects.count() == steps


def test_rejection_records_the_stage(new_street, officer):
    karar = run(new_street(), ["komisyon", "meclis", "reddet"], officer)
    assert (karar.durum, karar.kapanis_asamasi) == (D.REDDEDILDI, D.MECLIS)
    assert not Csbm.objects.filter(ad="Çiçek").exists()


def test_dates_cannot_go_backwards_or_into_the_future(new_street, officer):
    karar = new_street()
    with pytest.raises(InvalidInput, match="önce olamaz"):
        naming.commission_report(karar, tarih=days_ago(41), rapor_no="K", gorus="olumlu", user=officer)
    with pytest.raises(InvalidInput, match="ileri bir tarih"):
        naming.commission_report(karar, tarih=naming.today() + dt.timedelta(days=1), rapor_no="K", gorus="olumlu",
                                 user=officer)
    karar.refresh_from_db()
    assert karar.durum == D.ONERI


# --- quorum of the full council ------------------------------------------------------------------------

@pytest.mark.parametrize(("tamsayi", "refused", "accepted"), [(30, 15, 16), (31, 15, 16), (45, 22, 23)])
def test_naming_needs_more_than_half_of_the_full_council(new_street, officer, tamsayi, refused, accepted):
    karar = step(new_street(), "komisyon", officer)
    with pytest.raises(InvalidInput) as e:
        step(karar, "meclis", officer, kabul=refused, ret=0, cekimser=0, tamsayi=tamsayi)
    assert e.value.detail["reason"] == "quorum" and e.value.detail["required"] == accepted
    assert "salt çoğunluk" in e.value.message
    karar.refresh_from_db()
    assert karar.durum == D.KOMISYON
    assert step(karar, "meclis", officer, kabul=accepted, ret=0, cekimser=0, tamsayi=tamsayi).durum == D.MECLIS


@pytest.mark.parametrize(("tamsayi", "refused", "accepted"), [(30, 19, 20), (31, 20, 21), (33, 21, 22)])
def test_renaming_needs_two_thirds_of_the_full_council(lale, rename, officer, tamsayi, refused, accepted):
    karar = step(rename(lale), "komisyon", officer)
    with pytest.raises(InvalidInput, match="üçte iki"):
        step(karar, "meclis", officer, kabul=refused, ret=tamsayi - refused, cekimser=0, tamsayi=tamsayi)
    assert step(karar, "meclis", officer, kabul=accepted, ret=0, cekimser=0, tamsayi=tamsayi).durum == D.MECLIS


def test_votes_must_fit_the_council(new_street, officer):
    karar = step(new_street(), "komisyon", officer)
    with pytest.raises(InvalidInput, match="aşıyor"):
        step(karar, "meclis", officer, kabul=20, ret=10, cekimser=2, tamsayi=31)
    with pytest.raises(InvalidInput):
        step(karar, "meclis", officer, kabul=-1, ret=0, cekimser=0, tamsayi=31)


# --- names -----------------------------------------------------------------------------------------------

def test_duplicate_name_in_the_ilce_is_refused_with_the_reason(make_csbm, new_street):
    existing = make_csbm("Çiçek", "sokak", [(100, 800), (400, 800)])
    with pytest.raises(Conflict) as e:
        new_street(ad="ÇİÇEK")  # Turkish case folding: the same name
    assert e.value.detail == {"reason": "duplicate_csbm", "csbm": existing.pk}
    assert "bu ilçede zaten kullanılıyor: 'Çiçek Sokak'" in e.value.message
    assert new_street(ad="Çiçek", tur="cadde").yeni_tam_ad == "Çiçek Caddesi"  # another kind is another name


def test_name_pending_in_another_decision_is_refused_until_that_one_closes(new_street, officer):
    first = new_street(ad="Gül")
    with pytest.raises(Conflict) as e:
        new_street(ad="gül", y=600)
    assert e.value.detail["reason"] == "duplicate_pending" and e.value.detail["karar"] == first.pk
    step(first, "geri_cek", officer)
    assert new_street(ad="gül", y=600).durum == D.ONERI


def test_a_csbm_has_one_active_decision(lale, rename):
    rename(lale)
    with pytest.raises(Conflict, match="süren bir karar"):
        rename(lale, ad="Menekşe", tur="sokak")


@pytest.mark.parametrize(("fields", "message"), [
    ({"yeni_ad": "Çiçek", "yeni_numara": 1203}, "ikisi birden"),
    ({"yeni_ad": "", "yeni_numara": None}, "adı ya da numarası"),
    ({"yeni_tur": "meydan", "yeni_ad": "", "yeni_numara": 5}, "Meydan"),
    ({"yeni_ad": "Çiçek Sokak"}, "tür eki olmadan"),
    ({"yeni_ad": "", "yeni_numara": 0}, "1 ya da daha büyük"),
])
def test_bad_designation_is_refused(ilce, line, officer, fields, message):
    data = {"tur": "ad_verme", "yeni_tur": "sokak", "yeni_ad": "Çiçek", "yeni_numara": None, "ilce": ilce,
            "geom": line([(100, 500), (400, 500)]), "oneren": "X", "gerekce": "Y", "user": officer} | fields
    with pytest.raises(InvalidInput, match=message):
        naming.propose(**data)
    assert not AdlandirmaKarari.objects.exists()


def test_new_street_outside_its_mahalle_is_refused_at_the_proposal(new_street, line, ilce, officer):
    with pytest.raises(InvalidInput, match="mahalle"):
        naming.propose(tur="ad_verme", yeni_tur="sokak", yeni_ad="Uzak", ilce=ilce, oneren="X", gerekce="Y",
                       geom=line([(100, 500), (1900, 500), (3000, 2000)]), user=officer)


def test_rename_to_the_same_name_is_refused(lale, rename):
    with pytest.raises(InvalidInput, match="aynı"):
        rename(lale, ad="LALE", tur="sokak")


# --- pages and JSON -----------------------------------------------------------------------------------

def test_public_list_and_detail_show_no_personal_data(client, new_street):
    karar = new_street()
    page = client.get("/numarataj/kararlar/")
    assert page.status_code == 200 and "Çiçek Sokak" in page.content.decode()
    assert "Ayşe Yılmaz" not in page.content.decode()
    detail = client.get(f"/numarataj/kararlar/{karar.pk}/")
    assert detail.status_code == 200 and "Ayşe Yılmaz" not in detail.content.decode()
    assert 'data-testid="adim-komisyon"' not in detail.content.decode()
    data = client.get(f"/api/numarataj/kararlar/{karar.pk}/").json()
    assert data["yeni_ad"] == "Çiçek Sokak" and "oneren" not in data and "adimlar" not in data


def test_officer_drives_the_steps_by_json_and_forms(client, new_street, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the page's council step stores the decision's PDF
    karar = new_street()
    client.force_login(officer)
    bad = client.post(f"/api/numarataj/kararlar/{karar.pk}/meclis/", {"tarih": str(days_ago(1)), "karar_no": "1",
                      "kabul": 20, "ret": 0, "cekimser": 0, "tamsayi": 31}, content_type="application/json")
    assert bad.status_code == 409 and bad.json()["code"] == "Conflict"
    ok = client.post(f"/api/numarataj/kararlar/{karar.pk}/komisyon/",
                     {"tarih": str(days_ago(30)), "rapor_no": "K-1", "gorus": "olumsuz"},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["durum"] == "komisyon" and ok.json()["oneren"]
    short = client.post(f"/api/numarataj/kararlar/{karar.pk}/meclis/", {"tarih": str(days_ago(20)), "karar_no": "9",
                        "kabul": 15, "ret": 15, "cekimser": 0, "tamsayi": 30}, content_type="application/json")
    assert short.status_code == 400 and short.json()["detail"]["reason"] == "quorum"
    form = client.post(f"/numarataj/kararlar/{karar.pk}/meclis/", {"tarih": str(days_ago(20)), "karar_no": "9",
                       "kabul": 16, "ret": 14, "cekimser": 0, "tamsayi": 30,
                                                              "belge": upload(pdf_bytes("Meclis karari 9"))})
    assert form.status_code == 302
    karar.refresh_from_db()
    assert karar.durum == D.MECLIS and karar.meclis_karar_no == "9"
    page = client.get(f"/numarataj/kararlar/{karar.pk}/").content.decode()
    assert "Ayşe Yılmaz" in page and 'data-testid="adim-onay"' in page


def test_steps_are_for_officers_only(client, new_street):
    karar = new_street()
    url = f"/api/numarataj/kararlar/{karar.pk}/komisyon/"
    body = {"tarih": str(days_ago(30)), "rapor_no": "K-1", "gorus": "olumlu"}
    assert client.post(url, body, content_type="application/json").status_code == 401
    editor = User.objects.create_user("editor", password="pw")
    editor.groups.add(Group.objects.get(name="CBS Editörü"))
    client.force_login(editor)
    assert client.post(url, body, content_type="application/json").status_code == 403
    karar.refresh_from_db()
    assert karar.durum == D.ONERI


def test_json_proposal_with_both_name_and_number_is_refused(client, officer, ilce):
    client.force_login(officer)
    geom = {"type": "LineString", "coordinates": [[32.85, 39.92], [32.851, 39.92]]}
    r = client.post("/api/numarataj/kararlar/", {"tur": "ad_verme", "yeni_tur": "sokak", "yeni_ad": "Çiçek",
                    "yeni_numara": 1203, "ilce": ilce.pk, "geom": geom, "oneren": "X", "gerekce": "Y"},
                    content_type="application/json")
    assert r.status_code == 400 and "ikisi birden" in r.json()["description"]


def test_csbm_page_shows_the_name_history(client, lale, rename, officer):
    karar = run(rename(lale), ["komisyon", "meclis", "onay"], officer)
    page = client.get(f"/numarataj/csbm/{lale.pk}/").content.decode()
    assert "İstiklal Caddesi" in page and "Lale Sokak" in page and "2025/88" in page
    data = client.get(f"/api/numarataj/csbm/{lale.pk}/ad-gecmisi/").json()
    assert data["gecmis"][0]["eski_ad"] == "Lale Sokak" and data["gecmis"][0]["karar"] == karar.pk


def test_required_votes_table():
    assert [naming.required_votes("ad_verme", n) for n in (30, 31, 11)] == [16, 16, 6]
    assert [naming.required_votes("ad_degisikligi", n) for n in (30, 31, 32, 33, 11)] == [20, 21, 22, 22, 8]


def test_admin_proposal_goes_through_the_service(client, officer, lale, make_csbm):
    make_csbm("Gül", "sokak", [(100, 800), (400, 800)])
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    url = "/admin/numarataj/adlandirmakarari/add/"
    assert client.get(url).status_code == 200
    form = {"tur": "ad_degisikligi", "ilce": lale.ilce_id, "csbm": lale.pk, "yeni_tur": "sokak", "yeni_ad": "GÜL",
            "oneren": "Muhtarlık", "gerekce": "Talep", "oneri_tarihi": str(days_ago(3))}
    refused = client.post(url, form)
    assert refused.status_code == 200 and "zaten kullanılıyor" in refused.content.decode()
    assert client.post(url, form | {"yeni_ad": "Papatya"}).status_code == 302
    karar = AdlandirmaKarari.objects.get()
    assert (karar.yeni_tam_ad, karar.eski_tam_ad, karar.durum) == ("Papatya Sokak", "Lale Sokak", D.ONERI)
    assert karar.adimlar.get().kullanici == officer
    # once saved, the admin shows it read-only: no field edit can skip a step
    page = client.get(f"/admin/numarataj/adlandirmakarari/{karar.pk}/change/")
    assert page.status_code == 200 and 'name="durum"' not in page.content.decode()


def test_the_officers_step_forms_speak_english_when_chosen(client, new_street, officer, compiled):
    """The step buttons and their fields' labels are marked for translation."""
    karar = new_street()
    client.force_login(officer)
    client.post("/i18n/setlang/", {"language": "en"})
    page = client.get(f"/numarataj/kararlar/{karar.pk}/").content.decode()
    for english in ("Record the committee report", "Report date", "Committee&#x27;s opinion", "Close as withdrawn"):
        assert english in page, english
    assert "Komisyon raporunu kaydet" not in page and "Rapor tarihi" not in page
    client.post("/i18n/setlang/", {"language": "tr"})
    page = client.get(f"/numarataj/kararlar/{karar.pk}/").content.decode()
    assert "Komisyon raporunu kaydet" in page and "Rapor tarihi" in page
