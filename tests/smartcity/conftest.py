"""smartcity fixtures: the declared kinds and rules, assets and devices, a topic root of the test's
own on the real broker (127.0.0.1:1883), the ingest worker in a thread, and a bounded wait."""

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point

from smartcity import mqtt as kmqtt
from smartcity import partitions
from smartcity.ingest.worker import Worker, WorkerStats
from smartcity.kinds import sync_kinds
from smartcity.models import AlertRule, Asset, AssetKind, Device
from smartcity.rules import sync_rules
from tests.jobworker import wait_until  # noqa: F401 - the smart-city tests import it from here


def ts(seconds_ago: float = 0.0) -> str:
    return (datetime.now(UTC) - timedelta(seconds=seconds_ago)).isoformat(timespec="milliseconds")


@pytest.fixture(autouse=True)
def _fresh_partition_memory() -> None:
    """Non-transactional tests roll back the partitions they create; forget them between tests."""
    partitions.forget()


@pytest.fixture
def kinds(db) -> None:
    # transactional tests flush the migration data; put the declared kinds and rules back
    sync_kinds(AssetKind)
    sync_rules(AlertRule)


@pytest.fixture
def make_asset(kinds) -> Callable[..., Asset]:
    def make(type_name: str, asset_id: str | None = None, **attributes: Any) -> Asset:
        asset_id = asset_id or f"{type_name[:3].lower()}-{uuid.uuid4().hex[:8]}"
        return Asset.objects.create(kind_id=type_name, asset_id=asset_id, name=f"Test {type_name}",
                                    attributes=attributes, geom=Point(32.82, 39.93, srid=4326))
    return make


@pytest.fixture
def make_device(kinds) -> Callable[..., tuple[Device, str]]:
    def make(kinds: tuple[str, ...] = (), assets: tuple[Asset, ...] = (), device_id: str | None = None
             ) -> tuple[Device, str]:
        device = Device(device_id=device_id or f"dev-{uuid.uuid4().hex[:8]}")
        token = device.issue_token()
        device.save()
        device.allowed_kinds.add(*kinds)
        device.allowed_assets.add(*assets)
        return device, token
    return make


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_user("akilli", password="pw", is_staff=True)


@pytest.fixture
def topic_root(settings) -> str:
    root = f"kent-test-{uuid.uuid4().hex[:10]}"
    settings.KENT_MQTT_TOPIC_ROOT = root
    return root


class WorkerThread:
    """run_worker in a thread, started and stopped by the test; restartable with the same client
    id, which is what makes the broker session persistent across restarts."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.client_id = f"kent-test-ingest-{uuid.uuid4().hex[:8]}"
        self.worker: Worker | None = None
        self.thread: threading.Thread | None = None

    @property
    def stats(self) -> WorkerStats:
        assert self.worker is not None
        return self.worker.stats

    def start(self, **options: Any) -> None:
        self.stop_event, ready = threading.Event(), threading.Event()
        errors: list[BaseException] = []
        self.worker = Worker(self.stop_event, topic_root=self.root, client_id=self.client_id, flush_seconds=0.05,
                             stale_every=3600, **options)

        def target() -> None:
            try:
                self.worker.run(ready)
            except BaseException as e:  # surfaced by stop()
                errors.append(e)
                ready.set()

        self.errors = errors
        self.thread = threading.Thread(target=target, daemon=True)
        self.thread.start()
        assert ready.wait(15), "worker did not subscribe within 15s"
        assert not errors, errors

    def stop(self) -> None:
        if self.thread is not None:
            self.stop_event.set()
            self.thread.join(30)
            assert not self.thread.is_alive(), "worker did not stop"
            self.thread = None
        assert not self.errors, self.errors

    def close(self) -> None:
        """Stop, and end the broker session, which would otherwise outlive the test by its expiry."""
        self.stop()
        kmqtt.end_session(self.client_id)


@pytest.fixture
def worker(topic_root: str, kinds) -> Iterator[WorkerThread]:
    w = WorkerThread(topic_root)
    w.start()
    yield w
    w.close()


class Publisher:
    def __init__(self, root: str) -> None:
        self.root = root
        self.client = kmqtt.publisher()

    def raw(self, topic: str, payload: bytes | str) -> None:
        self.client.publish(topic, payload, qos=1).wait_for_publish(10)

    def send(self, type_name: str, asset_id: str, payload: Any) -> None:
        self.raw(kmqtt.topic_for(type_name, asset_id, self.root), json.dumps(payload))

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


@pytest.fixture
def publisher(topic_root: str) -> Iterator[Publisher]:
    p = Publisher(topic_root)
    yield p
    p.close()
