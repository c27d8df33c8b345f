"""Small hand-built register near Ankara, drawn in metres so the geometry is easy to reason about.

Coordinates are metres east/north of an origin in Kızılay, in the local TUREF/TM33 grid
(EPSG:5255), turned into the storage CRS (EPSG:4326) by the helpers below. The layout:

    İlçe "Deneme" = Mahalle A (x 0..1000) + Mahalle B (x 1000..2000), y 0..1000.

Fixture names are stable; other numarataj tests may use them:
- `il`, `ilce`, `mahalle`, `mahalle_b`: the administrative units above;
- `pt`, `line`, `box`: metre -> storage-CRS geometry helpers;
- `make_csbm(ad, tur, coords, numara=None)`, `make_yapi(x, y, w=10, h=10, **fields)`: factories
  that write rows straight to the database (no validation, no history: test set-up only);
- `officer`: a user in the "Numarataj Memuru" group;
- `compiled`: the English catalogue compiled (from tests/i18n), for pages read in English.
"""

from collections.abc import Callable, Sequence

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon
from pyproj import Transformer

from numarataj.models import Csbm, Il, Ilce, Mahalle, Yapi
from tests.i18n.test_english import compiled  # noqa: F401

ORIGIN = (487000.0, 4420000.0)  # EPSG:5255 metres, Kızılay, Ankara
_TO_STORAGE = Transformer.from_crs(5255, 4326, always_xy=True)

Coords = Sequence[tuple[float, float]]


def _lonlat(coords: Coords) -> list[tuple[float, float]]:
    xs, ys = zip(*((ORIGIN[0] + x, ORIGIN[1] + y) for x, y in coords), strict=True)
    lons, lats = _TO_STORAGE.transform(xs, ys)
    return list(zip(lons, lats, strict=True))


@pytest.fixture
def pt() -> Callable[[float, float], Point]:
    def make(x: float, y: float) -> Point:
        return Point(*_lonlat([(x, y)])[0], srid=4326)
    return make


@pytest.fixture
def line() -> Callable[[Coords], MultiLineString]:
    def make(coords: Coords) -> MultiLineString:
        return MultiLineString(LineString(_lonlat(coords)), srid=4326)
    return make


@pytest.fixture
def box() -> Callable[[float, float, float, float], MultiPolygon]:
    def make(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
        ring = _lonlat([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])
        return MultiPolygon(Polygon(ring), srid=4326)
    return make


@pytest.fixture
def il(db) -> Il:
    return Il.objects.create(ad="Ankara", plaka=6)


@pytest.fixture
def ilce(il, box) -> Ilce:
    return Ilce.objects.create(il=il, ad="Deneme", geom=box(0, 0, 2000, 1000))


@pytest.fixture
def mahalle(ilce, box) -> Mahalle:
    return Mahalle.objects.create(ilce=ilce, ad="Alfa", uavt_kodu="100001", geom=box(0, 0, 1000, 1000))


@pytest.fixture
def mahalle_b(ilce, box) -> Mahalle:
    return Mahalle.objects.create(ilce=ilce, ad="Beta", uavt_kodu="100002", geom=box(1000, 0, 2000, 1000))


@pytest.fixture
def make_csbm(ilce, mahalle, line) -> Callable[..., Csbm]:
    def make(ad: str, tur: str, coords: Coords, numara: int | None = None, **fields) -> Csbm:
        csbm = Csbm.objects.create(ilce=ilce, tur=tur, ad=ad, numara=numara, geom=line(coords), **fields)
        csbm.mahalleler.add(mahalle)
        return csbm
    return make


@pytest.fixture
def make_yapi(mahalle, box) -> Callable[..., Yapi]:
    def make(x: float, y: float, w: float = 10, h: float = 10, **fields) -> Yapi:
        """A w x h building centred on (x, y)."""
        fields.setdefault("mahalle", mahalle)
        return Yapi.objects.create(geom=box(x - w / 2, y - h / 2, x + w / 2, y + h / 2), **fields)
    return make


@pytest.fixture
def officer(db) -> User:
    user = User.objects.create_user("memur1", password="pw")
    user.groups.add(Group.objects.get(name="Numarataj Memuru"))
    return user
