"""`manage.py device_token <device_id>`: create a device (or give it a new token) and print the
token once; only its hash is stored."""

from django.core.management.base import BaseCommand, CommandError

from smartcity.models import Asset, AssetKind, Device


class Command(BaseCommand):
    help = "Cihaz oluşturur ya da yeni anahtar üretir. (Create a device or issue it a new token.)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("device_id")
        parser.add_argument("--name", default="")
        parser.add_argument("--kind", action="append", default=[], help="allowed asset kind (repeatable)")
        parser.add_argument("--asset", action="append", default=[], help="allowed asset id (repeatable)")

    def handle(self, *args, **opts) -> None:
        device = Device.objects.filter(device_id=opts["device_id"]).first() or Device(device_id=opts["device_id"])
        if opts["name"]:
            device.name = opts["name"]
        token = device.issue_token()
        device.save()
        kinds = list(AssetKind.objects.filter(type__in=opts["kind"]))
        assets = list(Asset.objects.filter(asset_id__in=opts["asset"]))
        if len(kinds) != len(set(opts["kind"])) or len(assets) != len(set(opts["asset"])):
            raise CommandError("unknown kind or asset among --kind/--asset")
        device.allowed_kinds.add(*kinds)
        device.allowed_assets.add(*assets)
        self.stdout.write(token)
