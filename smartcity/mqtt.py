"""MQTT plumbing shared by the worker, the simulator, the tests and the bench: clients made one
way (MQTT v5, the broker from settings.MQTT_URL) and topic names made one way."""

import threading
import uuid
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from smartcity import conf


def topic_for(type_name: str, asset_id: str, root: str | None = None) -> str:
    return f"{root or conf.get('KENT_MQTT_TOPIC_ROOT')}/{type_name}/{asset_id}"


def subscription(root: str, shared_group: str | None = None) -> str:
    """Every reading under root; with a group, a shared subscription that splits the load."""
    topic = f"{root}/+/+"
    return f"$share/{shared_group}/{topic}" if shared_group else topic


def client(client_id: str | None = None, *, manual_ack: bool = False, broker: dict[str, Any] | None = None
           ) -> paho.Client:
    broker = broker or conf.mqtt_broker()
    c = paho.Client(CallbackAPIVersion.VERSION2, client_id=client_id or f"kent-{uuid.uuid4().hex[:12]}",
                    protocol=paho.MQTTv5, manual_ack=manual_ack)
    if broker.get("username"):
        c.username_pw_set(broker["username"], broker.get("password"))
    if broker.get("tls"):
        c.tls_set()
    c.reconnect_delay_set(1, 10)
    return c


def connect_properties(session_expiry: int, receive_maximum: int | None = None) -> Properties:
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = session_expiry
    if receive_maximum:
        props.ReceiveMaximum = max(1, min(receive_maximum, 65535))
    return props


def publisher(client_id: str | None = None, *, broker: dict[str, Any] | None = None,
              inflight: int = 1000) -> paho.Client:
    """A connected publishing client with its network loop running; QoS-1 messages it could not
    deliver yet stay queued in it and go out after a reconnect."""
    broker = broker or conf.mqtt_broker()
    c = client(client_id, broker=broker)
    c.max_inflight_messages_set(inflight)
    c.max_queued_messages_set(0)
    c.connect(broker["host"], broker["port"], keepalive=30)
    c.loop_start()
    return c


def end_session(client_id: str, broker: dict[str, Any] | None = None) -> None:
    """Make the broker forget a persistent session (its subscriptions and queued messages), e.g.
    for a worker id that is retired: connect with clean start and a zero expiry, then leave."""
    broker = broker or conf.mqtt_broker()
    c = client(client_id, broker=broker)
    done = threading.Event()
    c.on_connect = lambda *a: done.set()
    c.connect(broker["host"], broker["port"], clean_start=True, properties=connect_properties(0))
    c.loop_start()
    done.wait(5)
    c.disconnect()
    c.loop_stop()
