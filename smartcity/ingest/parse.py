"""From bytes to (type, asset id, attributes): JSON decoding that refuses what PostgreSQL's
jsonb would choke on later (NaN, Infinity, NUL), NGSI-LD entity unwrapping, topic parsing."""

import json
from datetime import datetime
from typing import Any

from smartcity.errors import ReadingRejected
from smartcity.models import DeadLetter

R = DeadLetter.Reason
NGSI_PREFIX = "urn:ngsi-ld:"
NGSI_NODE_TYPES = {"Property", "GeoProperty", "Relationship", "LanguageProperty"}
# envelope fields that say who sent a reading or what it is about, never stored as values
META_KEYS = {"id", "type", "@context", "device", "deviceId", "token", "assetId"}


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def decode(payload: bytes, max_bytes: int) -> Any:
    if len(payload) > max_bytes:
        raise ReadingRejected(R.TOO_LARGE, f"İleti {len(payload)} bayt; en çok {max_bytes} bayt. (Too large.)")
    try:
        text = payload.decode("utf-8")
        obj = json.loads(text, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as e:
        raise ReadingRejected(R.NOT_JSON, f"İleti geçerli JSON değil: {e}. (Not valid JSON.)") from None
    if "\\u0000" in text:
        raise ReadingRejected(R.INVALID, "İleti NUL karakteri (\\u0000) içeriyor. (NUL is not allowed.)")
    return obj


def split_topic(topic: str, root: str) -> tuple[str, str]:
    """`<root>/{Type}/{asset_id}` -> (Type, asset_id)."""
    rest = topic[len(root) + 1:] if topic.startswith(root + "/") else ""
    parts = rest.split("/")
    if len(parts) != 2 or not all(parts):
        raise ReadingRejected(R.BAD_TOPIC, f"Konu '{topic}' {root}/{{Tür}}/{{varlık}} biçiminde değil. (Bad topic.)")
    return parts[0], parts[1]


def split_entity_id(entity_id: Any, type_name: Any) -> tuple[str, str]:
    """An HTTP item's (Type, asset_id) from `id` ("urn:ngsi-ld:Type:asset" or a bare asset id)
    and `type`; both given and disagreeing is refused."""
    if not isinstance(entity_id, str) or not entity_id:
        raise ReadingRejected(R.UNKNOWN_ASSET, "Okumada 'id' (varlık kimliği) yok. (An 'id' is required.)")
    if entity_id.startswith(NGSI_PREFIX):
        parts = entity_id[len(NGSI_PREFIX):].split(":", 1)
        if len(parts) != 2 or not all(parts):
            raise ReadingRejected(R.UNKNOWN_ASSET, f"'{entity_id}' urn:ngsi-ld:Tür:kimlik biçiminde değil.")
        if type_name not in (None, "", parts[0]):
            raise ReadingRejected(R.KIND_MISMATCH, f"'id' türü {parts[0]}, 'type' {type_name}. (Type mismatch.)")
        return parts[0], parts[1]
    if not isinstance(type_name, str) or not type_name:
        raise ReadingRejected(R.UNKNOWN_KIND, "Okumada 'type' yok. (A 'type' is required.)")
    return type_name, entity_id


def _ngsi_value(node: dict[str, Any]) -> Any:
    value = node.get("value", node.get("object"))
    if isinstance(value, dict) and "@value" in value:
        return value["@value"]
    return value


def _later(a: str | None, b: Any) -> str | None:
    if not isinstance(b, str):
        return a
    if a is None:
        return b
    try:
        return b if datetime.fromisoformat(b) > datetime.fromisoformat(a) else a
    except (TypeError, ValueError):
        return a


def attributes(obj: dict[str, Any]) -> dict[str, Any]:
    """The reading's values by attribute name: NGSI-LD normalized properties unwrapped
    ({"type": "Property", "value": …}), plain key-values as they are. Without a dateObserved,
    the latest `observedAt` of the properties stands in for it."""
    out: dict[str, Any] = {}
    observed: str | None = None
    for key, value in obj.items():
        if key in META_KEYS:
            continue
        if isinstance(value, dict) and value.get("type") in NGSI_NODE_TYPES:
            observed = _later(observed, value.get("observedAt"))
            value = _ngsi_value(value)
        out[key] = value
    if out.get("dateObserved") is None and observed is not None:
        out["dateObserved"] = observed
    return out


def claimed_device(obj: dict[str, Any]) -> str | None:
    value = obj.get("deviceId", obj.get("device"))
    return value if isinstance(value, str) and value else None
