"""Deciding, for each envelope, whether it is a reading Kent keeps or a refusal with a reason.
Checks run in an order that leaks nothing to strangers: the device is authenticated before
anything is said about kinds or assets."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from smartcity import conf
from smartcity.errors import ReadingRejected
from smartcity.models import DeadLetter
from smartcity.validation import check_attributes, observed_at

from . import parse
from .directory import Directory
from .messages import UNSET, DeviceRef, Envelope, Reading, Refusal

R = DeadLetter.Reason


@dataclass(slots=True)
class _Parsed:
    envelope: Envelope
    type_name: str
    asset_id: str
    data: dict[str, Any]
    token: str | None
    claimed: str | None


class Intake:
    def __init__(self, directory: Directory, *, topic_root: str | None = None) -> None:
        self.directory = directory
        self.topic_root = topic_root or conf.get("KENT_MQTT_TOPIC_ROOT")
        self.max_bytes = conf.get("KENT_READING_MAX_BYTES")
        self.max_future = timedelta(seconds=conf.get("KENT_READING_MAX_FUTURE_SECONDS"))
        self.max_age = timedelta(days=conf.get("KENT_OBSERVATION_RETENTION_DAYS"))

    def sort(self, envelopes: Iterable[Envelope]) -> tuple[list[Reading], list[Refusal]]:
        """Readings to store and refusals to dead-letter, in arrival order."""
        parsed: list[_Parsed | Refusal] = []
        for env in envelopes:
            try:
                parsed.append(self._parse(env))
            except ReadingRejected as e:
                parsed.append(Refusal(env, e.reason, e.message))
        self.directory.prefetch({p.asset_id for p in parsed if isinstance(p, _Parsed)},
                                {p.token for p in parsed if isinstance(p, _Parsed) and p.token})
        now = datetime.now(UTC)
        readings: list[Reading] = []
        refusals: list[Refusal] = []
        for p in parsed:
            if isinstance(p, Refusal):
                refusals.append(p)
                continue
            try:
                readings.append(self._check(p, now))
            except ReadingRejected as e:
                refusals.append(Refusal(p.envelope, e.reason, e.message, device=p.claimed or "",
                                        asset_ref=f"{p.type_name}/{p.asset_id}"))
        return readings, refusals

    def _parse(self, env: Envelope) -> _Parsed:
        obj = parse.decode(env.payload, self.max_bytes) if env.obj is UNSET else env.obj
        if not isinstance(obj, dict):
            raise ReadingRejected(R.NOT_OBJECT, "Okuma bir JSON nesnesi olmalı. (A reading must be a JSON object.)")
        if env.source == DeadLetter.Source.MQTT:
            type_name, asset_id = parse.split_topic(env.topic, self.topic_root)
            if obj.get("type") not in (None, type_name):
                raise ReadingRejected(R.KIND_MISMATCH, f"Konu türü {type_name}, içerik türü {obj.get('type')}.")
        else:
            type_name, asset_id = parse.split_entity_id(obj.get("id", obj.get("assetId")), obj.get("type"))
        token = env.token or (obj.get("token") if isinstance(obj.get("token"), str) else None)
        return _Parsed(env, type_name, asset_id, parse.attributes(obj), token, parse.claimed_device(obj))

    def _device(self, p: _Parsed) -> DeviceRef:
        device = self.directory.device(p.token) if p.token else None
        if device is None or not device.active:
            raise ReadingRejected(R.UNKNOWN_DEVICE, "Cihaz tanınmadı: anahtar yok, geçersiz ya da iptal edilmiş. "
                                                    "(Unknown or revoked device.)")
        if p.claimed is not None and p.claimed != device.device_id:
            raise ReadingRejected(R.UNKNOWN_DEVICE, f"Anahtar '{p.claimed}' cihazına ait değil. "
                                                    "(The token belongs to another device.)")
        return device

    def _check(self, p: _Parsed, now: datetime) -> Reading:
        device = self._device(p)
        p.claimed = device.device_id
        schema = self.directory.kind_checker(p.type_name)
        if schema is None:
            raise ReadingRejected(R.UNKNOWN_KIND, f"Bilinmeyen varlık türü '{p.type_name}'. (Unknown kind.)")
        asset = self.directory.asset(p.asset_id)
        if asset is None:
            raise ReadingRejected(R.UNKNOWN_ASSET, f"Bilinmeyen varlık '{p.asset_id}'. (Unknown asset.)")
        if asset.kind != p.type_name:
            raise ReadingRejected(R.KIND_MISMATCH, f"'{p.asset_id}' bir {asset.kind}, {p.type_name} değil.")
        if not device.may_write(asset):
            raise ReadingRejected(R.FORBIDDEN, f"'{device.device_id}' cihazı '{p.asset_id}' varlığına yazamaz. "
                                               "(Device not allowed for this asset.)")
        when = observed_at(p.data.pop("dateObserved", None), now=now, max_future=self.max_future,
                           max_age=self.max_age)
        check_attributes(schema, p.data)
        return Reading(asset, when, p.data, device.pk, p.envelope)
