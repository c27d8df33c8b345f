"""Load the TUCBS catalogue and create Kent's roles as auth groups."""

from django.db import migrations

from geo.tucbs_catalogue import THEMES

ROLES = ["CBS Editörü", "Numarataj Memuru", "Kurum Kullanıcısı", "Yönetici"]


def load(apps, schema_editor):
    TucbsTheme = apps.get_model("geo", "TucbsTheme")
    for t in THEMES:
        TucbsTheme.objects.update_or_create(
            code=t["code"],
            defaults={k: t[k] for k in ("name_tr", "name_en", "required_attributes")})
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
