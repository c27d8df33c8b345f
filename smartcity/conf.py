"""smartcity's settings, each read from Django settings, then the environment, then a default,
so a deployment tunes them without editing code and tests override them with `settings`."""

import os
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # every topic lives under <root>/{Type}/{asset_id}; tests and benches use their own root
    "KENT_MQTT_TOPIC_ROOT": "kent",
    "KENT_MQTT_CLIENT_ID": "kent-ingest",
    "KENT_MQTT_SHARED_GROUP": "kent-ingest",
    # how long the broker keeps the worker's session (and queues its QoS-1 messages) while it is away
    "KENT_MQTT_SESSION_EXPIRY": 7 * 24 * 3600,
    "KENT_INGEST_BATCH_SIZE": 5000,
    "KENT_INGEST_FLUSH_SECONDS": 0.2,
    "KENT_OBSERVATION_RETENTION_DAYS": 400,
    "KENT_READING_MAX_FUTURE_SECONDS": 300,
    "KENT_READING_MAX_BYTES": 64 * 1024,
    "KENT_READINGS_HTTP_MAX_BYTES": 1024 * 1024,
    "KENT_OBSERVATIONS_API_MAX_ROWS": 10_000,
    "KENT_OBSERVATIONS_API_MAX_DAYS": 31,
}


def get(name: str) -> Any:
    """A setting by name, typed like its default."""
    default = DEFAULTS[name]
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name)
    if value is None:
        return default
    return type(default)(value)


def mqtt_broker() -> dict[str, Any]:
    """host, port, username, password and tls from settings.MQTT_URL (mqtt:// or mqtts://)."""
    url = urlsplit(getattr(settings, "MQTT_URL", "mqtt://127.0.0.1:1883"))
    tls = url.scheme in {"mqtts", "ssl"}
    return {"host": url.hostname or "127.0.0.1", "port": url.port or (8883 if tls else 1883),
            "username": unquote(url.username) if url.username else None,
            "password": unquote(url.password) if url.password else None, "tls": tls}
