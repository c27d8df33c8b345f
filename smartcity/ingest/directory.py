"""Who and what readings refer to: kinds, assets and devices, looked up in bulk (one query per
batch for whatever is not known yet) and, in the long-running worker, cached for `ttl` seconds
so an edited asset or a revoked device takes effect within that time on every worker. An asset
id found missing is remembered only for a few seconds: long enough that a feed sending unknown
ids does not cost a query per message, short enough that a newly added asset is soon accepted."""

import time
from collections.abc import Iterable
from typing import Any

from geo.services.schema import CompiledSchema
from geo.services.tokens import hash_token
from smartcity.models import Asset, AssetKind, Device
from smartcity.validation import kind_checker

from .messages import AssetRef, DeviceRef


class Directory:
    def __init__(self, ttl: float | None = None, missing_ttl: float = 5.0) -> None:
        self.ttl, self.missing_ttl = ttl, missing_ttl
        self._loaded_at = time.monotonic()
        self._kinds: dict[str, dict[str, Any]] | None = None
        self._checkers: dict[str, CompiledSchema] = {}
        self._assets: dict[str, AssetRef | None] = {}
        self._missing_since: dict[str, float] = {}
        self._devices: dict[str, DeviceRef | None] = {}

    def _expire(self) -> None:
        if self.ttl is not None and time.monotonic() - self._loaded_at > self.ttl:
            self._kinds, self._assets, self._devices, self._missing_since = None, {}, {}, {}
            self._checkers = {}
            self._loaded_at = time.monotonic()

    def prefetch(self, asset_ids: Iterable[str], tokens: Iterable[str]) -> None:
        """Load, in one query each, the assets and devices a batch names that are not cached."""
        self._expire()
        now = time.monotonic()
        missing = {a for a in asset_ids if a not in self._assets
                   or (self._assets[a] is None and now - self._missing_since[a] > self.missing_ttl)}
        if missing:
            for pk, asset_id, kind, attrs in Asset.objects.filter(asset_id__in=missing).values_list(
                    "pk", "asset_id", "kind_id", "attributes"):
                self._assets[asset_id] = AssetRef(pk, asset_id, kind, attrs if isinstance(attrs, dict) else {})
                missing.discard(asset_id)
            for asset_id in missing:
                self._assets[asset_id] = None
                self._missing_since[asset_id] = now
        hashes = {hash_token(t): t for t in tokens if t not in self._devices}
        if hashes:
            found = self._load_devices(list(hashes))
            for digest, token in hashes.items():
                self._devices[token] = found.get(digest)

    @staticmethod
    def _load_devices(hashes: list[str]) -> dict[str, DeviceRef]:
        rows = list(Device.objects.filter(token_hash__in=hashes).values_list("pk", "device_id", "active", "token_hash"))
        pks = [r[0] for r in rows]
        kinds: dict[int, set[str]] = {pk: set() for pk in pks}
        assets: dict[int, set[int]] = {pk: set() for pk in pks}
        for dev, kind in Device.allowed_kinds.through.objects.filter(device_id__in=pks).values_list(
                "device_id", "assetkind_id"):
            kinds[dev].add(kind)
        for dev, asset in Device.allowed_assets.through.objects.filter(device_id__in=pks).values_list(
                "device_id", "asset_id"):
            assets[dev].add(asset)
        return {digest: DeviceRef(pk, device_id, active, frozenset(kinds[pk]), frozenset(assets[pk]))
                for pk, device_id, active, digest in rows}

    def kind_schema(self, type_name: str) -> dict[str, Any] | None:
        self._expire()
        if self._kinds is None:
            self._kinds = {t: s if isinstance(s, dict) else {}
                           for t, s in AssetKind.objects.values_list("type", "schema")}
        return self._kinds.get(type_name)

    def kind_checker(self, type_name: str) -> CompiledSchema | None:
        """The kind's compiled schema, held with the kind: readings are checked, not compiled."""
        schema = self.kind_schema(type_name)
        if schema is None:
            return None
        checker = self._checkers.get(type_name)
        if checker is None:
            checker = self._checkers[type_name] = kind_checker(schema)
        return checker

    def asset(self, asset_id: str) -> AssetRef | None:
        if asset_id not in self._assets:
            self.prefetch([asset_id], [])
        return self._assets.get(asset_id)

    def device(self, token: str) -> DeviceRef | None:
        if token not in self._devices:
            self.prefetch([], [token])
        return self._devices[token]
