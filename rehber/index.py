"""What the guide can find, held in memory: mahalleler, streets, named buildings and places.

Suggestions must come back within 100 ms while someone types, so the searchable names of one
municipality (a few thousand to some tens of thousands) are read once per process into word
postings keyed by their diacritic-free Turkish fold (`ascii_key`), instead of a trigram query per
keystroke. Freshness: at most every KENT_REHBER_REFRESH_SECONDS (default 5) a request asks
PostgreSQL for a stamp of the source tables (row count, max id and the sums of the xmin/cmin
system columns, which change with every insert, update or delete, whatever wrote them); a new
stamp rebuilds the index. Two workers disagree for at most that interval."""

import bisect
import logging
import math
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.gis.db.models import PointField
from django.db import close_old_connections, connection
from django.db.models import F, FloatField, Func

from geo.models import Feature, Layer
from geo.text import ascii_key
from numarataj.models import Csbm, Mahalle, Yapi
from smartcity.kinds import declaration
from smartcity.layers import kind_of
from smartcity.models import Asset

from .access import public_layers, shown
from .categories import asset_sources, layer_sources, street_sources

log = logging.getLogger(__name__)
_WORD = re.compile(r"\w+")
EARTH_RADIUS_M = 6_371_008.8
MAHALLE, STREET, BUILDING, PLACE = "mahalle", "sokak", "yapi", "yer"


@dataclass(frozen=True, slots=True)
class Entry:
    """One findable thing. `ref` names it for the card API: m-, s-, y-, f-, v- and its id."""

    ref: str
    kind: str
    label: str
    lat: float
    lon: float
    words: tuple[str, ...]
    category: str = ""
    context: str = ""  # a hint shown under the label: the mahalle(s) of a street
    bbox: tuple[float, float, float, float] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"ref": self.ref, "kind": self.kind, "label": self.label, "sub": self.context,
                                "category": self.category, "lat": round(self.lat, 6), "lon": round(self.lon, 6)}
        if self.bbox:
            data["bbox"] = [round(v, 6) for v in self.bbox]
        return data


def words_of(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(ascii_key(text)))


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine); straight-line, what a walker sees as 'as the crow flies'."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def table_stamp(querysets: list[Any]) -> tuple:
    """A cheap key that changes whenever a row these querysets read is inserted, updated or deleted."""
    parts, params = [], []
    for i, qs in enumerate(querysets):
        sql, qparams = qs.values("id").query.sql_with_params()
        parts.append(f"SELECT {i}, count(*), coalesce(max(s.id), 0), coalesce(sum(t.xmin::text::bigint), 0), "
                     f"coalesce(sum(t.cmin::text::bigint), 0) FROM {qs.model._meta.db_table} t "
                     f"JOIN ({sql}) s ON s.id = t.id")
        params.extend(qparams)
    with connection.cursor() as cur:
        cur.execute(" UNION ALL ".join(parts), params)
        return tuple(sorted(cur.fetchall()))


def source_stamp() -> tuple:
    return table_stamp([Mahalle.objects.all(), Csbm.objects.all(), Yapi.objects.exclude(ad=""),
                        Feature.objects.all(), Layer.objects.all(), Asset.objects.all()])


def _coords(point: Any) -> dict[str, Func]:
    """ST_X/ST_Y annotations of a point expression."""
    return {"x": Func(point, function="ST_X", output_field=FloatField()),
            "y": Func(point, function="ST_Y", output_field=FloatField())}


def _on_surface() -> Func:
    return Func(F("geom"), function="ST_PointOnSurface", output_field=PointField())


BBOX = ("xmin", "ymin", "xmax", "ymax")


def _bbox() -> dict[str, Func]:
    return {k: Func(F("geom"), function=f"ST_{k.upper()}", output_field=FloatField()) for k in BBOX}


class GuideIndex:
    """Entries with word postings: a sorted word list finds every word starting with a prefix."""

    def __init__(self, stamp: tuple) -> None:
        self.stamp = stamp
        self.entries: list[Entry] = []
        self.by_ref: dict[str, Entry] = {}
        self.postings: dict[str, list[int]] = {}
        self.words: list[str] = []
        self.categories: dict[str, list[Entry]] = {}

    def add(self, entry: Entry) -> None:
        if entry.ref in self.by_ref:
            return
        self.by_ref[entry.ref] = entry
        self.entries.append(entry)
        if entry.category:
            self.categories.setdefault(entry.category, []).append(entry)

    def finish(self) -> "GuideIndex":
        postings: dict[str, set[int]] = {}
        for i, e in enumerate(self.entries):
            for w in e.words:
                postings.setdefault(w, set()).add(i)
        self.postings = {w: sorted(ids) for w, ids in postings.items()}
        self.words = sorted(self.postings)
        return self

    def words_with_prefix(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self.words, prefix)
        end = bisect.bisect_left(self.words, prefix + "\uffff", start)
        return self.words[start:end]

    def nearby(self, lat: float, lon: float, radius_m: float, limit: int,
               exclude: str = "") -> list[tuple[float, Entry]]:
        """Places within radius_m, nearest first (a linear scan: a few thousand places take ~1 ms)."""
        dlat = radius_m / 111_320.0
        dlon = dlat / max(0.01, math.cos(math.radians(lat)))
        found = []
        for entries in self.categories.values():
            for e in entries:
                if e.ref != exclude and abs(e.lat - lat) <= dlat and abs(e.lon - lon) <= dlon:
                    d = distance_m(lat, lon, e.lat, e.lon)
                    if d <= radius_m:
                        found.append((d, e))
        found.sort(key=lambda pair: (pair[0], pair[1].label))
        return found[:limit]

    # -- loading ---------------------------------------------------------------------------------

    @classmethod
    def load(cls, stamp: tuple) -> "GuideIndex":
        idx = cls(stamp)
        idx._load_places()
        idx._load_register()
        return idx.finish()

    def _load_register(self) -> None:
        names: dict[int, str] = {}
        for m in Mahalle.objects.annotate(**_coords(_on_surface()), **_bbox()).values("id", "ad", "x", "y", *BBOX):
            names[m["id"]] = m["ad"]
            label = f"{m['ad']} Mahallesi"
            self.add(Entry(f"m-{m['id']}", MAHALLE, label, m["y"], m["x"], words_of(label),
                           bbox=(m["xmin"], m["ymin"], m["xmax"], m["ymax"])))
        street_mahalleler: dict[int, list[str]] = {}
        for cid, mid in Csbm.mahalleler.through.objects.values_list("csbm_id", "mahalle_id"):
            street_mahalleler.setdefault(cid, []).append(names.get(mid, ""))
        squares = {s.tur: c.slug for c, s in street_sources()}
        closest = Func(F("geom"), Func(F("geom"), function="ST_Centroid"), function="ST_ClosestPoint",
                       output_field=PointField())
        for s in Csbm.objects.annotate(**_coords(closest), **_bbox()).only("id", "tur", "ad", "numara"):
            self.add(Entry(f"s-{s.id}", STREET, s.tam_ad, s.y, s.x, words_of(s.tam_ad),
                           category=squares.get(s.tur, ""), context=", ".join(sorted(street_mahalleler.get(s.id, []))),
                           bbox=(s.xmin, s.ymin, s.xmax, s.ymax)))
        known = {e.words for e in self.entries if e.kind == PLACE}
        if "ad" not in shown(Yapi._meta.label):
            return  # building names are not published: no building is found by its name
        named = Yapi.objects.exclude(ad="").annotate(**_coords(_on_surface()))
        for y in named.values("id", "ad", "x", "y", "mahalle_id"):
            words = words_of(y["ad"])
            if words not in known:  # a school is already found as a place; the building adds nothing
                self.add(Entry(f"y-{y['id']}", BUILDING, y["ad"], y["y"], y["x"], words,
                               context=names.get(y["mahalle_id"], "")))

    def _load_places(self) -> None:
        """Places of the public layers that feed a category, and assets of kinds with a public layer."""
        layers = public_layers()
        sources = layer_sources()
        wanted = {s.layer for _, s in sources}
        public = {lyr.slug: lyr.id for lyr in layers if lyr.slug in wanted}
        rows = (Feature.objects.filter(layer_id__in=public.values()).annotate(**_coords(_on_surface()))
                .values("id", "layer__slug", "properties", "x", "y").order_by("id"))
        for row in rows:
            props = row["properties"] or {}
            category = next((c for c, s in sources if s.layer == row["layer__slug"] and s.accepts(props)), None)
            name = str(props.get("ad") or "").strip()
            if category is None or row["x"] is None:
                continue
            label = name or category.title_tr
            self.add(Entry(f"f-{row['id']}", PLACE, label, row["y"], row["x"], words_of(name) if name else (),
                           category=category.slug))
        public_kinds = {kind_of(lyr) for lyr in layers} - {None}
        for category, source in asset_sources():
            if source.kind not in public_kinds:
                continue
            guide = declaration(source.kind).guide
            listed = tuple(f.attribute for f in guide.facts) if guide else ()
            assets = Asset.objects.filter(kind_id=source.kind).annotate(**_coords(F("geom"))).order_by("id")
            for a in assets.values("id", "asset_id", "name", "attributes", "x", "y"):
                attrs = a["attributes"] or {}
                extra = {"asset_id": a["asset_id"], **{k: attrs[k] for k in listed if k in attrs}}
                label = a["name"] or category.title_tr
                self.add(Entry(f"v-{a['id']}", PLACE, label, a["y"], a["x"], words_of(a["name"] or ""),
                               category=category.slug, extra=extra))


# -- the process-wide index and its refresh -------------------------------------------------------

_lock = threading.Lock()
_state: dict[str, Any] = {"index": None, "checked": 0.0}


def get_index(force: bool = False) -> GuideIndex:
    """The current index; the source stamp is asked for at most every KENT_REHBER_REFRESH_SECONDS."""
    interval = float(getattr(settings, "KENT_REHBER_REFRESH_SECONDS", 5.0))
    index = _state["index"]
    if index is not None and not force and time.monotonic() - _state["checked"] < interval:
        return index
    with _lock:
        stamp = source_stamp()
        if force or _state["index"] is None or _state["index"].stamp != stamp:
            started = time.perf_counter()
            _state["index"] = GuideIndex.load(stamp)
            log.info("rehber index: %d entries in %.0f ms", len(_state["index"].entries),
                     (time.perf_counter() - started) * 1000)
        _state["checked"] = time.monotonic()
        return _state["index"]


def warm_up() -> None:
    """Build the guide's and the address matcher's indexes in the background if not built yet,
    so the first keystroke on a freshly started server does not pay for them."""
    if _state["index"] is not None:
        return

    def build() -> None:
        from numarataj.services.matching import get_index as matcher_index

        try:
            get_index()
            matcher_index()
        except Exception:  # a warm-up must never take the page down; the next request retries
            log.exception("rehber warm-up failed")
        finally:
            close_old_connections()
            connection.close()

    threading.Thread(target=build, name="rehber-warm-up", daemon=True).start()

