"""A small hand-built district for the tile tests, drawn in metres of the local TM zone.

    İlçe "Deneme" (x 0..1000, y 0..600) = Mahalle Alfa (x < 500) + Mahalle Beta (x > 500)
    Atatürk Bulvarı along y = 300; Gül Sokak along x = 250; 1203. Sokak along x = 750
    24 yapı in Alfa, 12 in Beta; a park in Beta; two schools; an agency layer and hidden layers.

Mapnik opens its own PostgreSQL connections, so tests that render need committed data: they use
`live_data` (a transactional database, flushed afterwards). Fixtures re-create the TUCBS themes
and role groups the flush removes. The tile cache and media go to the test's tmp_path."""

import io
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
import requests
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon
from PIL import Image
from pyproj import Transformer

from geo.models import AccessLevel, Feature, Layer, TucbsTheme
from numarataj.models import Adres, BagimsizBolum, Csbm, Il, Ilce, Mahalle, Yapi
from tests.mapnik_db import _close_mapnik_connections  # noqa: F401 - a session fixture, registered here
from tiles import grid

ORIGIN = (485000.0, 4421000.0)  # EPSG:5255 metres, Ankara
_TO_LONLAT = Transformer.from_crs(5255, 4326, always_xy=True)
THEMES = {"IB": "İdari Birimler", "UL": "Ulaşım Ağları", "BI": "Bina", "AD": "Adres", "AK": "Arazi Kullanımı",
          "KH": "Kamu Hizmetleri ve Tesisler", "DR": "Doğal Risk ve Afet Alanları", "HI": "Hidrografya"}

PARK_FILL = (207, 232, 180)  # basemap.py's green
live_data = pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))


def lonlat(x: float, y: float) -> tuple[float, float]:
    return _TO_LONLAT.transform(ORIGIN[0] + x, ORIGIN[1] + y)


def box(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
    ring = [lonlat(x, y) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))]
    return MultiPolygon(Polygon(ring), srid=4326)


def line(*coords: tuple[float, float]) -> MultiLineString:
    return MultiLineString(LineString([lonlat(x, y) for x, y in coords]), srid=4326)


def point(x: float, y: float) -> Point:
    return Point(*lonlat(x, y), srid=4326)


def tile_at(x: float, y: float, z: int) -> tuple[int, int, int]:
    """The z/x/y of the tile holding a local point."""
    return (z, *grid.lonlat_to_tile(*lonlat(x, y), z))


def pixel_of(x: float, y: float, z: int, tx: int, ty: int, size: int = 256) -> tuple[int, int]:
    """Where a local point falls inside tile z/tx/ty of `size` pixels (or MVT units), y down."""
    lon, lat = lonlat(x, y)
    n = (1 << z) * size
    gx = (lon + 180) / 360 * n
    gy = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * n
    return int(gx - tx * size), int(gy - ty * size)


def png(url: str, session: requests.Session | None = None) -> Image.Image:
    response = (session or requests).get(url, timeout=60)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content)).convert("RGB")


def close(a: tuple[int, ...], b: tuple[int, ...], tol: int = 12) -> bool:
    return all(abs(p - q) <= tol for p, q in zip(a, b, strict=False))


@dataclass
class District:
    layers: dict[str, Layer] = field(default_factory=dict)
    yapilar: list[Yapi] = field(default_factory=list)
    mahalleler: dict[str, Mahalle] = field(default_factory=dict)
    admin: User | None = None


def _layer(slug: str, theme: str, family: str, source: str = "geo.Feature", **kw) -> Layer:
    return Layer.objects.create(slug=slug, title_tr=kw.pop("title_tr", slug.title()), theme_id=theme,
                                geometry_family=family, source=source, access_level=kw.pop("access", "public"),
                                **kw)


@pytest.fixture
def tile_dirs(settings, tmp_path) -> Iterator[None]:
    settings.KENT_TILE_CACHE = str(tmp_path / "tilecache")
    settings.MEDIA_ROOT = tmp_path / "media"
    yield


@pytest.fixture
def district(tile_dirs) -> District:
    for code, name in THEMES.items():
        TucbsTheme.objects.get_or_create(code=code, defaults={"name_tr": name, "name_en": name})
    for role in ("CBS Editörü", "Numarataj Memuru", "Yönetici"):
        Group.objects.get_or_create(name=role)
    d = District()
    d.layers = {
        "mahalleler": _layer("mahalleler", "IB", "polygon", "numarataj.Mahalle", title_tr="Mahalleler"),
        "csbm": _layer("csbm", "UL", "line", "numarataj.Csbm", title_tr="Cadde ve sokaklar"),
        "yapilar": _layer("yapilar", "BI", "polygon", "numarataj.Yapi", title_tr="Yapılar",
                          abstract="Yapı taban alanları", licence="CC BY 4.0"),
        "adresler": _layer("adresler", "AD", "point", "numarataj.Adres", title_tr="Adresler"),
        "parklar": _layer("parklar", "AK", "polygon", title_tr="Parklar", licence="CC0 1.0",
                          abstract="Belediye parkları", style={"fill": "#2f9e44", "fill_opacity": 1.0},
                          attribute_schema={"properties": {"ad": {"type": "string"}, "alan_m2": {"type": "number"}}}),
        "okullar": _layer("okullar", "KH", "point", title_tr="Okullar"),
        "afet-noktalari": _layer("afet-noktalari", "DR", "point", access=AccessLevel.AGENCY,
                                 title_tr="Afet toplanma noktaları"),
        "ic-katman": _layer("ic-katman", "KH", "point", access=AccessLevel.INTERNAL, title_tr="İç katman"),
        "taslak": _layer("taslak", "KH", "point", published=False, title_tr="Taslak katman"),
    }
    il = Il.objects.create(ad="Ankara", plaka=6)
    ilce = Ilce.objects.create(il=il, ad="Deneme", geom=box(0, 0, 1000, 600))
    alfa = Mahalle.objects.create(ilce=ilce, ad="Alfa", geom=box(0, 0, 500, 600))
    beta = Mahalle.objects.create(ilce=ilce, ad="Beta", geom=box(500, 0, 1000, 600))
    d.mahalleler = {"Alfa": alfa, "Beta": beta}
    for ad, tur, numara, coords in (("Atatürk", "bulvar", None, ((0, 300), (1000, 300))),
                                    ("Gül", "sokak", None, ((250, 0), (250, 600))),
                                    ("", "sokak", 1203, ((750, 0), (750, 600)))):
        csbm = Csbm.objects.create(ilce=ilce, tur=tur, ad=ad, numara=numara, geom=line(*coords))
        csbm.mahalleler.add(alfa if coords[0][0] < 500 else beta)
    for i in range(24):  # Alfa: 6 x 4 buildings of 20 m, 1..4 floors
        x, y = 40 + (i % 6) * 70, 60 + (i // 6) * 130 + (20 if i // 6 >= 2 else 0)
        d.yapilar.append(Yapi.objects.create(mahalle=alfa, geom=box(x, y, x + 20, y + 20), kat_ust=1 + i % 4,
                                             ad=f"Alfa Apartmanı {i}"))
    for i in range(12):  # Beta: 3 x 4 buildings
        x, y = 800 + (i % 3) * 60, 60 + (i // 3) * 130 + (20 if i // 3 >= 2 else 0)
        d.yapilar.append(Yapi.objects.create(mahalle=beta, geom=box(x, y, x + 20, y + 20), kat_ust=8))
    for n, yapi in enumerate(d.yapilar[:6]):
        adres = Adres.objects.create(mahalle=alfa, yapi=yapi, kapi_no=str(n + 1), geom=point(50 + n * 70, 55))
        for k in range(3):
            BagimsizBolum.objects.create(adres=adres, ic_kapi_no=str(k + 1), adres_kodu=f"{n:05d}{k:05d}")
    Feature.objects.create(layer=d.layers["parklar"], geom=box(560, 380, 720, 540),
                           properties={"ad": "Gençlik Parkı", "alan_m2": 25600})
    for x, name in ((120, "Atatürk İlkokulu"), (640, "Beta Ortaokulu")):
        Feature.objects.create(layer=d.layers["okullar"], geom=point(x, 340), properties={"ad": name, "kademe": "ilk"})
    Feature.objects.create(layer=d.layers["afet-noktalari"], geom=point(300, 150), properties={"risk_turu": "deprem"})
    Feature.objects.create(layer=d.layers["ic-katman"], geom=point(300, 150), properties={"ad": "iç"})
    d.admin = User.objects.create_superuser("tiles-admin", password="pw")
    return d


@pytest.fixture
def live_url(live_server) -> Callable[[str], str]:
    return lambda path: f"{live_server.url}{path}"

