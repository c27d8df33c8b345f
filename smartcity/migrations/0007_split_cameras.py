"""Cameras become two kinds, so whether they are public is decided on their layers.

Rule: a camera whose `cameraType` attribute is "tourist" moves to the new kind TouristCamera;
every other camera (traffic, or of no stated type) stays in Camera, which is now the traffic-camera
kind. Assets keep their row, id, asset_id, state and history of readings.

Layers: the existing camera layer keeps its row (id, grants, agency accounts, access level,
publication) and shows the traffic cameras; its slug `kameralar` becomes `trafik-kameralari` when
that name is free. The tourist cameras get a public, published layer `turistik-kameralar`, made
from the camera layer with the same grants and agency accounts, so whoever could edit cameras
still can. Devices allowed to send camera readings may send them for both kinds. Titles, abstract
and keywords of both layers are refreshed from the declarations after `migrate`
(smartcity.layers.after_migrate)."""

from django.db import migrations

from smartcity.kinds import sync_kinds

ASSET_SOURCE = "smartcity.Asset"
OLD_SLUG, TRAFFIC_SLUG, TOURIST_SLUG = "kameralar", "trafik-kameralari", "turistik-kameralar"


def _layers_of(Layer, type_name: str) -> list:
    return [lyr for lyr in Layer.objects.filter(source=ASSET_SOURCE).order_by("pk")
            if lyr.source_filter == {"kind_id": type_name}]


def _free_slug(Layer, wanted: str) -> str:
    slug, n = wanted, 1
    while Layer.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{wanted}-{n}"
    return slug


def split(apps, schema_editor) -> None:
    AssetKind, Asset, Device = (apps.get_model("smartcity", m) for m in ("AssetKind", "Asset", "Device"))
    Layer, LayerPermission = apps.get_model("geo", "Layer"), apps.get_model("geo", "LayerPermission")
    sync_kinds(AssetKind)
    Asset.objects.filter(kind_id="Camera", attributes__cameraType="tourist").update(kind_id="TouristCamera")
    for device in Device.objects.filter(allowed_kinds__type="Camera"):
        device.allowed_kinds.add("TouristCamera")

    cameras = _layers_of(Layer, "Camera")
    if not cameras:
        return  # no registry yet: build_demo / import_osm create both layers from the declarations
    traffic = cameras[0]
    if traffic.slug == OLD_SLUG and not Layer.objects.filter(slug=TRAFFIC_SLUG).exists():
        traffic.slug = TRAFFIC_SLUG
    traffic.title_tr, traffic.title_en = "Trafik kameraları", "Traffic cameras"
    traffic.save()
    if _layers_of(Layer, "TouristCamera"):
        return
    grants = list(LayerPermission.objects.filter(layer_id=traffic.pk))
    accounts = list(traffic.agency_accounts.all())
    tourist = traffic
    tourist.pk = None
    tourist.slug = _free_slug(Layer, TOURIST_SLUG)
    tourist.title_tr, tourist.title_en = "Turistik kameralar", "Tourist cameras"
    tourist.source_filter = {"kind_id": "TouristCamera"}
    tourist.access_level, tourist.published = "public", True
    tourist.save(force_insert=True)
    for grant in grants:
        LayerPermission.objects.create(user_id=grant.user_id, group_id=grant.group_id, layer_id=tourist.pk,
                                       right=grant.right)
    tourist.agency_accounts.set(accounts)


def join(apps, schema_editor) -> None:
    """Back to one camera kind: tourist cameras return to Camera, their layer goes, the old slug returns."""
    AssetKind, Asset = apps.get_model("smartcity", "AssetKind"), apps.get_model("smartcity", "Asset")
    Layer = apps.get_model("geo", "Layer")
    Asset.objects.filter(kind_id="TouristCamera").update(kind_id="Camera")
    for layer in _layers_of(Layer, "TouristCamera"):
        layer.delete()
    for layer in _layers_of(Layer, "Camera"):
        if layer.slug == TRAFFIC_SLUG and not Layer.objects.filter(slug=OLD_SLUG).exists():
            layer.slug, layer.title_tr, layer.title_en = OLD_SLUG, "Kameralar", "Cameras"
            layer.save()
    AssetKind.objects.filter(type="TouristCamera").delete()
    AssetKind.objects.filter(type="Camera").update(title_tr="Kamera", title_en="Camera", schema={"properties": {
        "cameraType": {"enum": ["tourist", "traffic"]}, "direction": {"type": "number"},
        "snapshotUrl": {"type": "string"}, "streamUrl": {"type": "string"}}})


class Migration(migrations.Migration):
    dependencies = [("smartcity", "0006_asset_version"), ("geo", "0005_layer_source_filter")]
    operations = [migrations.RunPython(split, join)]
