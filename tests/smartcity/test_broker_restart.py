"""The broker as scripts/setup.sh configures it (scripts/mosquitto-conf.sh) survives a restart:
readings queued for the ingest worker while it was away are still delivered after the broker
restarts mid-stream. A second Mosquitto of the test's own, on another port, is restarted, never
the shared one on 1883. The control case, the old layout (persistence in a root-owned directory
the broker cannot write once it drops to its own user), shows the test sees a loss when there is one."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartcity.models import Observation

from .conftest import Publisher, WorkerThread, ts, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
SETUP_CONF = ROOT / "scripts" / "mosquitto-conf.sh"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnBroker:
    def __init__(self, conf: Path, port: int) -> None:
        self.conf, self.port, self.proc = conf, port, None

    def start(self) -> None:
        self.proc = subprocess.Popen(["mosquitto", "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        def up() -> bool:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return True
            except OSError:
                return False
        wait_until(up, timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM, as systemctl restart does: the broker saves its state
            self.proc.wait(30)


def kent_layout(state: Path, port: int) -> Path:
    out = subprocess.run(["bash", str(SETUP_CONF), str(state), str(port)], check=True, capture_output=True, text=True)
    return Path(out.stdout.strip())


def old_layout(state: Path, port: int) -> Path:
    """What setup.sh wrote before: a directory root created and kept, with the broker as its own user."""
    state.mkdir(mode=0o700)
    conf = state / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
                    f"persistence_location {state}/\nmax_queued_messages 0\n")
    return conf


@pytest.fixture(params=["kent", "old"])
def broker(request, settings) -> Iterator[tuple[str, OwnBroker]]:
    if os.geteuid() != 0:
        pytest.skip("needs root: the broker starts as root and drops to the mosquitto user, as in production")
    if shutil.which("mosquitto") is None:
        pytest.skip("mosquitto not installed")
    state = Path(tempfile.mkdtemp(prefix="kent-broker-test-")) / "state"
    state.parent.chmod(0o755)  # as /var/lib is: the broker's user must reach its state directory
    port = free_port()
    conf = (kent_layout if request.param == "kent" else old_layout)(state, port)
    own = OwnBroker(conf, port)
    own.start()
    settings.MQTT_URL = f"mqtt://127.0.0.1:{port}"
    yield request.param, own
    own.stop()
    shutil.rmtree(state.parent, ignore_errors=True)


def test_broker_restart_mid_stream_loses_no_reading(broker, topic_root, kinds, make_asset, make_device):
    layout, own = broker
    bin_ = make_asset("WasteContainer")
    device, token = make_device(kinds=("WasteContainer",))
    seconds = iter(range(10_000, 0, -1))

    def send(publisher: Publisher, n: int) -> None:
        for _ in range(n):
            publisher.send("WasteContainer", bin_.asset_id, {"deviceId": device.device_id, "token": token,
                                                              "dateObserved": ts(next(seconds)),
                                                              "fillingLevel": 0.5})

    def stored() -> int:
        return Observation.objects.filter(asset_id=bin_.pk).count()

    worker = WorkerThread(topic_root)
    worker.start()
    publisher = Publisher(topic_root)
    try:
        send(publisher, 50)                       # the stream flows ...
        wait_until(lambda: stored() == 50)
        worker.stop()                             # ... the worker is away (its session stays) ...
        send(publisher, 300)                      # ... readings queue up in the broker, acknowledged ...
        publisher.close()
        time.sleep(0.2)
        own.stop()                                # ... and the broker restarts mid-stream
        own.start()
        worker.start()                            # the worker comes back, the stream goes on
        publisher = Publisher(topic_root)
        send(publisher, 50)
        if layout == "kent":
            wait_until(lambda: stored() == 400, timeout=60)
        else:   # the control: the queue could not be saved, the 300 queued readings are gone
            wait_until(lambda: stored() == 100, timeout=60)
            time.sleep(2)
        assert 400 - stored() == (0 if layout == "kent" else 300)
    finally:
        publisher.close()
        worker.close()
