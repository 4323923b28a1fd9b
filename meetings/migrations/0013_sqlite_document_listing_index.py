"""The document library's first page read from an index on SQLite too, as 0006 does on
PostgreSQL: without it, SQLite sorts every public document to show twenty (the profile of the
library at 20,000 documents put most of its SQL time there).

SQLite keeps NULLs first in ascending order, so ``published_on DESC`` already puts documents
without a date last, as the list's ``NULLS LAST`` asks. On PostgreSQL this does nothing.
"""

from django.db import migrations

NAME = "meetings_document_listing_sqlite"


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f'CREATE INDEX "{NAME}" ON "meetings_document" ("visibility", "published_on" DESC)'
        )


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'DROP INDEX "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("meetings", "0012_document_language_unknown")]

    operations = [migrations.RunPython(add_index, remove_index, elidable=False)]
