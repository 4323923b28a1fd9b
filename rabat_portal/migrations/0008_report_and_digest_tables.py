"""First half of moving the stocktaking report and the digests to apps of their own: their
tables take the names those apps give them, rows and all (their ``0001_initial`` migrations then
adopt the tables without touching the database)."""

from django.db import migrations

MOVED = {
    "acronym": "stocktaking",
    "historicalacronym": "stocktaking",
    "stocktakingreport": "stocktaking",
    "historicalstocktakingreport": "stocktaking",
    "generatedreport": "stocktaking",
    "digestschedule": "digests",
    "historicaldigestschedule": "digests",
    "digestdelivery": "digests",
}


class Migration(migrations.Migration):
    dependencies = [("rabat_portal", "0007_private_file_field")]

    operations = [
        migrations.AlterModelTable(name=name, table=f"{app}_{name}")
        for name, app in MOVED.items()
    ]
