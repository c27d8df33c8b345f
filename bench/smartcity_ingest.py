"""Smart-city ingest bench: readings per second from MQTT into PostGIS, end to end, against the
broker alone and a bare COPY of the same rows, in the same run; then the same stream with the
broker restarted mid-stream and (opt-in, it disturbs everyone on this PostgreSQL) with PostgreSQL
restarted mid-stream. Every run is counted: published == stored, exactly once.

    .venv/bin/python bench/smartcity_ingest.py                       # 100,000 readings per run
    .venv/bin/python bench/smartcity_ingest.py --messages 200000 --restart-postgres

It starts its own Mosquitto on 127.0.0.1:18830 (persistence under /tmp/kent-bench-mosquitto,
max_queued_messages 0) so it may restart it; the system broker on 1883 is never touched. The
database is its own (`bench_kent_smartcity`, migrated, dropped at the end unless --keep-db).
The worker is `manage.py ingest_mqtt` in a separate process, as in production; the publisher is
this process (bench/smartcity_mqtt_load.py: a lean QoS-1 publisher standing in for thousands of
devices, since paho's own publish path would cap the run at ~5–7k/s on this machine), the same
publisher for the broker-only run; the broker-only consumer is paho, the library the worker uses,
so the ratio compares like with like."""

import argparse
import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from smartcity_mqtt_load import LoadPublisher  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kent.settings")
PORT = int(os.environ.get("KENT_BENCH_MQTT_PORT", "18830"))
BROKER_DIR = Path("/tmp/kent-bench-mosquitto")
BROKER = {"host": "127.0.0.1", "port": PORT, "username": None, "password": None, "tls": False}
DB_NAME = "bench_kent_smartcity"


class Broker:
    """A Mosquitto of the bench's own, restartable; its sessions and queues survive a restart."""

    def __init__(self) -> None:
        shutil.rmtree(BROKER_DIR, ignore_errors=True)
        BROKER_DIR.mkdir(parents=True)
        BROKER_DIR.chmod(0o777)  # mosquitto drops root for its own user and must write persistence here
        self.conf = BROKER_DIR / "mosquitto.conf"
        self.conf.write_text(f"listener {PORT} 127.0.0.1\nallow_anonymous true\npersistence true\n"
                             f"persistence_location {BROKER_DIR}/\nmax_queued_messages 0\n"
                             f"log_dest file {BROKER_DIR}/mosquitto.log\n")
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(["mosquitto", "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("bench broker did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: a clean shutdown writes the persistence file
            self.proc.wait(30)
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


def make_payloads(n: int, assets: list[str], token: str, device: str, root: str, base: datetime
                  ) -> list[tuple[str, bytes]]:
    """n readings round-robin over the assets, one per asset per second of simulated time."""
    out = []
    for i in range(n):
        asset = assets[i % len(assets)]
        at = base + timedelta(seconds=i // len(assets))
        body = {"deviceId": device, "token": token, "dateObserved": at.isoformat(),
                "fillingLevel": round((i % 97) / 100, 2), "temperature": 18.5, "status": "ok"}
        out.append((f"{root}/WasteContainer/{asset}", json.dumps(body).encode()))
    return out


def publish(payloads: list[tuple[str, bytes]], *, on_half=None, rate: float | None = None) -> float:
    """Publish everything at QoS 1 (as fast as the broker takes it, or at `rate`/s), calling
    on_half() midway (the disturbance); return once the broker has acknowledged every message.
    Returns the start time."""
    started = time.time()
    LoadPublisher(BROKER["host"], BROKER["port"], f"bench-pub-{uuid.uuid4().hex[:6]}").publish_all(
        payloads, on_half=on_half, rate=rate)
    return started


def subscriber_role(args: argparse.Namespace) -> None:
    """The broker-only baseline's consumer: QoS 1, auto ack, count, report first/last arrival."""
    from smartcity import mqtt as kmqtt

    state = {"n": 0, "first": 0.0, "last": 0.0}

    def on_message(client, userdata, msg) -> None:
        now = time.time()
        state["first"] = state["first"] or now
        state["last"] = now
        state["n"] += 1

    client = kmqtt.client(f"bench-sub-{uuid.uuid4().hex[:6]}", broker=BROKER)
    client.on_message = on_message
    client.on_subscribe = lambda *a: print("ready", flush=True)
    client.on_connect = lambda c, *a: c.subscribe(f"{args.topic_root}/+/+", qos=1)
    client.connect(BROKER["host"], BROKER["port"], keepalive=30,
                   properties=kmqtt.connect_properties(0, receive_maximum=65535))
    client.loop_start()
    deadline = time.time() + 600
    while state["n"] < args.expect and time.time() < deadline:
        time.sleep(0.01)
    client.loop_stop()
    print(json.dumps(state), flush=True)


def broker_only(payloads: list[tuple[str, bytes]], root: str) -> dict:
    sub = subprocess.Popen([sys.executable, __file__, "--role", "subscriber", "--topic-root", root,
                            "--expect", str(len(payloads))], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert sub.stdout.readline().strip() == "ready"
    started = publish(payloads)
    result = json.loads(sub.stdout.readline())
    sub.wait(30)
    return {"received": result["n"], "seconds": result["last"] - started,
            "rate": result["n"] / (result["last"] - started)}


def bare_copy(rows: list[tuple]) -> dict:
    """The same rows COPYed into a plain table shaped like the observations: the database's ceiling."""
    from django.db import connection, transaction

    buf = io.StringIO()
    w = csv.writer(buf)
    for row in rows:
        w.writerow(row)
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (LIKE smartcity_observation "
                    "INCLUDING DEFAULTS INCLUDING INDEXES)")
    buf.seek(0)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.copy_expert("COPY bench_copy (asset_id, observed_at, received_at, device_id, data) "
                        "FROM STDIN (FORMAT csv)", buf)
    seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM bench_copy")
        n = cur.fetchone()[0]
        cur.execute("DROP TABLE bench_copy")
    return {"rows": n, "seconds": seconds, "rate": n / seconds}


def stored_count(since: datetime) -> int:
    """Rows observed since `since`, reconnecting when PostgreSQL was restarted under us."""
    from django.db import connection
    from django.db.utils import InterfaceError, OperationalError

    for _ in range(120):
        try:
            with connection.cursor() as cur:
                cur.execute("SELECT count(*), count(DISTINCT (asset_id, observed_at)) FROM smartcity_observation "
                            "WHERE observed_at >= %s", [since])
                total, distinct = cur.fetchone()
                assert total == distinct, "duplicate observations"
                return total
        except (OperationalError, InterfaceError):
            connection.close()
            time.sleep(1)
    raise RuntimeError("database unreachable")


def reset_observations() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("TRUNCATE smartcity_observation; DELETE FROM smartcity_assetstate; "
                    "DELETE FROM smartcity_alert; DELETE FROM smartcity_deadletter")


def end_to_end(payloads: list[tuple[str, bytes]], root: str, *, base: datetime, batch_size: int | None,
               disturb=None, rate: float | None = None, label: str) -> dict:
    """Publish through the broker into a separate `manage.py ingest_mqtt` process, count rows."""
    from django.db import connection

    from smartcity.models import DeadLetter

    reset_observations()
    db = connection.settings_dict
    env = {**os.environ, "KENT_DATABASE_URL": f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
           f"{db['NAME']}", "KENT_MQTT_URL": f"mqtt://127.0.0.1:{PORT}", "KENT_LOG_LEVEL": "WARNING"}
    log = open(BROKER_DIR / f"worker-{label}.log", "w")
    command = [sys.executable, "manage.py", "ingest_mqtt", "--topic-root", root, "--client-id", f"bench-ingest-{root}",
               "--stale-every", "3600", "--report-every", "5"]
    command += ["--batch-size", str(batch_size)] if batch_size else []
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        # warm-up readings (older than `base`, not counted) until one is stored: the worker has
        # subscribed and its caches are warm
        warm_at = base - timedelta(hours=1)
        for k in range(120):
            warm = {**json.loads(payloads[0][1]), "dateObserved": (warm_at + timedelta(seconds=k)).isoformat()}
            publish([(payloads[0][0], json.dumps(warm).encode())])
            if stored_count(warm_at):
                break
            assert worker.poll() is None, "worker died"
            time.sleep(0.5)
        started = publish(payloads, on_half=disturb, rate=rate)
        published_at = time.time()
        last_n, last_change = 0, time.time()
        while (n := stored_count(base)) < len(payloads):
            if n != last_n:
                last_n, last_change = n, time.time()
            if time.time() - last_change > 90:
                break
            time.sleep(0.2)
        done = time.time()
        n = stored_count(base)
        return {"published": len(payloads), "stored": n, "seconds": done - started, "rate": n / (done - started),
                "publish_seconds": published_at - started, "lag_after_last_publish": done - published_at,
                "dead_letters": DeadLetter.objects.count(), "exactly_once": n == len(payloads)}
    finally:
        worker.terminate()
        worker.wait(60)
        log.close()


def restart_postgres() -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"], check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--assets", type=int, default=1000)
    ap.add_argument("--batch-size", type=int, default=None, help="worker batch (default KENT_INGEST_BATCH_SIZE)")
    ap.add_argument("--pace", type=float, default=5000,
                    help="readings/s of the paced run, which checks the goal is kept up with (0: skip)")
    ap.add_argument("--restart-postgres", action="store_true",
                    help="also restart PostgreSQL mid-stream (disturbs everyone using this server)")
    ap.add_argument("--keep-db", action="store_true")
    ap.add_argument("--json", type=Path, help="write the figures here too")
    ap.add_argument("--role", default="bench", help=argparse.SUPPRESS)
    ap.add_argument("--topic-root", help=argparse.SUPPRESS)
    ap.add_argument("--expect", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    import django

    django.setup()
    if args.role == "subscriber":
        return subscriber_role(args)

    from django.contrib.gis.geos import Point
    from django.db import connection
    from django.test.utils import setup_test_environment

    from smartcity.kinds import sync_kinds
    from smartcity.models import Asset, AssetKind, Device

    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = DB_NAME
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    broker = Broker()
    broker.start()
    from smartcity import conf

    figures: dict = {"messages": args.messages, "assets": args.assets,
                     "batch_size": args.batch_size or conf.get("KENT_INGEST_BATCH_SIZE"),
                     "cpus": os.cpu_count(), "load_before": os.getloadavg()[0]}
    try:
        sync_kinds(AssetKind)
        Asset.objects.bulk_create([Asset(kind_id="WasteContainer", asset_id=f"bench-wc-{i:05d}",
                                         geom=Point(32.8 + i * 1e-5, 39.9, srid=4326)) for i in range(args.assets)])
        ids = [f"bench-wc-{i:05d}" for i in range(args.assets)]
        device = Device(device_id="bench-feeder")
        token = device.issue_token()
        device.save()
        device.allowed_kinds.add("WasteContainer")
        base = datetime.now(UTC) - timedelta(minutes=30)

        def stream(tag: str) -> tuple[str, list[tuple[str, bytes]]]:
            root = f"bench-{tag}-{uuid.uuid4().hex[:6]}"
            return root, make_payloads(args.messages, ids, token, device.device_id, root, base)

        root, payloads = stream("broker")
        figures["broker_only"] = broker_only(payloads, root)
        print(f"broker only      {figures['broker_only']['rate']:9.0f} readings/s", flush=True)
        pks = dict(Asset.objects.values_list("asset_id", "pk"))
        now = datetime.now(UTC).isoformat()
        rows = [(pks[t.rsplit("/", 1)[1]], json.loads(b)["dateObserved"], now, device.pk,
                 json.dumps({k: v for k, v in json.loads(b).items() if k not in {"deviceId", "token", "dateObserved"}}))
                for t, b in payloads]
        figures["bare_copy"] = bare_copy(rows)
        print(f"bare COPY        {figures['bare_copy']['rate']:9.0f} rows/s", flush=True)
        runs = [("steady", None, None), ("broker_restart", broker.restart, None)]
        if args.restart_postgres:
            runs.append(("postgres_restart", restart_postgres, None))
        if args.pace:
            runs.append((f"paced_{args.pace:g}", None, args.pace))
        for label, disturb, rate in runs:
            root, payloads = stream(label)
            r = end_to_end(payloads, root, base=base, batch_size=args.batch_size, disturb=disturb, rate=rate,
                           label=label)
            r["vs_broker_only"] = r["rate"] / figures["broker_only"]["rate"]
            r["vs_bare_copy"] = r["rate"] / figures["bare_copy"]["rate"]
            figures[label] = r
            print(f"end to end {label:<16} {r['rate']:7.0f} readings/s  ({r['vs_broker_only']:.2f}× broker only, "
                  f"{r['vs_bare_copy']:.2f}× bare COPY)  published {r['published']}, stored {r['stored']}, "
                  f"exactly once: {r['exactly_once']}, dead letters {r['dead_letters']}, "
                  f"last stored {r['lag_after_last_publish']:.1f}s after the last publish", flush=True)
        figures["load_after"] = os.getloadavg()[0]
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2))
    finally:
        broker.stop()
        if not args.keep_db:
            connection.close()
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
