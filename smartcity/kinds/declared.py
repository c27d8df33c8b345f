"""The asset kinds Kent ships with. Attribute names follow FIWARE Smart Data Models
(OffStreetParking, ParkingSpot, WasteContainer); TrafficSignal and the cameras have no model
there, so Kent declares its own in the same style.

Cameras are two kinds because whether they are public is a decision about their layer: tourist
views (TouristCamera, layer turistik-kameralar) are public, traffic cameras (Camera, layer
trafik-kameralari) start agency-only and are published when the municipality decides so."""

from typing import Any

from .spec import PUBLIC, GuideCategory, GuideFact, GuideListing, Kind, LayerSpec, MapStyle, Measure, Simulation

NUM: dict[str, Any] = {"type": "number"}
INT0: dict[str, Any] = {"type": "integer", "minimum": 0}
SHARE: dict[str, Any] = {"type": "number", "minimum": 0, "maximum": 1}

CAMERAS = GuideCategory("kamera", "Kameralar", "Cameras", "#444b55")
CAMERA_FACTS = (GuideFact("cameraType", "fact.camera_kind", "Kamera türü", "Camera type", "tur"),
                GuideFact("direction", "fact.direction", "Yön (°)", "Direction (°)"))


def _camera_schema(camera_type: str) -> dict[str, Any]:
    return {"properties": {"cameraType": {"enum": [camera_type]}, "direction": NUM,
                           "snapshotUrl": {"type": "string"}, "streamUrl": {"type": "string"}}}


DECLARED: tuple[Kind, ...] = (
    Kind("OffStreetParking", "Otopark", "Car park", colour="#1f4e79", schema={"properties": {
        "totalSpotNumber": INT0, "availableSpotNumber": INT0, "occupancy": SHARE, "category": {"type": "array"},
        "openingHours": {"type": "string"}, "fee": {"type": "string"}}},
        layer=LayerSpec("otoparklar", "Otoparklar", "Car parks", "UL", ("otopark", "doluluk", "boş yer", "parking"),
                        access=PUBLIC),
        map=MapStyle(radius=9, measures=(Measure(ratio=("availableSpotNumber", "totalSpotNumber")),
                                         Measure(complement="occupancy")),
                     bands=((0.1, "bad"), (0.3, "mid")), otherwise="good",
                     legend=(("good", "boş yer ≥ %30", "≥ 30 % free"), ("mid", "boş yer %10–30", "10–30 % free"),
                             ("bad", "boş yer < %10", "under 10 % free"))),
        simulation=Simulation("CarPark", {"capacities": (60, 120, 250, 400), "popularity": (0.75, 1.25),
                                          "hour_shift": (-1.0, 1.0), "noise": 0.03}),
        guide=GuideListing(GuideCategory("otopark", "Otoparklar", "Car parks", "#1f4e79"), live=True, facts=(
            GuideFact("totalSpotNumber", "fact.capacity", "Kapasite", "Capacity"),
            GuideFact("availableSpotNumber", "fact.free_static", "Boş yer (kayıtlı)", "Free spaces (registered)"),
            GuideFact("fee", "fact.fee", "Ücret", "Fee"),
            GuideFact("openingHours", "fact.hours", "Açık olduğu saatler", "Opening hours"),
            GuideFact("category", "fact.parking_kind", "Otopark türü", "Car park type", "tur")))),
    Kind("ParkingSpot", "Park yeri", "Parking spot", colour="#3b6ea5", schema={"properties": {
        "status": {"enum": ["free", "occupied", "closed", "unknown"]}, "category": {"type": "array"},
        "refParkingSite": {"type": "string"}}},
        layer=LayerSpec("park-yerleri", "Park yerleri", "Parking spots", "UL", ("park yeri", "sensör", "parking spot")),
        map=MapStyle(radius=4, attribute="status", states={"free": "good", "occupied": "bad", "closed": "mid"},
                     legend=(("good", "boş", "free"), ("mid", "kapalı", "closed"), ("bad", "dolu", "occupied"))),
        simulation=Simulation("Spot")),
    Kind("TrafficSignal", "Sinyalize kavşak", "Traffic signal", colour="#8a3b12", schema={"properties": {
        "intersection": {"type": "string"}, "controllerId": {"type": "string"},
        "mode": {"enum": ["normal", "flashing", "off", "fault"]}, "currentPhase": {"type": "string"},
        "priorityRequests": INT0, "linkedCameras": {"type": "array"}}},
        layer=LayerSpec("trafik-sinyalleri", "Trafik sinyalleri (sinyalize kavşaklar)", "Traffic signals", "UL",
                        ("trafik", "sinyalizasyon", "kavşak", "traffic signal")),
        map=MapStyle(radius=5, attribute="mode", states={"normal": "good", "flashing": "mid", "off": "bad",
                                                         "fault": "bad"},
                     legend=(("good", "normal", "normal"), ("mid", "flaşör", "flashing"),
                             ("bad", "kapalı / arıza", "off / fault"))),
        simulation=Simulation("Signal", {"phases": ("A", "B", "C", "D"), "trouble_chance": 0.003,
                                         "trouble_readings": (3, 12), "night_flashing": 0.2})),
    Kind("WasteContainer", "Atık konteyneri", "Waste container", colour="#5b7f1f", schema={"properties": {
        "fillingLevel": SHARE, "status": {"enum": ["ok", "lidOpen", "dropped", "moved", "vandalized", "burning"]},
        "binCapacity": NUM, "temperature": NUM, "dateLastEmptying": {"type": "string"}}},
        layer=LayerSpec("atik-konteynerleri", "Atık konteynerleri", "Waste containers", "AY",
                        ("atık", "çöp", "konteyner", "doluluk", "waste container")),
        map=MapStyle(radius=6, measures=(Measure(attribute="fillingLevel"),), bands=((0.5, "good"), (0.8, "mid")),
                     otherwise="bad",
                     legend=(("good", "doluluk < %50", "under 50 % full"), ("mid", "doluluk %50–80", "50–80 % full"),
                             ("bad", "doluluk ≥ %80", "80 % full or more"))),
        simulation=Simulation("Container", {"capacities": (770.0, 1100.0, 2500.0), "hours_to_full": (14, 48),
                                            "start_level": (0.0, 0.7), "lid_open_chance": 0.01})),
    Kind("Camera", "Trafik kamerası", "Traffic camera", colour="#444b55", schema=_camera_schema("traffic"),
         layer=LayerSpec("trafik-kameralari", "Trafik kameraları", "Traffic cameras", "AY",
                         ("kamera", "trafik kamerası", "izleme", "traffic camera")),
         guide=GuideListing(CAMERAS, facts=CAMERA_FACTS)),
    Kind("TouristCamera", "Turistik kamera", "Tourist camera", colour="#444b55", schema=_camera_schema("tourist"),
         layer=LayerSpec("turistik-kameralar", "Turistik kameralar", "Tourist cameras", "AY",
                         ("kamera", "turistik kamera", "canlı görüntü", "webcam"), access=PUBLIC),
         guide=GuideListing(CAMERAS, facts=CAMERA_FACTS)),
)
