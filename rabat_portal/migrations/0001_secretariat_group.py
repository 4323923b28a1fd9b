from django.db import migrations

SECRETARIAT_GROUP = "Secretariat"


def create_group(apps, schema_editor):
    # Its permissions are granted after migrate (rabat_portal.secretariat): they do not exist yet.
    apps.get_model("auth", "Group").objects.get_or_create(name=SECRETARIAT_GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=SECRETARIAT_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group, remove_group)]
