"""Believable feeds for the demo: car parks that fill in the morning and empty at night, waste
containers that fill over a day or two and are emptied, signals cycling their phases with the odd
fault, parking spots following the car parks' curve. Each asset has its own seeded generator, so
a run is reproducible; `time_scale` speeds the city's clock up for a short demo (timestamps
stay real: dateObserved is always now)."""

import math
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from smartcity.models import Asset, AssetKind, Device

SIMULATOR_DEVICE = "kent-simulator"


def parking_curve(hour: float) -> float:
    """Share of spaces taken at an hour of day: a morning-to-afternoon hump and an evening bump."""
    day = math.exp(-(((hour - 11.5) / 3.6) ** 2))
    evening = math.exp(-(((hour - 19.5) / 1.8) ** 2))
    return min(1.0, 0.08 + 0.8 * day + 0.3 * evening)


def _hour(t: datetime) -> float:
    return t.hour + t.minute / 60 + t.second / 3600


class CarPark:
    def __init__(self, asset: Asset, rng: random.Random) -> None:
        self.rng = rng
        self.total = int(asset.attributes.get("totalSpotNumber") or rng.choice([60, 120, 250, 400]))
        self.scale = rng.uniform(0.75, 1.25)  # a few are popular enough to fill up at noon
        self.shift = rng.uniform(-1.0, 1.0)

    def __call__(self, clock: datetime, dt: float) -> dict[str, Any]:
        occ = parking_curve(_hour(clock) + self.shift) * self.scale + self.rng.gauss(0, 0.03)
        taken = max(0, min(self.total, round(occ * self.total)))
        return {"totalSpotNumber": self.total, "availableSpotNumber": self.total - taken,
                "occupancy": round(taken / self.total, 4)}


class Container:
    def __init__(self, asset: Asset, rng: random.Random) -> None:
        self.rng = rng
        self.level = rng.uniform(0, 0.7)
        self.per_hour = rng.uniform(1 / 48, 1 / 14)  # full in 14 to 48 hours
        self.capacity = float(asset.attributes.get("binCapacity") or rng.choice([770, 1100, 2500]))
        self.emptied: datetime | None = None

    def __call__(self, clock: datetime, dt: float) -> dict[str, Any]:
        busy = 0.4 + parking_curve(_hour(clock))
        self.level = min(1.0, self.level + self.per_hour * busy * dt / 3600 * self.rng.uniform(0.5, 1.5))
        if self.level >= 0.97 or (self.level > 0.85 and self.rng.random() < 0.02):
            self.level, self.emptied = self.rng.uniform(0.0, 0.05), clock
        status = "lidOpen" if self.rng.random() < 0.01 else "ok"
        out = {"fillingLevel": round(self.level, 3), "status": status, "binCapacity": self.capacity,
               "temperature": round(14 + 8 * math.sin((_hour(clock) - 9) / 24 * 2 * math.pi)
                                    + self.rng.gauss(0, 0.5), 1)}
        if self.emptied:
            out["dateLastEmptying"] = self.emptied.isoformat(timespec="seconds")
        return out


class Signal:
    PHASES = ["A", "B", "C", "D"]

    def __init__(self, asset: Asset, rng: random.Random) -> None:
        self.rng = rng
        self.phase = rng.randrange(4)
        self.trouble = 0  # readings left in a fault or flashing spell
        self.trouble_mode = "fault"

    def __call__(self, clock: datetime, dt: float) -> dict[str, Any]:
        self.phase = (self.phase + 1) % len(self.PHASES)
        if self.trouble == 0 and self.rng.random() < 0.003:
            self.trouble = self.rng.randint(3, 12)
            self.trouble_mode = self.rng.choice(["fault", "flashing", "flashing", "off"])
        if _hour(clock) < 5 and self.trouble == 0:
            mode = "flashing" if self.rng.random() < 0.2 else "normal"  # some go to night flashing
        elif self.trouble:
            self.trouble -= 1
            mode = self.trouble_mode
        else:
            mode = "normal"
        return {"mode": mode, "currentPhase": self.PHASES[self.phase] if mode == "normal" else "",
                "priorityRequests": 1 if self.rng.random() < 0.05 else 0}


class Spot:
    def __init__(self, asset: Asset, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self, clock: datetime, dt: float) -> dict[str, Any]:
        taken = self.rng.random() < parking_curve(_hour(clock))
        return {"status": "occupied" if taken else "free"}


GENERATORS: dict[str, Callable[[Asset, random.Random], Callable[[datetime, float], dict[str, Any]]]] = {
    "OffStreetParking": CarPark, "WasteContainer": Container, "TrafficSignal": Signal, "ParkingSpot": Spot,
}


def simulator_device() -> tuple[Device, str]:
    """The simulator's device, allowed every kind, with a fresh token (only its hash is kept)."""
    device = Device.objects.filter(device_id=SIMULATOR_DEVICE).first() or Device(
        device_id=SIMULATOR_DEVICE, name="Kent demo simülatörü")
    token = device.issue_token()
    device.active = True
    device.save()
    device.allowed_kinds.set(AssetKind.objects.all())
    return device, token


class City:
    """All simulated assets; `readings(now)` yields (type, asset_id, payload) round-robin."""

    def __init__(self, assets: list[Asset], *, seed: int = 1, time_scale: float = 1.0,
                 start: datetime | None = None) -> None:
        self.time_scale = time_scale
        self.start = start
        self.last: dict[str, datetime] = {}
        self.models = []
        for a in assets:
            make = GENERATORS.get(a.kind_id)
            if make:
                self.models.append((a.kind_id, a.asset_id, make(a, random.Random(f"{seed}:{a.asset_id}"))))

    def clock(self, now: datetime) -> datetime:
        """The city's clock: real time, or sped up from the start of the run."""
        start = self.start or now
        self.start = start
        return start + (now - start) * self.time_scale

    def reading(self, index: int, now: datetime) -> tuple[str, str, dict[str, Any]]:
        type_name, asset_id, model = self.models[index % len(self.models)]
        last = self.last.get(asset_id)
        now = max(now, last + timedelta(milliseconds=1)) if last else now  # one reading per instant
        self.last[asset_id] = now
        dt = (now - last).total_seconds() * self.time_scale if last else 60.0
        values = model(timezone.localtime(self.clock(now)), dt)  # the city's local hour drives the curves
        return type_name, asset_id, {"dateObserved": now.isoformat(timespec="milliseconds"), **values}
