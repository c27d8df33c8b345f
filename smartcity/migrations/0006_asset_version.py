"""Asset.version: grows with every recorded save, so the map editor can refuse a stale edit (409)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("smartcity", "0005_asset_live_view"),
    ]

    operations = [
        migrations.AddField(
            model_name="asset",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="sürüm"),
        ),
    ]
