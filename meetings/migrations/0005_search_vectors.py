"""Full-text search vectors of meetings and documents, kept by PostgreSQL.

The site search (rabat_portal/search.py) used to build each row's tsvector at every search: with
5,000 meetings and 20,000 documents that parsing was most of the page's time. PostgreSQL now keeps
one vector per language in a generated column, indexed with GIN, so a search reads the index.

The columns are not model fields: Django never reads or writes them (lists and pages would
otherwise load the vectors of every row they show), and SQLite, which `make run` uses, has no
tsvector; there the search keeps matching words with LIKE. The expressions are exactly those
that ``SearchVector`` compiles to in ``search._full_text``, so ranks and order are unchanged;
tests/rabat_portal/test_search.py checks that they stay equal.

PostgreSQL refuses to change the type of a column that a generated column reads: a later
migration that alters a searched field (a title's max_length, say) must drop these columns
first and add them again after, with remove_vectors and add_vectors.
"""

from django.db import migrations

CONFIGURATIONS = {"en": "english", "fr": "french"}
# French pages search the French text and the English one it falls back to.
LANGUAGES = {"en": ["en"], "fr": ["fr", "en"]}
# Table: (fields weighted A, fields weighted B), as search.SEARCHED lists them at this migration.
SEARCHED = {
    "meetings_meeting": (["title"], ["summary", "objective", "deliberations", "city"]),
    "meetings_document": (["title"], ["description"]),
}


def vector_sql(names, language, weight):
    config = CONFIGURATIONS[language]
    columns = [f"{name}_{code}" for name in names for code in LANGUAGES[language]]
    text = " || ' ' || ".join(f"COALESCE(\"{column}\", '')" for column in columns)
    return f"setweight(to_tsvector('{config}'::regconfig, {text}), '{weight}')"


def add_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (titles, bodies) in SEARCHED.items():
        for language in LANGUAGES:
            expression = (
                f"{vector_sql(titles, language, 'A')} || {vector_sql(bodies, language, 'B')}"
            )
            schema_editor.execute(
                f'ALTER TABLE "{table}" ADD COLUMN "search_{language}" tsvector '
                f"GENERATED ALWAYS AS ({expression}) STORED"
            )
            schema_editor.execute(
                f'CREATE INDEX "{table}_search_{language}" ON "{table}" '
                f'USING gin ("search_{language}")'
            )


def remove_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED:
        for language in LANGUAGES:
            # Dropping the column drops its index.
            schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN "search_{language}"')


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_history")]

    operations = [migrations.RunPython(add_vectors, remove_vectors)]
