"""import_osm on a tiny hand-written export: the fallbacks a partial or bare export needs."""

from pathlib import Path

import pytest
from django.core.management import call_command

from geo.models import Feature
from numarataj.models import Adres, Csbm, Ilce, Mahalle, Yapi

NODES = {
    1: (32.705, 39.905, {"place": "neighbourhood", "name": "Lale Mahallesi"}),
    2: (32.715, 39.905, {"place": "quarter", "name": "Gül Mah."}),
    3: (32.712, 39.907, {"amenity": "toilets"}),
    4: (32.7160, 39.9060, {"addr:street": "Papatya Sk.", "addr:housenumber": "3A"}),
    # footprints and a street in two ways of one name
    10: (32.7035, 39.9035, {}), 11: (32.7045, 39.9035, {}), 12: (32.7045, 39.9045, {}), 13: (32.7035, 39.9045, {}),
    20: (32.7155, 39.9055, {}), 21: (32.7165, 39.9055, {}), 22: (32.7165, 39.9065, {}), 23: (32.7155, 39.9065, {}),
    30: (32.701, 39.902, {}), 31: (32.710, 39.902, {}), 32: (32.719, 39.902, {}),
}
WAYS = {
    100: ([10, 11, 12, 13, 10], {"building": "apartments", "building:levels": "5"}),
    101: ([20, 21, 22, 23, 20], {"building": "yes"}),
    200: ([30, 31], {"highway": "residential", "name": "Papatya Sokak"}),
    201: ([31, 32], {"highway": "residential", "name": "Papatya Sokak"}),
}


def _osm() -> str:
    def tags(t: dict[str, str]) -> str:
        return "".join(f'<tag k="{k}" v="{v}"/>' for k, v in t.items())
    def nds(refs: list[int]) -> str:
        return "".join(f'<nd ref="{r}"/>' for r in refs)
    nodes = "".join(f'<node id="{i}" lat="{lat}" lon="{lon}" timestamp="2020-01-01T00:00:00Z">{tags(t)}</node>'
                    for i, (lon, lat, t) in NODES.items())
    ways = "".join(f'<way id="{i}">{nds(refs)}{tags(t)}</way>' for i, (refs, t) in WAYS.items())
    return (f'<?xml version="1.0" encoding="UTF-8"?><osm version="0.6">'
            f'<bounds minlat="39.900" minlon="32.700" maxlat="39.910" maxlon="32.720"/>{nodes}{ways}</osm>')


@pytest.mark.django_db
def test_place_nodes_give_approximate_mahalleler_and_defaults_fill_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "small.osm"
    path.write_text(_osm(), encoding="utf-8")
    call_command("import_osm", str(path))

    assert {(m.ad, m.yaklasik) for m in Mahalle.objects.all()} == {("Lale", True), ("Gül", True)}
    assert Ilce.objects.get().ad == "Çankaya" and Ilce.objects.get().il.ad == "Ankara"
    assert Yapi.objects.get(osm_id=100).mahalle.ad == "Lale"
    assert Yapi.objects.get(osm_id=100).kat_ust == 5
    assert Yapi.objects.get(osm_id=101).mahalle.ad == "Gül"
    street = Csbm.objects.get()
    assert (street.tur, street.ad, street.numara, len(street.geom)) == ("sokak", "Papatya", None, 1)
    adres = Adres.objects.get()
    assert (adres.kapi_no, adres.csbm, adres.yapi.osm_id) == ("3A", street, 101)
    assert adres.yazildigi_gibi == "Papatya Sk. No:3A"
    assert Feature.objects.get(layer__slug="tuvaletler").properties["ad"] == "Umumi tuvalet"
