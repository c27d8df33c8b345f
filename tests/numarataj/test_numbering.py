"""The numbering engine's rules on small hand-built streets (metres, see conftest), plan approval,
rejection and revert, inner doors, and the whole imported Ankara district."""

import pytest

from geo.errors import Conflict
from geo.models import Change
from geo.services import history
from numarataj.models import Adres, Arsa, BagimsizBolum, KapiNoGecmisi, NumberingPlan, Site
from numarataj.services import ic_kapi, numbering, plans
from numarataj.services.rules import MaksViolation


@pytest.fixture
def west_centre(ilce, pt):
    """Direction centre west of everything, so a west->east street starts at its west end."""
    ilce.yon_merkezi = pt(-500, 500)
    ilce.save()
    return ilce


@pytest.fixture
def gul(make_csbm, west_centre):
    """Gül Sokak, drawn west -> east along y = 500."""
    return make_csbm("Gül", "sokak", [(100, 500), (900, 500)])


def proposed(plan: NumberingPlan) -> dict[int, str]:
    """yapi id -> proposed number."""
    return {i.yapi_id: i.onerilen_no for i in plan.kalemler.all() if i.yapi_id}


# ---- sides, order, start ---------------------------------------------------------------------

def test_left_is_odd_right_is_even_in_order_along_the_line(gul, make_yapi, officer):
    north = [make_yapi(x, 520) for x in (600, 200, 400)]  # created out of order on purpose
    south = [make_yapi(x, 480) for x in (500, 300)]
    plan = numbering.plan_street(gul, user=officer)
    got = proposed(plan)
    assert [got[y.pk] for y in north] == ["5", "1", "3"]
    assert [got[y.pk] for y in south] == ["4", "2"]
    sides = {i.yapi_id: i.taraf for i in plan.kalemler.all()}
    assert sides[north[0].pk] == "sol" and sides[south[0].pk] == "sag"
    assert plan.durum == "onerildi" and not Adres.objects.exists()  # a plan writes nothing


def test_start_is_the_end_nearer_the_direction_centre(make_csbm, ilce, pt, make_yapi, officer):
    ilce.yon_merkezi = pt(1900, 500)  # east: the street is walked east -> west
    ilce.save()
    street = make_csbm("Gül", "sokak", [(100, 500), (900, 500)])
    north = [make_yapi(x, 520) for x in (200, 400, 600)]
    got = proposed(numbering.plan_street(street, user=officer))
    assert [got[y.pk] for y in north] == ["6", "4", "2"]  # north is on the right walking west


def test_default_direction_centre_is_the_ilce_centroid(make_csbm, make_yapi, officer):
    street = make_csbm("Gül", "sokak", [(100, 500), (900, 500)])  # centroid (1000, 500): east end
    north = make_yapi(800, 520)
    assert proposed(numbering.plan_street(street, user=officer))[north.pk] == "2"


def test_a_sokak_starts_at_its_junction_with_a_cadde(make_csbm, west_centre, make_yapi, officer):
    make_csbm("Atatürk", "cadde", [(900, 0), (900, 1000)])
    sokak = make_csbm("Gül", "sokak", [(100, 500), (900, 500)])  # meets the cadde at its east end
    north = [make_yapi(x, 520) for x in (200, 800)]
    plan = numbering.plan_street(sokak, user=officer)
    assert [proposed(plan)[y.pk] for y in north] == ["4", "2"]  # junction beats the direction centre
    assert "cadde" in plan.ozet["sokaklar"][0]["neden"]


def test_bulvar_junction_beats_cadde_junction_and_caddes_follow_the_centre(make_csbm, west_centre, make_yapi,
                                                                           officer):
    make_csbm("Atatürk", "bulvar", [(900, 0), (900, 1000)])
    cadde = make_csbm("İnönü", "cadde", [(100, 0), (100, 1000)])
    sokak = make_csbm("Gül", "sokak", [(100, 500), (900, 500)])
    y = make_yapi(800, 520)
    assert proposed(numbering.plan_street(sokak, user=officer))[y.pk] == "2"  # from the bulvar (east)
    ws = numbering.Workspace(cadde.ilce)
    start, reason = numbering.choose_start(ws, ws.streets[cadde.pk])  # a cadde ignores junctions
    assert "yön merkezi" in reason


def test_meydan_is_numbered_clockwise_from_its_start(make_csbm, ilce, pt, make_yapi, officer):
    ilce.yon_merkezi = pt(500, 900)  # north: the meydan starts at its northern point
    ilce.save()
    meydan = make_csbm("Cumhuriyet", "meydan", [(450, 450), (550, 450), (550, 550), (450, 550), (450, 450)])
    w, s, e, n = make_yapi(420, 500), make_yapi(500, 420), make_yapi(580, 500), make_yapi(500, 580)
    got = proposed(numbering.plan_street(meydan, user=officer))
    assert [got[y.pk] for y in (n, e, s, w)] == ["1", "2", "3", "4"]


def test_buildings_of_a_site_share_its_number_with_letters_from_the_left(gul, box, pt, make_yapi, mahalle,
                                                                         officer):
    before, after = make_yapi(200, 520), make_yapi(600, 520)
    Site.objects.create(ad="Lale Sitesi", mahalle=mahalle, csbm=gul, geom=box(300, 510, 500, 700),
                        giris=pt(400, 510))
    west, middle, east = make_yapi(330, 600), make_yapi(400, 680), make_yapi(470, 600)
    got = proposed(numbering.plan_street(gul, user=officer))
    assert got[before.pk] == "1" and got[after.pk] == "5"
    assert [got[y.pk] for y in (west, middle, east)] == ["3A", "3B", "3C"]  # facing in: left first
    plans.approve(numbering.plan_street(gul, user=officer), user=officer)
    newcomer = make_yapi(400, 600)  # a new block in the site takes the next letter
    assert proposed(numbering.plan_infill(newcomer, user=officer)) == {newcomer.pk: "3D"}


def test_a_start_pinned_by_the_officer_wins(gul, pt, make_yapi, officer):
    gul.baslangic, gul.baslangic_sabit = pt(900, 500), True  # the east end, against the direction centre
    gul.save()
    north = make_yapi(200, 520)
    plan = numbering.plan_street(gul, user=officer)
    assert proposed(plan)[north.pk] == "2" and "sabit" in plan.ozet["sokaklar"][0]["neden"]


def test_an_empty_plot_reserves_numbers(gul, box, make_yapi, mahalle, officer):
    first = make_yapi(200, 520)
    arsa = Arsa.objects.create(csbm=gul, mahalle=mahalle, ada="101", parsel="7", geom=box(280, 505, 340, 560),
                               ayrilacak_adet=2)
    after = make_yapi(400, 520)
    plan = numbering.plan_street(gul, user=officer)
    assert proposed(plan)[first.pk] == "1" and proposed(plan)[after.pk] == "7"
    assert plan.kalemler.get(arsa=arsa).onerilen_no == "3,5"
    plans.approve(plan, user=officer)
    arsa.refresh_from_db()
    assert arsa.ayrilan_nolar == "3,5"


def test_a_plot_with_a_building_on_it_reserves_nothing(gul, box, make_yapi, mahalle, officer):
    Arsa.objects.create(csbm=gul, mahalle=mahalle, geom=box(280, 505, 340, 560), ayrilacak_adet=3)
    on_plot, after = make_yapi(310, 530), make_yapi(400, 520)
    got = proposed(numbering.plan_street(gul, user=officer))
    assert (got[on_plot.pk], got[after.pk]) == ("1", "3")


# ---- infill ------------------------------------------------------------------------------------

@pytest.fixture
def numbered_street(gul, make_yapi, officer):
    """Gül Sokak with 1, 3, 5 (north) and 2 (south), approved."""
    for x in (200, 400, 600):
        make_yapi(x, 520)
    make_yapi(300, 480)
    plans.approve(numbering.plan_street(gul, user=officer), user=officer)
    return gul


def test_infill_takes_a_letter_and_leaves_the_neighbours_alone(numbered_street, make_yapi, officer):
    before = dict(Adres.objects.values_list("pk", "kapi_no"))
    new = make_yapi(300, 520)  # between 1 and 3
    plan = numbering.plan_infill(new, user=officer)
    assert plan.tur == "ara" and proposed(plan) == {new.pk: "1A"}
    plans.approve(plan, user=officer)
    assert {pk: no for pk, no in Adres.objects.values_list("pk", "kapi_no") if pk in before} == before
    assert Adres.objects.get(yapi=new).kapi_no == "1A"
    second = make_yapi(350, 520)  # between 1A and 3
    assert proposed(numbering.plan_infill(second, user=officer)) == {second.pk: "1B"}


def test_infill_after_the_last_and_between_gapped_numbers(numbered_street, make_yapi, officer):
    last = make_yapi(800, 520)
    assert proposed(numbering.plan_infill(last, user=officer)) == {last.pk: "7"}
    south = make_yapi(700, 480)
    assert proposed(numbering.plan_infill(south, user=officer)) == {south.pk: "4"}


def test_infill_rule_table():
    used = {"15", "19", "15A", "15B"}
    assert numbering.infill_label(1, [(10, "15"), (30, "19")], 20, used) == "17"
    assert numbering.infill_label(1, [(10, "15"), (30, "17")], 20, {"15", "17"}) == "15A"
    assert numbering.infill_label(1, [(10, "15A"), (30, "17")], 20, {"15", "15A", "17"}) == "15B"
    assert numbering.infill_label(1, [(10, "17A")], 20, {"17A", "17"}) == "19"
    assert numbering.infill_label(1, [(30, "5")], 20, {"5"}) == "3"
    assert numbering.infill_label(-1, [], 20, set()) == "2"
    with pytest.raises(Conflict):
        numbering.infill_label(1, [(10, "15A"), (30, "15B")], 20, used)
    with pytest.raises(Conflict):
        numbering.infill_label(1, [(30, "1")], 20, {"1"})


def test_infill_takes_the_reserved_number_of_its_plot(gul, box, make_yapi, mahalle, officer):
    make_yapi(200, 520)
    arsa = Arsa.objects.create(csbm=gul, mahalle=mahalle, geom=box(280, 505, 340, 560), ayrilacak_adet=2)
    make_yapi(400, 520)
    plans.approve(numbering.plan_street(gul, user=officer), user=officer)
    built = make_yapi(310, 530)
    plan = numbering.plan_infill(built, user=officer)
    assert proposed(plan) == {built.pk: "3"}
    plans.approve(plan, user=officer)
    arsa.refresh_from_db()
    assert arsa.ayrilan_nolar == "5"


# ---- approval, rejection, revert ----------------------------------------------------------------

def test_approval_writes_addresses_history_and_can_be_reverted(gul, make_yapi, pt, officer):
    yapi = make_yapi(200, 520)
    other = make_yapi(400, 520)
    old = Adres.objects.create(csbm=gul, yapi=yapi, kapi_no="9", geom=pt(200, 514))
    plan = numbering.plan_street(gul, user=officer)
    item = plan.kalemler.get(adres=old)
    assert (item.mevcut_no, item.onerilen_no, item.degisiyor) == ("9", "1", True)
    plans.approve(plan, user=officer, comment="toplu onay")
    old.refresh_from_db()
    assert (old.kapi_no, old.taraf) == ("1", "sol")
    new = Adres.objects.get(yapi=other)
    assert new.kapi_no == "3" and new.geom.distance(other.geom) == 0  # the door is on the building
    periods = KapiNoGecmisi.objects.filter(adres=old).order_by("pk")
    assert [(p.kapi_no, p.gecerli_bitis is None) for p in periods] == [("9", False), ("1", True)]
    change = history.history_of(Adres, old.pk).first()
    assert change.user == officer and change.before["kapi_no"] == "9" and change.after["kapi_no"] == "1"
    gul.refresh_from_db()
    assert gul.baslangic is not None  # the start it was numbered from is kept
    history.revert(change, user=officer)  # one row, through geo's history
    old.refresh_from_db()
    assert old.kapi_no == "9"


def test_a_whole_plan_is_reverted(gul, make_yapi, pt, officer):
    yapi = make_yapi(200, 520)
    old = Adres.objects.create(csbm=gul, yapi=yapi, kapi_no="9", geom=pt(200, 514))
    make_yapi(400, 520)
    plan = plans.approve(numbering.plan_street(gul, user=officer), user=officer)
    plans.revert(plan, user=officer)
    old.refresh_from_db()
    assert old.kapi_no == "9" and Adres.objects.count() == 1 and not KapiNoGecmisi.objects.exists()
    assert NumberingPlan.objects.get(pk=plan.pk).durum == "geri_alindi"


def test_approval_writes_in_bulk_with_every_change_recorded_and_heard(gul, make_yapi, pt, officer):
    """Approval writes rows in bulk, yet leaves the history a row-by-row write would: one Change per
    row written (who, before, after), sent once through changes_recorded (the tile cache listens),
    and the whole plan reverts to what was there, open number period included."""
    from geo.signals import changes_recorded

    kept = Adres.objects.create(csbm=gul, yapi=make_yapi(200, 520), kapi_no="9", geom=pt(200, 514))
    period = KapiNoGecmisi.objects.create(adres=kept, csbm=gul, kapi_no="9")
    other = make_yapi(400, 520)
    heard: list[list[Change]] = []

    def listen(sender, changes, **kwargs):
        heard.append(list(changes))

    changes_recorded.connect(listen, sender=Change)
    try:
        plan = plans.approve(numbering.plan_street(gul, user=officer), user=officer, comment="toplu onay")
    finally:
        changes_recorded.disconnect(listen, sender=Change)
    written = list(plan.degisiklikler.all())
    assert len(heard) == 1 and sorted(c.pk for c in heard[0]) == sorted(c.pk for c in written)
    assert all(c.user == officer and c.comment == "toplu onay" and c.at for c in written)
    assert sorted((c.model, c.action) for c in written) == [
        ("numarataj.Adres", "create"), ("numarataj.Adres", "update"), ("numarataj.Csbm", "update"),
        ("numarataj.KapiNoGecmisi", "create"), ("numarataj.KapiNoGecmisi", "create"),
        ("numarataj.KapiNoGecmisi", "update")]
    new = Adres.objects.get(yapi=other)
    assert other.mahalle_id and new.mahalle_id == other.mahalle_id and (new.kapi_no, new.taraf) == ("3", "sol")
    assert history.history_of(Adres, new.pk).get().after["kapi_no"] == "3"
    renumbered = history.history_of(Adres, kept.pk).get()
    assert (renumbered.before["kapi_no"], renumbered.after["kapi_no"]) == ("9", "1")
    closed = history.history_of(KapiNoGecmisi, period.pk).get()
    assert closed.before["gecerli_bitis"] is None and closed.after["gecerli_bitis"] is not None
    assert list(KapiNoGecmisi.objects.filter(adres=kept, gecerli_bitis=None).values_list("kapi_no", flat=True)) == [
        "1"]

    plans.revert(plan, user=officer)
    kept.refresh_from_db()
    assert kept.kapi_no == "9" and not Adres.objects.filter(yapi=other).exists()
    assert list(KapiNoGecmisi.objects.values_list("pk", "gecerli_bitis")) == [(period.pk, None)]


def test_rejection_writes_nothing(gul, make_yapi, officer):
    make_yapi(200, 520)
    plan = numbering.plan_street(gul, user=officer)
    changes = Change.objects.count()
    plans.reject(plan, user=officer, comment="yanlış başlangıç")
    assert not Adres.objects.exists() and Change.objects.count() == changes
    plan.refresh_from_db()
    assert (plan.durum, plan.karar_veren) == ("reddedildi", officer)
    with pytest.raises(Conflict):
        plans.approve(plan, user=officer)


def test_a_stale_plan_is_refused(gul, make_yapi, pt, officer):
    a = Adres.objects.create(csbm=gul, yapi=make_yapi(200, 520), kapi_no="9", geom=pt(200, 514))
    plan = numbering.plan_street(gul, user=officer)
    Adres.objects.filter(pk=a.pk).update(kapi_no="11")
    with pytest.raises(Conflict):
        plans.approve(plan, user=officer)
    assert Adres.objects.get(pk=a.pk).kapi_no == "11"


def test_two_infill_plans_for_the_same_gap_cannot_both_be_approved(numbered_street, make_yapi, officer):
    first = numbering.plan_infill(make_yapi(300, 520), user=officer)
    second = numbering.plan_infill(make_yapi(320, 520), user=officer)
    assert proposed(first).popitem()[1] == proposed(second).popitem()[1] == "1A"
    plans.approve(first, user=officer)
    with pytest.raises(MaksViolation) as e:
        plans.approve(second, user=officer)
    assert e.value.detail["violations"][0]["rule"] == "adres_no_tekil"
    assert Adres.objects.filter(kapi_no="1A").count() == 1


# ---- inner doors -------------------------------------------------------------------------------

def test_inner_door_labels():
    assert ic_kapi.inner_door_labels({-1: 2, 0: 2, 1: 2, 2: 2}, 2) == {
        -1: ["1", "2"], 0: ["Z1", "Z2"], 1: ["3", "4"], 2: ["5", "6"]}
    assert ic_kapi.inner_door_labels({-2: 1, -1: 1, 0: 2, 12: 2}, 12) == {
        -2: ["B201"], -1: ["B101"], 0: ["Z01", "Z02"], 12: ["1201", "1202"]}


def test_units_keep_their_code_when_the_door_number_changes(gul, make_yapi, pt, officer):
    yapi = make_yapi(200, 520, kat_ust=2, kat_alt=1)
    adres = Adres.objects.create(csbm=gul, yapi=yapi, kapi_no="9", geom=pt(200, 514))
    units = ic_kapi.create_units(adres, {0: 2, 1: 2}, user=officer)
    assert [u.ic_kapi_no for u in units] == ["Z1", "Z2", "1", "2"]
    # Kent invents no codes: new units await the national register's code
    assert [u.adres_kodu for u in units] == [None] * 4
    assert units[0].tescil == "Tescil bekliyor (awaiting registration)"
    for k, u in enumerate(units):  # the officer enters the codes UAVT assigned
        BagimsizBolum.objects.filter(pk=u.pk).update(adres_kodu=f"20000000{k:02d}")
        u.adres_kodu = f"20000000{k:02d}"
    ic_kapi.create_units(adres, {-1: 1}, user=officer)  # a basement flat shifts the numbers above it
    labels = dict(BagimsizBolum.objects.exclude(adres_kodu=None).values_list("adres_kodu", "ic_kapi_no"))
    assert [labels[u.adres_kodu] for u in units] == ["Z1", "Z2", "2", "3"]
    plans.approve(numbering.plan_street(gul, user=officer), user=officer)
    adres.refresh_from_db()
    assert adres.kapi_no == "1"
    assert set(BagimsizBolum.objects.filter(adres=adres).values_list("adres_kodu", flat=True)) == {
        u.adres_kodu for u in units} | {None}


# ---- the whole district ----------------------------------------------------------------------

def _assert_rules_hold(plan: NumberingPlan) -> None:
    """Every street: left odd, right even, increasing along the line, no number twice."""
    from numarataj.services.rules import door_sort_key

    by_street: dict[int, list] = {}
    for item in plan.kalemler.exclude(onerilen_no=""):
        by_street.setdefault(item.csbm_id, []).append(item)
    assert by_street
    for items in by_street.values():
        numbers = [n for i in items for n in i.onerilen_no.split(",")]
        assert len(numbers) == len(set(numbers))
        if items[0].taraf == "" and items[0].csbm.tur == "meydan":
            continue
        for taraf, parity in (("sol", 1), ("sag", 0)):
            side = sorted((i for i in items if i.taraf == taraf), key=lambda i: (i.istasyon, i.sira))
            keys = [door_sort_key(i.onerilen_no.split(",")[0]) for i in side]
            assert all(k[0] % 2 == parity for k in keys)
            assert keys == sorted(keys)


@pytest.mark.shared
def test_the_imported_ankara_district_is_numbered_by_the_rules(shared_data, officer):
    from pathlib import Path

    from django.core.management import call_command

    from numarataj.models import Ilce
    from numarataj.services import conformance

    if not (Path(__file__).resolve().parents[2] / "data" / "management" / "commands" / "import_osm.py").exists():
        pytest.skip("import_osm command not written yet (data/management/commands/import_osm.py)")
    call_command("import_osm", str(shared_data / "ankara-bahcelievler.osm"), verbosity=0)
    assert Ilce.objects.exists()
    numbered: set[int] = set()
    for ilce in Ilce.objects.all():
        plan = numbering.plan_district(ilce, user=officer)
        assert plan.ozet["kapi"] > 50
        _assert_rules_hold(plan)
        plans.approve(plan, user=officer)
        doors = {(i.csbm_id, i.onerilen_no) for i in plan.kalemler.exclude(onerilen_no="").filter(arsa=None)}
        assert doors <= set(Adres.objects.values_list("csbm_id", "kapi_no"))
        numbered |= set(Adres.objects.filter(kapi_no_gecmisi__plan=plan).values_list("pk", flat=True))
    # what is left is addresses no street lies near ("Emek, Bahçe sokak": no such CSBM in the export)
    left = [v for v in conformance.report() if v.rule in {"adres_no_tekil", "adres_kapi_no"}]
    assert numbered and not [v for v in left if v.object_id in numbered]
