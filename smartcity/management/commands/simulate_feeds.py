"""`manage.py simulate_feeds`: publish realistic readings for every existing asset over MQTT, as the
demo's sensors would (see smartcity.simulation), with a device created for the simulator."""

import json
import random
import signal
import threading
import time
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError

from smartcity import conf
from smartcity import mqtt as kmqtt
from smartcity.models import Asset
from smartcity.simulation import SIMULATOR_DEVICE, City, simulated_kinds, simulator_device


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a long-running process; URL or admin checks are not its business
    help = "Varlıklar için gerçekçi okumalar yayınlar. (Publish simulated readings for all assets.)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--duration", type=float, default=0, help="seconds to run (0: until Ctrl-C)")
        parser.add_argument("--rate", type=float, default=50, help="readings per second, all assets together")
        parser.add_argument("--time-scale", type=float, default=1.0,
                            help="city clock speed-up for the curves (60: an hour a minute)")
        parser.add_argument("--topic-root", default=None)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **opts) -> None:
        assets = list(Asset.objects.filter(kind_id__in=list(simulated_kinds())).order_by("asset_id"))
        if not assets:
            raise CommandError("No car parks, containers, signals or parking spots yet: build the demo first.")
        random.Random(opts["seed"]).shuffle(assets)
        _, token = simulator_device()
        city = City(assets, seed=opts["seed"], time_scale=opts["time_scale"])
        root = opts["topic_root"] or conf.get("KENT_MQTT_TOPIC_ROOT")
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        client = kmqtt.publisher(f"kent-simulator-{random.randrange(1 << 30):x}")
        self.stdout.write(f"simulate_feeds: {len(city.models)} assets -> {root}/{{Type}}/{{id}} "
                          f"at {opts['rate']:g}/s; Ctrl-C to stop")
        sent = self._run(client, city, root, token, opts, stop)
        client.loop_stop()
        client.disconnect()
        self.stdout.write(f"published {sent} readings")

    def _run(self, client, city: City, root: str, token: str, opts: dict, stop: threading.Event) -> int:
        """Publish in 100 ms ticks at the asked rate; wait for the broker's acks at the end."""
        rate, duration = max(opts["rate"], 0.1), opts["duration"]
        started = time.monotonic()
        sent, last = 0, None
        while not stop.is_set() and (not duration or time.monotonic() - started < duration):
            due = int((time.monotonic() - started) * rate) + 1
            now = datetime.now(UTC)
            while sent < due:
                type_name, asset_id, values = city.reading(sent, now)
                payload = {**values, "deviceId": SIMULATOR_DEVICE, "token": token}
                last = client.publish(kmqtt.topic_for(type_name, asset_id, root), json.dumps(payload), qos=1)
                sent += 1
            stop.wait(0.1)
        if last is not None:
            last.wait_for_publish(timeout=30)
        return sent
