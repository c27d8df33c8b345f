"""Believable feeds for the demo: car parks that fill in the morning and empty at night, waste
containers that fill over a day or two and are emptied, signals cycling their phases with the odd
fault, parking spots following the car parks' curve. Which kinds are simulated, by which model
and with which value ranges, is part of each kind's declaration (smartcity.kinds). Each asset
has its own seeded generator, so a run is reproducible; `time_scale` speeds the city's clock up
for a short demo (timestamps stay real: dateObserved is always now)."""

import math
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string

from smartcity.kinds import Simulation, kinds
from smartcity.models import Asset, AssetKind, Device

SIMULATOR_DEVICE = "kent-simulator"


def parking_curve(hour: float) -> float:
    """Share of spaces taken at an hour of day: a morning-to-afternoon hump and an evening bump."""
    day = math.exp(-(((hour - 11.5) / 3.6) ** 2))
    evening = math.exp(-(((hour - 19.5) / 1.8) ** 2))
    return min(1.0, 0.08 + 0.8 * day + 0.3 * evening)


def _hour(t: datetime) -> float:
    return t.hour + t.minute / 60 + t.second / 3600


Range = tuple[float, float]


class CarPark:
    def __init__(self, asset: Asset, rng: random.Random, *, capacities: tuple[int, ...], popularity: Range,
                 hour_shift: Range, noise: float) -> None:
        self.rng, self.noise = rng, noise
        self.total = int(asset.attributes.get("totalSpotNumber") or rng.choice(capacities))
        self.scale = rng.uniform(*popularity)  # a few are popular enough to fill up at noon
        self.shift = rng.uniform(*hour_shift)

    def __call__(self, clock: datetime, dt: float) -> dict[str, Any]:
        occ = parking_curve(_hour(clock) + self.shift) * self.scale + self.rng.gauss(0, self.noise)
        taken = max(0, min(self.total, round(occ * self.total)))
        return {"totalSpotNumber": self.total, "availableSpotNumber": self.total - taken,
                "occupancy": round(taken / self.total, 4)}


class Container:
    def __init__(self, asset: Asset, rng: random.Random, *, capacities: tuple[float, ...], hours_to_full: Range,
                 start_level: Range, lid_open_chance: float) -> None:
        self.rng, self.lid_open_chance = rng, lid_open_chance
        self.level = rng.uniform(*start_level)
        self.per_hour = 1 / rng.uniform(*hours_to_full)
        self.capacity = float(asset.attributes.get("binCapacity") or rng.choice(capacities))
        self.emptied: datetime | None = None

    def __call__(self, clock: datetime, dt: float) -> dict[str, Any]:
        busy = 0.4 + parking_curve(_hour(clock))
        self.level = min(1.0, self.level + self.per_hour * busy * dt / 3600 * self.rng.uniform(0.5, 1.5))
        if self.level >= 0.97 or (self.level > 0.85 and self.rng.random() < 0.02):
            self.level, self.emptied = self.rng.uniform(0.0, 0.05), clock
        status = "lidOpen" if self.rng.random() < self.lid_open_chance else "ok"
        out = {"fillingLevel": round(self.level, 3), "status": status, "binCapacity": self.capacity,
               "temperature": round(14 + 8 * math.sin((_hour(clock) - 9) / 24 * 2 * math.pi)
                                    + self.rng.gauss(0, 0.5), 1)}
        if self.emptied:
            out["dateLastEmptying"] = self.emptied.isoformat(timespec="seconds")
        return out


class Signal:
    def __init__(self, asset: Asset, rng: random.Random, *, phases: tuple[str, ...], trouble_chance: float,
                 trouble_readings: tuple[int, int], night_flashing: float) -> None:
        self.rng, self.phases = rng, phases
        self.trouble_chance, self.trouble_readings = trouble_chance, trouble_readings
        self.night_flashing = night_flashing
        self.phase = rng.randrange(len(phases))
        self.trouble = 0  # readings left in a fault or flashing spell
        self.trouble_mode = "fault"

    def __call__(self, clock: datetime, dt: float) -> dict[str, Any]:
        self.phase = (self.phase + 1) % len(self.phases)
        if self.trouble == 0 and self.rng.random() < self.trouble_chance:
            self.trouble = self.rng.randint(*self.trouble_readings)
            self.trouble_mode = self.rng.choice(["fault", "flashing", "flashing", "off"])
        if _hour(clock) < 5 and self.trouble == 0:
            mode = "flashing" if self.rng.random() < self.night_flashing else "normal"  # some go to night flashing
        elif self.trouble:
            self.trouble -= 1
            mode = self.trouble_mode
        else:
            mode = "normal"
        return {"mode": mode, "currentPhase": self.phases[self.phase] if mode == "normal" else "",
                "priorityRequests": 1 if self.rng.random() < 0.05 else 0}


class Spot:
    def __init__(self, asset: Asset, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self, clock: datetime, dt: float) -> dict[str, Any]:
        taken = self.rng.random() < parking_curve(_hour(clock))
        return {"status": "occupied" if taken else "free"}


Model = Callable[[datetime, float], dict[str, Any]]
GENERATORS: dict[str, Callable[..., Model]] = {"CarPark": CarPark, "Container": Container, "Signal": Signal,
                                               "Spot": Spot}


def simulated_kinds() -> dict[str, Simulation]:
    """The kinds the simulator feeds (those whose declaration names a simulation), by type."""
    return {k.type: k.simulation for k in kinds() if k.simulation is not None}


def model_for(asset: Asset, rng: random.Random, simulation: Simulation) -> Model:
    """The generator a kind's declaration names (by short name, or a dotted path), with its ranges."""
    make = GENERATORS.get(simulation.generator) or import_string(simulation.generator)
    return make(asset, rng, **simulation.ranges)


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
        simulated = simulated_kinds()
        for a in assets:
            if a.kind_id in simulated:
                rng = random.Random(f"{seed}:{a.asset_id}")
                self.models.append((a.kind_id, a.asset_id, model_for(a, rng, simulated[a.kind_id])))

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
