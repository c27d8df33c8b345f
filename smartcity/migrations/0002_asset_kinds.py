from django.db import migrations

from smartcity.kinds import KINDS


def load(apps, schema_editor):
    AssetKind = apps.get_model("smartcity", "AssetKind")
    for k in KINDS:
        AssetKind.objects.update_or_create(type=k["type"], defaults={
            "title_tr": k["title_tr"], "title_en": k["title_en"], "schema": k["schema"]})


class Migration(migrations.Migration):
    dependencies = [("smartcity", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
