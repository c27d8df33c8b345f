from django.db import migrations

from smartcity.kinds import sync_kinds


def load(apps, schema_editor):
    sync_kinds(apps.get_model("smartcity", "AssetKind"))


class Migration(migrations.Migration):
    dependencies = [("smartcity", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
