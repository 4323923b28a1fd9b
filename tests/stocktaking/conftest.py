"""The seed report rendered once per test session, in English and in French (rendering is slow)."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def reports(django_db_setup, django_db_blocker, tmp_path_factory):
    """The 2018–2020 report of the seed as PDF files, ``{"en": path, "fr": path}``: the seed
    loaded by ``bootstrap`` (texts and all) in a transaction rolled back afterwards."""
    from django.db import transaction

    folder = tmp_path_factory.mktemp("reports")
    paths = {}
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("bootstrap", verbosity=0)
        for language in ("en", "fr"):
            paths[language] = folder / f"report-{language}.pdf"
            call_command(
                "stocktaking_report",
                "--from=2018-05-01",
                "--to=2020-10-31",
                f"--lang={language}",
                f"--output={paths[language]}",
                stdout=StringIO(),
            )
        transaction.set_rollback(True)
    return paths
