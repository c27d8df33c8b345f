"""The MQTT ingest worker (`manage.py ingest_mqtt`, or run_worker in a thread for tests).

Delivery guarantee: subscriptions are QoS 1 in a persistent session (fixed client id,
clean_start False, a session expiry), and messages are acknowledged by hand only after the
batch holding them has committed. A crash or a lost connection before that leaves them unacked
in the broker's session, which delivers them again; the observation table's primary key turns the
second copy into a no-op. So: at least once over the wire, exactly once in the table.

Acks are tied to the connection a message came on: after a reconnect, messages received on the
old connection are not acked (their ids belong to the old one); the broker re-sends them.

Flow control: MQTT v5 Receive Maximum caps unacked messages in flight, which bounds the memory a
stalled worker (PostgreSQL down) can fill; the broker keeps the rest queued for the session —
configure the broker with max_queued_messages 0 (or large) and persistence true, or it drops
what does not fit.

Load sharing: with shared=True the worker subscribes to $share/<group>/<root>/+/+ so several
workers (each its own client id) split the stream. Each also runs the stale check; it is
idempotent, so running it on every worker does no harm."""

import collections
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import InterfaceError, OperationalError, connection

from smartcity import alerts, conf, partitions
from smartcity import mqtt as kmqtt

from .directory import Directory
from .intake import Intake
from .messages import Envelope
from .store import BatchResult, write_batch

log = logging.getLogger(__name__)
RETRYABLE = (OperationalError, InterfaceError)
Item = tuple[int, int, int, str, bytes]  # connection generation, mid, qos, topic, payload


@dataclass
class WorkerStats:
    received: int = 0
    batches: int = 0
    acked: int = 0
    not_acked: int = 0
    connects: int = 0
    db_retries: int = 0
    totals: BatchResult = field(default_factory=BatchResult)


class _Link:
    """The broker connection: paho's network thread hands messages over through a deque."""

    def __init__(self, topic: str, client_id: str, *, session_expiry: int, receive_max: int, batch_size: int,
                 stats: WorkerStats, broker: dict[str, Any] | None = None) -> None:
        self.topic, self.stats, self.batch_size = topic, stats, batch_size
        # a deque and an event rather than a queue: the consumer wakes once per batch, not per message
        self.inbox: collections.deque[Item] = collections.deque()
        self.full = threading.Event()
        self.generation = 0
        self.lock = threading.Lock()
        self.subscribed = threading.Event()
        broker = broker or conf.mqtt_broker()
        self.client = kmqtt.client(client_id, manual_ack=True, broker=broker)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message
        self.client.on_disconnect = self._on_disconnect
        self.client.connect_async(broker["host"], broker["port"], keepalive=30, clean_start=False,
                                  properties=kmqtt.connect_properties(session_expiry, receive_max))
        self.client.loop_start()

    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            log.warning("broker refused the connection: %s", reason_code)
            return
        with self.lock:
            self.generation += 1
            self.stats.connects += 1
        self.subscribed.clear()
        log.info("connected (session present: %s), subscribing to %s", flags.session_present, self.topic)
        client.subscribe(self.topic, qos=1)

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:
        if all(not rc.is_failure for rc in reason_codes):
            self.subscribed.set()
        else:
            log.error("subscription to %s refused: %s", self.topic, reason_codes)

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        self.subscribed.clear()
        log.warning("disconnected from the broker (%s); reconnecting", reason_code)

    def _on_message(self, client, userdata, msg) -> None:
        # plain values, not paho's message object: thousands of those held until their batch commits
        # (each with a lock and a condition inside) kept Python's cyclic GC busy — measured at three
        # times the network thread's CPU per message
        self.inbox.append((self.generation, msg.mid, msg.qos, _topic(msg), msg.payload))
        if len(self.inbox) >= self.batch_size:
            self.full.set()

    def take(self, wait: float) -> list[Item]:
        """Up to a batch of messages: at once when a batch is waiting, else what came within `wait`."""
        if len(self.inbox) < self.batch_size:
            self.full.wait(wait)
        self.full.clear()
        inbox, items = self.inbox, []
        for _ in range(min(len(inbox), self.batch_size)):
            items.append(inbox.popleft())
        return items

    def ack(self, items: list[Item]) -> tuple[int, int]:
        """Acknowledge the batch's QoS-1 messages that came on the current connection."""
        with self.lock:
            live = self.generation if self.client.is_connected() else -1
            mids = [mid for gen, mid, qos, _, _ in items if qos == 1 and gen == live]
            skipped = sum(1 for gen, _, qos, _, _ in items if qos == 1 and gen != live)
            for mid in mids:
                self.client.ack(mid, 1)
        return len(mids), skipped

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def _topic(msg: Any) -> str:
    try:
        return msg.topic
    except UnicodeDecodeError:
        return repr(msg._topic)[:300]


def _reset_connection() -> None:
    partitions.forget()
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - the connection is already broken; closing is best effort
        log.debug("closing a broken connection failed", exc_info=True)


class Worker:
    """One consumer: a broker link, the intake and the batch writer, plus the periodic jobs."""

    def __init__(self, stop: threading.Event, *, topic_root: str | None = None, client_id: str | None = None,
                 shared: bool = False, batch_size: int | None = None, flush_seconds: float | None = None,
                 stale_every: float = 60.0, directory_ttl: float = 30.0, broker: dict[str, Any] | None = None
                 ) -> None:
        self.stop = stop
        self.root = topic_root or conf.get("KENT_MQTT_TOPIC_ROOT")
        self.batch_size = batch_size or conf.get("KENT_INGEST_BATCH_SIZE")
        self.flush_seconds = flush_seconds if flush_seconds is not None else conf.get("KENT_INGEST_FLUSH_SECONDS")
        self.stale_every = stale_every
        self.stats = WorkerStats()
        self.intake = Intake(Directory(ttl=directory_ttl), topic_root=self.root)
        topic = kmqtt.subscription(self.root, conf.get("KENT_MQTT_SHARED_GROUP") if shared else None)
        self.link = _Link(topic, client_id or conf.get("KENT_MQTT_CLIENT_ID"),
                          session_expiry=conf.get("KENT_MQTT_SESSION_EXPIRY"),
                          receive_max=3 * self.batch_size, batch_size=self.batch_size, stats=self.stats,
                          broker=broker)

    def _with_retry(self, job: Callable[[], Any], what: str) -> bool:
        """Run a database job until it succeeds (True) or the worker is told to stop (False)."""
        delay = 0.5
        while True:
            try:
                job()
                return True
            except RETRYABLE as e:
                self.stats.db_retries += 1
                log.warning("%s failed, database unavailable (%s); retrying in %.1fs", what, str(e).strip(), delay)
                _reset_connection()
                if self.stop.wait(delay):
                    return False
                delay = min(delay * 2, 5.0)

    def _process(self, items: list[Item]) -> None:
        envelopes = [Envelope("mqtt", topic, payload) for _, _, _, topic, payload in items]
        done: list[BatchResult] = []
        if not self._with_retry(lambda: done.append(write_batch(*self.intake.sort(envelopes))),
                                f"batch of {len(items)}"):
            return  # stopping with the database down: nothing acked, the broker keeps them
        result = done[0]
        result.refusals.clear()
        self.stats.totals.add(result)
        self.stats.batches += 1
        acked, skipped = self.link.ack(items)
        self.stats.acked += acked
        self.stats.not_acked += skipped

    def _housekeeping(self, last: dict[str, float]) -> None:
        now = time.monotonic()
        if now - last.get("partitions", -1e9) > 3600:
            if self._with_retry(partitions.ensure_ahead, "partitions"):
                last["partitions"] = now
        if now - last.get("stale", -1e9) > self.stale_every:
            if self._with_retry(alerts.check_stale, "stale check"):
                last["stale"] = now

    def run(self, ready: threading.Event | None = None) -> WorkerStats:
        last: dict[str, float] = {}
        try:
            while not self.stop.is_set():
                if ready is not None and not ready.is_set() and self.link.subscribed.is_set():
                    ready.set()
                self._housekeeping(last)
                items = self.link.take(self.flush_seconds)
                if items:
                    self.stats.received += len(items)
                    self._process(items)
        finally:
            self.link.close()
            connection.close()
        return self.stats


def run_worker(stop: threading.Event, *, ready: threading.Event | None = None, **options: Any) -> WorkerStats:
    """Consume readings until `stop` is set; `ready` is set once the subscription is active."""
    return Worker(stop, **options).run(ready)
