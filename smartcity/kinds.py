"""The asset kinds Kent knows, declared as data. Attribute names follow FIWARE Smart Data
Models (OffStreetParking, ParkingSpot, WasteContainer); TrafficSignal and Camera have no
model there, so Kent declares its own in the same style. A new kind is a new entry here
(or a row added in the admin), never a new table."""

from typing import Any

NUM: dict[str, Any] = {"type": "number"}
INT0: dict[str, Any] = {"type": "integer", "minimum": 0}

KINDS: list[dict[str, Any]] = [
    {"type": "OffStreetParking", "title_tr": "Otopark", "title_en": "Car park", "public": True, "schema": {
        "properties": {
            "totalSpotNumber": INT0, "availableSpotNumber": INT0,
            "occupancy": {"type": "number", "minimum": 0, "maximum": 1},
            "category": {"type": "array"}, "openingHours": {"type": "string"},
            "fee": {"type": "string"}}}},
    {"type": "ParkingSpot", "title_tr": "Park yeri", "title_en": "Parking spot", "schema": {
        "properties": {
            "status": {"enum": ["free", "occupied", "closed", "unknown"]},
            "category": {"type": "array"}, "refParkingSite": {"type": "string"}}}},
    {"type": "TrafficSignal", "title_tr": "Sinyalize kavşak", "title_en": "Traffic signal", "schema": {
        "properties": {
            "intersection": {"type": "string"}, "controllerId": {"type": "string"},
            "mode": {"enum": ["normal", "flashing", "off", "fault"]},
            "currentPhase": {"type": "string"}, "priorityRequests": INT0,
            "linkedCameras": {"type": "array"}}}},
    {"type": "WasteContainer", "title_tr": "Atık konteyneri", "title_en": "Waste container", "schema": {
        "properties": {
            "fillingLevel": {"type": "number", "minimum": 0, "maximum": 1},
            "status": {"enum": ["ok", "lidOpen", "dropped", "moved", "vandalized", "burning"]},
            "binCapacity": NUM, "temperature": NUM, "dateLastEmptying": {"type": "string"}}}},
    {"type": "Camera", "title_tr": "Kamera", "title_en": "Camera", "schema": {
        "properties": {
            "cameraType": {"enum": ["tourist", "traffic"]}, "direction": NUM,
            "snapshotUrl": {"type": "string"}, "streamUrl": {"type": "string"}}}},
]


def sync_kinds(kind_model: Any) -> None:
    """Create or refresh the declared kinds; takes the model so data migrations can pass theirs."""
    for k in KINDS:
        kind_model.objects.update_or_create(type=k["type"], defaults={
            "title_tr": k["title_tr"], "title_en": k["title_en"], "schema": k["schema"],
            "public": k.get("public", False)})
