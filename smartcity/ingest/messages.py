"""What flows through ingest: an envelope as it arrived, a reading ready to store, a refusal."""

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from smartcity.models import DeadLetter

UNSET: Any = object()


@dataclass(slots=True)
class Envelope:
    """One message as it arrived: raw bytes (MQTT) or an already decoded item (HTTP batch)."""

    source: str
    topic: str
    payload: bytes = b""
    obj: Any = UNSET
    token: str | None = None
    tag: Any = None  # whatever the caller needs back with a refusal (the HTTP item index)

    def raw_text(self) -> tuple[str, bool]:
        """The raw content for a dead letter: text when it is clean UTF-8, base64 otherwise."""
        if self.obj is not UNSET and not self.payload:
            return json.dumps(self.obj, ensure_ascii=False, default=str)[:200_000], False
        try:
            text = self.payload.decode("utf-8")
            if "\x00" not in text:
                return text[:200_000], False
        except UnicodeDecodeError:
            pass
        return base64.b64encode(self.payload[:150_000]).decode("ascii"), True


@dataclass(slots=True)
class AssetRef:
    pk: int
    asset_id: str
    kind: str
    attributes: dict[str, Any]


@dataclass(slots=True)
class DeviceRef:
    pk: int
    device_id: str
    active: bool
    kinds: frozenset[str]
    asset_pks: frozenset[int]

    def may_write(self, asset: AssetRef) -> bool:
        return asset.kind in self.kinds or asset.pk in self.asset_pks


@dataclass(slots=True)
class Reading:
    asset: AssetRef
    observed_at: datetime
    data: dict[str, Any]
    device_pk: int | None
    envelope: Envelope | None = None


@dataclass(slots=True)
class Refusal:
    envelope: Envelope
    reason: str
    detail: str
    device: str = ""
    asset_ref: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def dead_letter(self) -> DeadLetter:
        text, is_b64 = self.envelope.raw_text()
        return DeadLetter(source=self.envelope.source, topic=self.envelope.topic[:300], device=self.device[:80],
                          asset_ref=self.asset_ref[:200], reason=self.reason, detail=self.detail,
                          payload=text, payload_base64=is_b64)
