"""smartcity's models, one concept per module: assets and their kinds, feeds (devices, dead
letters), observations and latest state, alert rules and alerts."""

from .alerts import Alert, AlertRule
from .assets import Asset, AssetKind, AssetState
from .feeds import DeadLetter, Device
from .observations import Observation

__all__ = ["Alert", "AlertRule", "Asset", "AssetKind", "AssetState", "DeadLetter", "Device", "Observation"]
