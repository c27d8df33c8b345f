"""The per-process cache of pygeoapi objects, keyed by a stamp of the registry read from the DB.

Every request compares the registry stamp (`stamp.py`) with the one the cached configuration was
built from: before answering, or, on the GeoJSON fast path, with the stamp that came back as one
more column of the data query itself (then a changed registry discards that answer and the request
runs again on a fresh snapshot). When a layer is created, changed, unpublished or deleted the stamp
changes and the first request after it rebuilds. Every gunicorn worker does the same against the
same database, so workers agree without talking to each other and nothing is true in one process
only. `KENT_OGC_STAMP_TTL` can space the checks out on very busy servers; a configuration is also
rebuilt after `KENT_OGC_REFRESH` seconds so data extents follow edits."""

import copy
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from pygeoapi import l10n
from pygeoapi.api import API
from pygeoapi.openapi import get_oas

from . import conf, stamp
from .config import build, for_base_url
from .editable import editable
from .openapi import add_result_type, add_tiles, add_writes, self_contained

MAX_OPENAPI_VARIANTS = 64


class _NoCache(dict):
    """pygeoapi keeps the translated template configuration in a module-level dict keyed by
    locale only, as if a process served one configuration forever; Kent's changes with the
    registry and the host name. Templates here get a small configuration (server and metadata),
    so translating it per page is cheap and never stale."""

    def __setitem__(self, key: Any, value: Any) -> None:
        return None


l10n._cfg_cache = _NoCache()
if logging.getLogger("pygeoapi").level == logging.NOTSET:
    logging.getLogger("pygeoapi").setLevel(logging.ERROR)  # it warns about routine things (no offset given)


@dataclass
class Snapshot:
    stamp: str
    built_at: float
    config: dict[str, Any]
    apis: dict[str, API] = field(default_factory=dict)
    openapi: dict[tuple[str, frozenset[str]], dict[str, Any]] = field(default_factory=dict)

    @property
    def resources(self) -> dict[str, Any]:
        return self.config["resources"]

    def api(self, base_url: str) -> API:
        """The pygeoapi API object for this base URL, built once."""
        api = self.apis.get(base_url)
        if api is None:
            api = API(for_base_url(self.config, base_url), {})
            api.tpl_config = {k: api.tpl_config[k] for k in ("server", "metadata", "logging")} | {"resources": {}}
            self.apis[base_url] = api
        return api

    def openapi_document(self, base_url: str, visible: frozenset[str]) -> dict[str, Any]:
        """The OpenAPI document listing only the collections this caller may see."""
        key = (base_url, visible)
        doc = self.openapi.get(key)
        if doc is None:
            cfg = for_base_url(self.config, base_url)
            cfg["resources"] = {k: v for k, v in cfg["resources"].items() if k in visible}
            features = [k for k, v in cfg["resources"].items() if v["providers"][0]["type"] == "feature"]
            doc = add_tiles(add_result_type(self_contained(get_oas(cfg, fail_on_invalid_collection=False)), features),
                            features)
            doc = add_writes(doc, editable(cfg["resources"]))
            if len(self.openapi) >= MAX_OPENAPI_VARIANTS:
                self.openapi.clear()
            self.openapi[key] = doc
        return doc


def restricted_api(api: API, visible: set[str]) -> API:
    """A shallow copy of `api` whose resources are only `visible` (for the collections list)."""
    view = copy.copy(api)
    view.config = {**api.config, "resources": {k: v for k, v in api.config["resources"].items() if k in visible}}
    return view


_lock = threading.Lock()
_state: dict[str, Any] = {"snapshot": None, "checked_at": 0.0}


class Stale(Exception):
    """A data query saw another registry stamp than the snapshot it was built from."""


def current(verify: bool = True) -> Snapshot:
    """The snapshot for the registry as it is now (rebuilt here if it changed). `verify=False`
    returns the cached one without asking the database: the caller then confirms it with the stamp
    its own query brought back (`confirm`), saving a round trip."""
    now = time.monotonic()
    snap: Snapshot | None = _state["snapshot"]
    if snap is not None and now - snap.built_at < conf.refresh_seconds() and (
            not verify or now - _state["checked_at"] < conf.stamp_ttl()):
        return snap
    return _refresh(stamp.read(), now)


def confirm(snap: Snapshot, seen: str) -> None:
    """Raise Stale (and drop the cache) if the registry changed since `snap` was built."""
    if seen != snap.stamp:
        forget()
        raise Stale


def check(snap: Snapshot) -> None:
    """Confirm `snap` with a stamp read now (for answers that carry no stamp of their own)."""
    _state["checked_at"] = time.monotonic()
    confirm(snap, stamp.read())


def _refresh(seen: str, now: float) -> Snapshot:
    _state["checked_at"] = now
    snap: Snapshot | None = _state["snapshot"]
    if snap is not None and snap.stamp == seen and now - snap.built_at < conf.refresh_seconds():
        return snap
    with _lock:
        snap = _state["snapshot"]
        if snap is None or snap.stamp != seen or now - snap.built_at >= conf.refresh_seconds():
            snap = Snapshot(stamp=seen, built_at=time.monotonic(), config=build())
            _state["snapshot"] = snap
    return snap


def forget() -> None:
    """Drop the cached snapshot (tests that change data behind the registry's back)."""
    _state["snapshot"] = None
