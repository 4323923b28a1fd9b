"""The French interface is complete: every string the code and templates use is translated."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

# The project's files makemessages reads: every app of the portal, its templates, its catalogue.
SOURCES = [
    "manage.py",
    *sorted(path.parent.name for path in Path(settings.BASE_DIR).glob("*/apps.py")),
    "templates",
    "locale",
]


def missing_translations(catalogue_path):
    with open(catalogue_path, "rb") as po:
        catalogue = read_po(po)
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id)
    return missing


def test_the_committed_french_catalogue_has_no_empty_or_fuzzy_entry():
    assert missing_translations(settings.BASE_DIR / "locale/fr/LC_MESSAGES/django.po") == []


def test_makemessages_finds_no_string_missing_from_the_french_catalogue(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.skip("gettext's xgettext is not installed (apt-get install gettext)")
    for name in SOURCES:
        source = settings.BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)

    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location"],
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "rabat_portal.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    missing = missing_translations(tmp_path / "locale/fr/LC_MESSAGES/django.po")
    assert missing == [], "Run `manage.py makemessages -l fr` and translate these strings"
