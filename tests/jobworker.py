"""The django-tasks-db worker (`manage.py db_worker`) in a subprocess against the test database,
as in production, for the job tests; and a GeoJSON of many points big enough to watch an import."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
from shapely import points

ROOT = Path(__file__).resolve().parent.parent


def wait_until(check: Callable[[], Any], timeout: float = 60.0, every: float = 0.05) -> Any:
    """Poll until check() is truthy and return it; fail with the last value after `timeout`."""
    deadline = time.monotonic() + timeout
    value = check()
    while not value and time.monotonic() < deadline:
        time.sleep(every)
        value = check()
    assert value, f"condition not met within {timeout}s (last value {value!r})"
    return value


def worker_env(media_root: Path, **extra: str) -> dict[str, str]:
    from django.db import connection

    db = connection.settings_dict
    url = f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "KENT_DATABASE_URL": url, "KENT_MEDIA_ROOT": str(media_root), "KENT_DEBUG": "0",
            "KENT_JOB_HEARTBEAT_SECONDS": "0.5", "KENT_LOG_LEVEL": "WARNING", **extra}


class WorkerProcess:
    """One `manage.py db_worker`; stop() asks it to finish, kill() is SIGKILL (a crashed machine)."""

    def __init__(self, media_root: Path, log: Path, **env: str) -> None:
        self.log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay", "--no-reload"],
            cwd=ROOT, env=worker_env(media_root, **env), stdout=self.log, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def run_batch(media_root: Path, **env: str) -> None:
    """Run every queued task to its end in a worker that then exits (`db_worker --batch`)."""
    subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
                   cwd=ROOT, env=worker_env(media_root, **env), check=True, capture_output=True, timeout=300)


def many_points(path: Path, n: int) -> Path:
    """n points in a grid over central Ankara (WGS84), each with a name and a number."""
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    geoms = points(32.80 + (i % side) * 1e-4, 39.90 + (i // side) * 1e-4)
    frame = gpd.GeoDataFrame({"ad": [f"Nokta {k}" for k in range(n)], "n": i}, geometry=geoms, crs="EPSG:4326")
    frame.to_file(path, driver="GeoJSON")
    return path
