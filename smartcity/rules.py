"""The alert rules Kent starts with, declared as data like the kinds (smartcity.kinds): a
municipality tunes thresholds in the admin, and a new rule is a new row, not new code.
How rules are evaluated lives in smartcity.alerts."""

from typing import Any

DEFAULT_RULES: list[dict[str, Any]] = [
    {"kind": "WasteContainer", "code": "collection", "severity": "warning",
     "title_tr": "Konteyner dolu: toplama görevi", "title_en": "Container full: collection task",
     # opens at 80 % (or the container's own fullnessThreshold), closes once it is emptied below 30 %
     "conditions": [{"attribute": "fillingLevel", "op": "gte", "value": 0.8, "clear": 0.3}],
     "threshold_attribute": "fullnessThreshold"},
    {"kind": "WasteContainer", "code": "burning", "severity": "critical",
     "title_tr": "Konteyner yanıyor / devrildi", "title_en": "Container burning or dropped",
     "conditions": [{"attribute": "status", "op": "in", "value": ["burning", "dropped", "vandalized"]}]},
    {"kind": "OffStreetParking", "code": "full", "severity": "info",
     "title_tr": "Otopark dolu", "title_en": "Car park full",
     "conditions": [{"attribute": "availableSpotNumber", "op": "eq", "value": 0},
                    {"attribute": "occupancy", "op": "gte", "value": 0.98}]},
    {"kind": "TrafficSignal", "code": "mode", "severity": "critical",
     "title_tr": "Sinyal arızalı / flaşörde / kapalı", "title_en": "Signal flashing, off or in fault",
     "conditions": [{"attribute": "mode", "op": "in", "value": ["flashing", "off", "fault"]}]},
    {"kind": "OffStreetParking", "code": "stale", "severity": "warning", "stale_minutes": 15,
     "title_tr": "Otopark sensörü sessiz", "title_en": "Car park sensor silent"},
    {"kind": "ParkingSpot", "code": "stale", "severity": "info", "stale_minutes": 60,
     "title_tr": "Park yeri sensörü sessiz", "title_en": "Parking spot sensor silent"},
    {"kind": "TrafficSignal", "code": "stale", "severity": "warning", "stale_minutes": 10,
     "title_tr": "Sinyal denetleyicisi sessiz", "title_en": "Signal controller silent"},
    {"kind": "WasteContainer", "code": "stale", "severity": "info", "stale_minutes": 180,
     "title_tr": "Konteyner sensörü sessiz", "title_en": "Container sensor silent"},
]


def sync_rules(rule_model: Any) -> None:
    """Create the declared rules that are missing; rules already there keep their tuned values."""
    for r in DEFAULT_RULES:
        defaults = {k: v for k, v in r.items() if k not in {"kind", "code"}}
        rule_model.objects.get_or_create(kind_id=r["kind"], code=r["code"], defaults=defaults)
