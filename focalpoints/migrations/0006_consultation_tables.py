"""First half of moving consultations to their own app: their tables take the names the
``consultations`` app gives them, rows and all (``consultations/migrations/0001_initial.py``
then adopts them without touching the database)."""

from django.db import migrations

MOVED = ["consultation", "consultationanswer", "consultationreminder", "historicalconsultation"]


class Migration(migrations.Migration):
    dependencies = [("focalpoints", "0005_private_file_field")]

    # AlterModelTable also renames the chosen partners' many-to-many table.
    operations = [
        migrations.AlterModelTable(name=name, table=f"consultations_{name}") for name in MOVED
    ]
