"""Kiosks move here from geo without losing a row: the model is taken over in state as it stands
(table geo_kiosk), then the table is renamed and the content type relabelled, so permissions
granted on kiosks stay."""

import django.contrib.gis.db.models.fields
import django.core.validators
from django.db import migrations, models


def relabel_content_type(apps, schema_editor) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="geo", model="kiosk").update(app_label="rehber")


def unlabel_content_type(apps, schema_editor) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="rehber", model="kiosk").update(app_label="geo")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("geo", "0007_kiosk_moves_to_rehber"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="Kiosk",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("kiosk_id", models.SlugField(help_text="Adreste kullanılır: /kiosk/<kimlik>/, ör. 'gazi-meydani'.", unique=True, verbose_name="kiosk kimliği")),
                    ("name", models.CharField(help_text="Ör. 'Gazi Meydanı kiosku'.", max_length=150, verbose_name="ad")),
                    ("location", django.contrib.gis.db.models.fields.PointField(help_text="Kioskun durduğu nokta; 'Buradasınız' işareti ve yürüme mesafeleri.", srid=4326, verbose_name="konum")),
                    ("idle_seconds", models.PositiveIntegerField(default=90, help_text="Bu kadar saniye dokunulmazsa kiosk başlangıç görünümüne döner.", validators=[django.core.validators.MinValueValidator(2), django.core.validators.MaxValueValidator(3600)], verbose_name="boşta bekleme süresi (sn)")),
                    ("home_zoom", models.PositiveSmallIntegerField(default=17, validators=[django.core.validators.MinValueValidator(12), django.core.validators.MaxValueValidator(19)], verbose_name="başlangıç yakınlaştırması")),
                    ("active", models.BooleanField(default=True, verbose_name="etkin")),
                    ("created_at", models.DateTimeField(auto_now_add=True)),
                    ("updated_at", models.DateTimeField(auto_now=True)),
                ],
                options={"verbose_name": "kiosk", "verbose_name_plural": "kiosklar", "ordering": ["kiosk_id"],
                         "db_table": "geo_kiosk"},
            ),
        ]),
        migrations.AlterModelTable(name="kiosk", table=None),
        migrations.RunPython(relabel_content_type, unlabel_content_type),
    ]
