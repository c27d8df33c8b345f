"""One walking axis per street whatever its drawing (services/axis.py), and the numbering check
(services/numbering_check.py) that judges every door of every street by the regulation's rule:
seen from the start, left odd and right even, rising along each side, no number twice.

Synthetic streets are drawn in metres (see conftest); the real divided road comes from the Ankara
OpenStreetMap export in ../shared/data."""

import io
import json
import math

import pytest
from django.contrib.gis.geos import MultiLineString
from django.core.management import call_command
from shapely.geometry import LineString

from numarataj.models import Adres, Csbm, NumberingPlan
from numarataj.services import conformance, numbering, plans
from numarataj.services.axis import street_axis
from numarataj.services.geometry import to_local
from numarataj.services.numbering_check import ORDER, PARITY


@pytest.fixture
def west(ilce, pt):
    """Direction centre far west: a street with no junction is walked from its western end."""
    ilce.yon_merkezi = pt(-500, 500)
    ilce.save()
    return ilce


@pytest.fixture
def street(ilce, mahalle, line):
    """A CSBM drawn in several pieces, each a list of (x, y) metres in its drawing direction."""
    def make(ad: str, tur: str, *pieces) -> Csbm:
        geom = MultiLineString(*[line(p)[0] for p in pieces], srid=4326)
        csbm = Csbm.objects.create(ilce=ilce, tur=tur, ad=ad, geom=geom)
        csbm.mahalleler.add(mahalle)
        return csbm
    return make


def number_and_apply(csbm: Csbm, officer) -> NumberingPlan:
    plan = numbering.plan_street(csbm, user=officer)
    plans.approve(plan, user=officer)
    return plan


def numbers(plan: NumberingPlan, yapilar) -> list[str]:
    got = {i.yapi_id: i.onerilen_no for i in plan.kalemler.all()}
    return [got[y.pk] for y in yapilar]


def assert_by_the_rule(plan: NumberingPlan, left, right) -> None:
    """`left` and `right` are the buildings of each side in their order along the street from its
    start: left odd 1, 3, 5, ..., right even 2, 4, 6, ..., no number twice, and the check agrees."""
    assert numbers(plan, left) == [str(n) for n in range(1, 2 * len(left), 2)]
    assert numbers(plan, right) == [str(n) for n in range(2, 2 * len(right) + 1, 2)]
    sides = {i.yapi_id: i.taraf for i in plan.kalemler.all()}
    assert {sides[y.pk] for y in left} <= {"sol"} and {sides[y.pk] for y in right} <= {"sag"}
    assert conformance.numbering_report(plan.ilce) == []


# ---- the drawings -------------------------------------------------------------------------------

def test_two_parallel_carriageways_are_one_road(street, west, make_yapi, officer):
    """Eastbound at y = 492, westbound at y = 508 (drawn east -> west); doors outside both."""
    road = street("İnönü", "cadde", [(100, 492), (900, 492)], [(900, 508), (100, 508)])
    north = [make_yapi(x, 530) for x in (600, 200, 800, 400)]  # out of order on purpose
    south = [make_yapi(x, 470) for x in (300, 700, 500)]
    plan = number_and_apply(road, officer)
    assert_by_the_rule(plan, sorted(north, key=_x), sorted(south, key=_x))
    axis = street_axis(to_local(road.geom))
    assert 790 < axis.length < 810  # one road, not up one carriageway and back down the other


def test_a_hairpin_drawn_up_one_carriageway_and_back_down_the_other(street, west, make_yapi, officer):
    road = street("İnönü", "cadde", [(100, 492), (900, 492), (906, 500), (900, 508), (100, 508)])
    north = [make_yapi(x, 530) for x in (200, 450, 700)]
    south = [make_yapi(x, 470) for x in (250, 500, 850)]
    assert_by_the_rule(number_and_apply(road, officer), north, south)


def test_carriageways_each_in_pieces_drawn_in_opposite_directions(street, west, make_yapi, officer):
    road = street("İnönü", "cadde", [(100, 492), (500, 492)], [(900, 492), (500, 492)],
                  [(500, 508), (100, 508)], [(500, 508), (900, 508)])
    north = [make_yapi(x, 530) for x in (150, 450, 550, 850)]
    south = [make_yapi(x, 470) for x in (200, 600)]
    assert_by_the_rule(number_and_apply(road, officer), north, south)


def test_a_road_divided_along_half_its_length(street, west, make_yapi, officer):
    """One line to x = 500, then two carriageways that split from it (the eastbound continues it)."""
    road = street("İnönü", "cadde", [(100, 500), (500, 500), (520, 492), (900, 492)],
                  [(900, 508), (520, 508), (500, 500)])
    north = [make_yapi(x, 530) for x in (200, 450, 700, 850)]
    south = [make_yapi(x, 470) for x in (300, 600, 800)]
    assert_by_the_rule(number_and_apply(road, officer), north, south)


def test_a_street_in_three_pieces_with_gaps(street, west, make_yapi, officer):
    """Pieces with 20 m gaps, the middle one drawn backwards."""
    road = street("Gül", "sokak", [(100, 500), (350, 500)], [(600, 500), (370, 500)], [(620, 500), (900, 500)])
    north = [make_yapi(x, 520) for x in (200, 450, 610, 750)]
    south = [make_yapi(x, 480) for x in (300, 500, 800)]
    assert_by_the_rule(number_and_apply(road, officer), north, south)


def test_a_loop_is_walked_clockwise(street, west, make_yapi, officer):
    """A ring street around a block: walked clockwise from its point nearest the direction centre
    (the north-west corner), the outside is on the left."""
    loop = street("Halka", "sokak", [(400, 400), (400, 500), (600, 500), (600, 400), (400, 400)])
    outside = [make_yapi(450, 520), make_yapi(550, 520), make_yapi(620, 450), make_yapi(550, 380),
               make_yapi(450, 380), make_yapi(380, 450)]
    inside = [make_yapi(450, 480), make_yapi(550, 420)]
    assert_by_the_rule(number_and_apply(loop, officer), outside, inside)


def test_a_cul_de_sac_starts_at_its_junction(make_csbm, street, ilce, pt, make_yapi, officer):
    ilce.yon_merkezi = pt(1900, 500)  # east, past the dead end: the junction with the cadde wins
    ilce.save()
    make_csbm("Atatürk", "cadde", [(100, 0), (100, 1000)])
    dead_end = street("Çıkmaz", "sokak", [(300, 500), (100, 500)])  # drawn from the dead end
    north = [make_yapi(150, 520), make_yapi(250, 520), make_yapi(320, 510)]  # the last past the end
    south = [make_yapi(200, 480), make_yapi(320, 490)]
    assert_by_the_rule(number_and_apply(dead_end, officer), north, south)


def test_a_curved_road(street, ilce, pt, make_yapi, officer):
    """A half circle of radius 200 over (500, 300), from its west end: the outside is on the left."""
    ilce.yon_merkezi = pt(-500, 300)
    ilce.save()
    arc = [(500 + 200 * math.cos(math.radians(a)), 300 + 200 * math.sin(math.radians(a))) for a in range(180, -1, -5)]
    road = street("Yay", "sokak", arc[:20], arc[19:])

    def at(radius: float, degrees: float):
        return make_yapi(500 + radius * math.cos(math.radians(degrees)), 300 + radius * math.sin(math.radians(degrees)))

    outside = [at(225, a) for a in (160, 120, 80, 40)]
    inside = [at(175, a) for a in (150, 90, 30)]
    assert_by_the_rule(number_and_apply(road, officer), outside, inside)


def test_a_street_with_nothing_to_collapse_keeps_its_drawing():
    line = LineString([(0, 0), (100, 0), (100, 100)])
    assert street_axis(line).equals(line)
    small_roundabout = LineString([(10 * math.cos(a / 10), 10 * math.sin(a / 10)) for a in range(63)] + [(10, 0)])
    assert street_axis(small_roundabout).is_ring  # its far side is across it, but only a short way round


# ---- the check can fail ---------------------------------------------------------------------------

def test_the_check_finds_a_broken_numbering(street, west, make_yapi, officer):
    road = street("İnönü", "cadde", [(100, 492), (900, 492)], [(900, 508), (100, 508)])
    north = [make_yapi(x, 530) for x in (200, 400, 600, 800)]
    south = [make_yapi(x, 470) for x in (200, 400, 600, 800)]
    number_and_apply(road, officer)
    door = {y.pk: Adres.objects.get(yapi=y) for y in north + south}
    for yapi, wrong in ((north[0], "9"), (south[1], "11"), (south[2], "8")):
        Adres.objects.filter(pk=door[yapi.pk].pk).update(kapi_no=wrong)  # 9 before 3; 11 on the right; 8 twice

    found = {(v.rule, v.object_id) for v in conformance.numbering_report()}
    assert found == {(ORDER, door[north[0].pk].pk), (PARITY, door[south[1].pk].pk),
                     ("adres_no_tekil", door[south[2].pk].pk), ("adres_no_tekil", door[south[3].pk].pk)}

    out = io.StringIO()
    call_command("maks_report", "--json", stdout=out)
    rules = {(v["rule"], v["object_id"]): v for v in json.loads(out.getvalue())["violations"]}
    assert rules[(PARITY, door[south[1].pk].pk)]["title"] == "Soldaki kapılar tek, sağdakiler çift numaralı olmalı"
    assert "sağ yanında" in rules[(PARITY, door[south[1].pk].pk)]["message"]
    assert (ORDER, door[north[0].pk].pk) in rules


def test_the_check_reads_the_recorded_start(street, west, make_yapi, officer, pt):
    """Numbers that rise from the east are wrong on a street whose recorded start is its west end,
    and right once the start recorded is the east end."""
    road = street("Gül", "sokak", [(100, 500), (900, 500)])
    yapilar = [make_yapi(x, 520) for x in (200, 400, 600)]
    number_and_apply(road, officer)
    for y, no in zip(yapilar, ("6", "4", "2"), strict=True):  # walking west, the north side is on the right
        Adres.objects.filter(yapi=y).update(kapi_no=no)
    assert {v.rule for v in conformance.numbering_report()} == {PARITY}
    Csbm.objects.filter(pk=road.pk).update(baslangic=pt(900, 500))
    assert conformance.numbering_report() == []
    Csbm.objects.filter(pk=road.pk).update(baslangic=None)  # no start recorded: the better end is taken
    assert conformance.numbering_report() == []


def test_the_maks_page_counts_the_numbering_rules(street, west, make_yapi, officer, client):
    road = street("Gül", "sokak", [(100, 500), (900, 500)])
    y = make_yapi(200, 520)
    number_and_apply(road, officer)
    Adres.objects.filter(yapi=y).update(kapi_no="2")
    client.force_login(officer)
    page = client.get("/numarataj/maks-uygunluk/").content.decode()
    assert "Soldaki kapılar tek, sağdakiler çift numaralı olmalı" in page and "sol yanında" in page


def _x(yapi) -> float:
    return yapi.geom.centroid.x


# ---- a real divided road ---------------------------------------------------------------------------

@pytest.mark.shared
@pytest.mark.django_db
def test_the_ankara_district_numbered_by_the_engine_passes_the_check(shared_data):
    sample = shared_data / "ankara-bahcelievler.osm"
    if not sample.is_file():
        pytest.skip(f"{sample} not found")
    call_command("import_osm", str(sample), "--replace", verbosity=0)
    divided = _divided_roads()
    assert "Mareşal Fevzi Çakmak" in {c.ad for c in divided}  # two oneway carriageways in the export
    call_command("number_district", "--apply", stdout=io.StringIO())

    assert conformance.numbering_report() == []
    for road in divided:
        doors = list(Adres.objects.filter(csbm=road).exclude(kapi_no=""))
        if len(doors) < 6:
            continue
        # judged from the carriageways themselves, not the engine's axis: the doors nearer one
        # carriageway are one parity, those nearer the other the other parity
        ways = sorted(to_local(road.geom).geoms, key=lambda w: -w.length)[:2]
        parity_by_way: dict[int, set[int]] = {0: set(), 1: set()}
        for a in doors:
            p = to_local(a.geom)
            if min(w.distance(p) for w in ways) > 60 or abs(ways[0].project(p, normalized=True) - 0.5) > 0.45:
                continue  # beyond the carriageways' ends: which one is nearer says nothing
            nearer = 0 if ways[0].distance(p) < ways[1].distance(p) else 1
            parity_by_way[nearer].add(int("".join(ch for ch in a.kapi_no if ch.isdigit())) % 2)
        assert all(len(s) <= 1 for s in parity_by_way.values()), (road.tam_ad, parity_by_way)
        assert parity_by_way[0] and parity_by_way[1] and parity_by_way[0] != parity_by_way[1], road.tam_ad


def _divided_roads() -> list[Csbm]:
    """Streets drawn as two long, roughly parallel lines within 25 m of each other."""
    out = []
    for c in Csbm.objects.exclude(tur="meydan"):
        parts = sorted(to_local(c.geom).geoms, key=lambda w: -w.length) if c.geom.num_geom > 1 else []
        if len(parts) >= 2 and parts[1].length > 200 and parts[0].hausdorff_distance(parts[1]) < 60 \
                and parts[0].distance(parts[1]) < 25:
            out.append(c)
    return out
