"""The kiosk model moves to the rehber app: geo forgets it, the table stays (rehber 0001 takes it)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("geo", "0006_feature_keys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Kiosk")]),
    ]
