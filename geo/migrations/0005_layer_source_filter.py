from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0004_kiosk'),
    ]

    operations = [
        migrations.AddField(
            model_name='layer',
            name='source_filter',
            field=models.JSONField(blank=True, default=dict, help_text='Tipli kaynakta katmanın gösterdiği satırlar, alan = değer, ör. {"kind_id": "WasteContainer"}.', verbose_name='kaynak süzgeci'),
        ),
    ]
