"""ICMPD is the Secretariat, not an observer; the ICRC, which no source names, goes where
nothing refers to it (the seed no longer loads it)."""

from django.db import migrations
from django.db.models.deletion import ProtectedError


def forwards(apps, schema_editor):
    Partner = apps.get_model("focalpoints", "Partner")
    Partner.objects.filter(slug="icmpd", status="observer").update(status="secretariat")
    try:
        Partner.objects.filter(slug="icrc").delete()
    except ProtectedError:
        # A record the Secretariat added refers to it: theirs to decide, in the admin.
        pass


def backwards(apps, schema_editor):
    Partner = apps.get_model("focalpoints", "Partner")
    Partner.objects.filter(slug="icmpd", status="secretariat").update(status="observer")


class Migration(migrations.Migration):
    dependencies = [("focalpoints", "0009_secretariat_status")]

    operations = [migrations.RunPython(forwards, backwards)]
