"""Deployment settings of the OGC services, read from Django settings first, then the environment,
so a deployment can set them in either place without Kent's settings module knowing each one.

KENT_OGC_URL            public base URL of /ogc (default: from the request's host)
KENT_CORS_ORIGINS       comma list of browser origins allowed to read public collections, or *
KENT_OGC_MAX_ITEMS      largest page (default 10000; larger limits are clamped to it)
KENT_OGC_COUNT_CAP      numberMatched is given when the match count is at most this (default 10000)
KENT_OGC_MAX_FILTER     longest accepted CQL2 filter, in characters (default 20000)
KENT_OGC_STAMP_TTL      seconds between registry-stamp checks (default 0: every request)
KENT_OGC_REFRESH        seconds after which a configuration is rebuilt anyway, for extents (default 600)
KENT_OGC_STATEMENT_MS   statement timeout of one OGC query in ms (default 15000)
"""

import os

from django.conf import settings


def text(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    if isinstance(value, (list, tuple, set)):
        return ",".join(value)
    return str(value)


def _int(name: str, default: int) -> int:
    return int(text(name, str(default)))


def base_url() -> str:
    return text("KENT_OGC_URL", "").rstrip("/")


def cors_origins() -> set[str]:
    return {o.strip().rstrip("/") for o in text("KENT_CORS_ORIGINS", "").split(",") if o.strip()}


def max_items() -> int:
    return _int("KENT_OGC_MAX_ITEMS", 10_000)


def count_cap() -> int:
    return _int("KENT_OGC_COUNT_CAP", 10_000)


def max_filter_chars() -> int:
    return _int("KENT_OGC_MAX_FILTER", 20_000)


def stamp_ttl() -> float:
    return float(text("KENT_OGC_STAMP_TTL", "0"))


def refresh_seconds() -> float:
    return float(text("KENT_OGC_REFRESH", "600"))


def statement_ms() -> int:
    return _int("KENT_OGC_STATEMENT_MS", 15_000)


DEFAULT_ITEMS = 10
BASEMAP_URL = "/tiles/basemap/{z}/{x}/{y}.png"
BASEMAP_ATTRIBUTION = "© Kent · © OpenStreetMap katkıcıları"
