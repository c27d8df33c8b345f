"""`manage.py ingest_mqtt`: the MQTT ingest worker (see smartcity.ingest.worker for guarantees)."""

import gc
import logging
import signal
import threading
import time

from django.core.management.base import BaseCommand

from smartcity import conf
from smartcity.ingest.worker import Worker


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a long-running process; URL or admin checks are not its business
    help = "MQTT'den okumaları alır ve kaydeder. (Consume MQTT readings into PostGIS.)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--topic-root", default=None, help="topic root (default KENT_MQTT_TOPIC_ROOT)")
        parser.add_argument("--client-id", default=None,
                            help="fixed MQTT client id: the persistent session is bound to it "
                                 "(default KENT_MQTT_CLIENT_ID; give each worker its own)")
        parser.add_argument("--shared", action="store_true",
                            help="use the shared subscription $share/<KENT_MQTT_SHARED_GROUP>/<root>/+/+")
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--flush-seconds", type=float, default=None)
        parser.add_argument("--stale-every", type=float, default=60.0, help="seconds between stale checks")
        parser.add_argument("--report-every", type=float, default=30.0, help="seconds between progress lines")

    def handle(self, *args, **opts) -> None:
        logging.getLogger("smartcity").setLevel(logging.INFO if opts["verbosity"] > 1 else logging.WARNING)
        # everything loaded so far (Django, the app registry) lives as long as the process: keep it out
        # of the cyclic GC's full passes, which otherwise revisit it every few thousand readings
        gc.freeze()
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        worker = Worker(stop, topic_root=opts["topic_root"], client_id=opts["client_id"], shared=opts["shared"],
                        batch_size=opts["batch_size"], flush_seconds=opts["flush_seconds"],
                        stale_every=opts["stale_every"])
        root = opts["topic_root"] or conf.get("KENT_MQTT_TOPIC_ROOT")
        self.stdout.write(f"ingest_mqtt: {root}/+/+ (QoS 1, persistent session); Ctrl-C to stop")
        reporter = threading.Thread(target=self._report, args=(worker, stop, opts["report_every"]), daemon=True)
        reporter.start()
        stats = worker.run()
        t = stats.totals
        self.stdout.write(f"stopped: {stats.received} received, {t.stored} stored, {t.duplicates} duplicates, "
                          f"{t.refused} dead-lettered, {t.opened} alerts opened, {t.closed} closed")

    def _report(self, worker: Worker, stop: threading.Event, every: float) -> None:
        last, last_t = 0, time.monotonic()
        while not stop.wait(every):
            s = worker.stats
            now = time.monotonic()
            rate = (s.totals.stored - last) / (now - last_t)
            last, last_t = s.totals.stored, now
            self.stdout.write(f"{s.received} received, {s.totals.stored} stored ({rate:.0f}/s), "
                              f"{s.totals.refused} dead-lettered, {s.db_retries} db retries, {s.connects} connects")
