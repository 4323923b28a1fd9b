"""Back up the whole portal into one archive, and restore it into an empty migrated database.

An archive (``rabat-portal-backup-<UTC time>.tar.gz``) holds:

- ``manifest.json``: when and from which versions it was made, the migrations applied per app,
  the number of rows per model, and the SHA-256 of every other member;
- ``data.json``: ``dumpdata`` of every app with natural foreign keys, so that it loads into a
  database whose content types and permissions got other ids. Primary keys are kept (no
  ``--natural-primary``): addresses such as ``/documents/<pk>/`` stay the same after a restore;
- ``files/<storage>/<name>``: every stored file of each storage in ``settings.STORAGES`` (the
  public media and the private documents), under the name the database refers to.

Restoring checks the whole archive before it touches anything, loads the data in one
transaction that is rolled back unless every count matches, then writes and re-reads the files.
"""

import hashlib
import io
import json
import platform
import shutil
import tarfile
import tempfile
from collections import Counter
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from portal_lib import page_cache

FORMAT = 1
MANIFEST = "manifest.json"
DATA = "data.json"
FILES = "files"
# Rows ``migrate`` itself creates, under ids of its own, or that no backup should carry:
# content types and permissions are recreated and referred to by natural key; sessions are
# only logged-in browsers. The admin's log is kept: it is the record of the Secretariat's edits.
EXCLUDED_MODELS = ["contenttypes", "auth.permission", "sessions"]
# Static files are built from the code, not data.
EXCLUDED_STORAGES = {"staticfiles"}
CHUNK = 1024 * 1024
# JSON, with times to the microsecond (rabat_portal.exact_json).
DATA_FORMAT = "exactjson"


def _register_data_format():
    serializers.register_serializer(DATA_FORMAT, "rabat_portal.exact_json")


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why, for the operator."""


def backed_up_storages():
    """The aliases of ``settings.STORAGES`` whose files a backup holds."""
    return sorted(alias for alias in settings.STORAGES if alias not in EXCLUDED_STORAGES)


def applied_migrations(using=DEFAULT_DB_ALIAS):
    """``{app label: [migration names applied]}`` of the database, each list sorted."""
    state = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        state.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(state.items())}


def backed_up_models():
    """Every model whose rows a backup holds (all but ``EXCLUDED_MODELS``)."""
    models = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in EXCLUDED_MODELS or label in EXCLUDED_MODELS:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        models.append(model)
    return models


def is_empty(using=DEFAULT_DB_ALIAS):
    """Whether the database holds nothing ``migrate`` would not have created: no row in any
    model of the apps that keep the Dialogue's records and accounts (the Secretariat group,
    created by a migration, does not count)."""
    from rabat_portal.secretariat import SECRETARIAT_APPS

    return not any(
        model._base_manager.using(using).exists()
        for model in backed_up_models()
        if model._meta.app_label in SECRETARIAT_APPS
    )


def _sha256_of(fileobj):
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _stored_names(storage, folder=""):
    """Every file name in ``storage`` under ``folder``, through the storage's own API, so that
    a storage on S3 is listed as well as one on disk."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a folder nothing was ever uploaded to does not exist yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _stored_names(storage, f"{folder}/{sub}" if folder else sub)


def _versions():
    try:
        portal = metadata.version("rabat-portal")
    except metadata.PackageNotFoundError:
        import tomllib

        with open(settings.BASE_DIR / "pyproject.toml", "rb") as pyproject:
            portal = tomllib.load(pyproject)["project"]["version"]
    return {"portal": portal, "django": django.get_version(), "python": platform.python_version()}


def _add_bytes(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(content))


def create_backup(output_dir, using=DEFAULT_DB_ALIAS):
    """Write one archive of the database and every stored file into ``output_dir``.

    Returns ``(path of the archive, manifest)``.
    """
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    path = output_dir / f"rabat-portal-backup-{created:%Y%m%dT%H%M%SZ}.tar.gz"
    if path.exists():
        raise BackupError(f"{path} exists already; wait a second or choose another folder.")
    with tempfile.TemporaryDirectory() as scratch:
        data_path = Path(scratch) / DATA
        _register_data_format()
        connection = connections[using]
        # One snapshot for every table: rows written during the dump do not half-appear.
        # (Only possible as the transaction's first statement, so not inside an outer one.)
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic(using=using):
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            migrations = applied_migrations(using)
            call_command(
                "dumpdata",
                format=DATA_FORMAT,
                exclude=EXCLUDED_MODELS,
                natural_foreign=True,
                use_base_manager=True,
                database=using,
                output=str(data_path),
                verbosity=0,
            )
        with open(data_path, "rb") as data:
            counts = Counter(row["model"] for row in json.load(data))
        manifest = {
            "format": FORMAT,
            "created": created.isoformat(),
            "versions": _versions(),
            "database_vendor": connections[using].vendor,
            "migrations": migrations,
            "counts": {model._meta.label_lower: 0 for model in backed_up_models()}
            | dict(sorted(counts.items())),
            "files": {},
        }
        partial = path.with_suffix(".partial")
        try:
            _write_archive(partial, data_path, manifest, created)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        # Renamed only once complete: a backup cut short never looks like a good archive.
        partial.rename(path)
    return path, manifest


class _HashingReader:
    """Reads a file and keeps the SHA-256 of what was read: what went into the archive is
    what the manifest vouches for, even if the stored file changed meanwhile."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        chunk = self.fileobj.read(size)
        self.digest.update(chunk)
        return chunk


def _write_archive(path, data_path, manifest, created):
    with tarfile.open(path, "w:gz") as archive:
        with open(data_path, "rb") as data:
            manifest["files"][DATA] = _sha256_of(data)
        archive.add(data_path, arcname=DATA)
        for alias in backed_up_storages():
            storage = storages[alias]
            for name in _stored_names(storage):
                member = f"{FILES}/{alias}/{name}"
                info = tarfile.TarInfo(member)
                info.size = storage.size(name)
                info.mtime = int(created.timestamp())
                info.mode = 0o644
                with storage.open(name, "rb") as stored:
                    reader = _HashingReader(stored)
                    archive.addfile(info, reader)
                manifest["files"][member] = reader.digest.hexdigest()
        _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())


def _checked_member_name(member):
    """The member's name if it is a plain file at a relative path inside the archive."""
    name = member.name
    parts = PurePosixPath(name).parts
    if not member.isfile():
        kind = "a link" if member.issym() or member.islnk() else "not a plain file"
        raise BackupError(f"Refused: the archive's member {name!r} is {kind}.")
    if name.startswith(("/", "\\")) or PurePosixPath(name).is_absolute() or ":" in parts[0]:
        raise BackupError(f"Refused: the archive's member {name!r} has an absolute path.")
    if ".." in parts or "\\" in name:
        raise BackupError(f"Refused: the archive's member {name!r} points outside the archive.")
    return name


def read_archive(path):
    """Check the archive at ``path`` without changing anything, and return its manifest.

    Every member must be a plain file at a safe relative path, listed in the manifest with the
    SHA-256 it has, and every file the manifest lists must be there.
    """
    try:
        with tarfile.open(path, "r:gz") as archive:
            return _checked_manifest(archive, path)
    except (OSError, EOFError, tarfile.TarError, ValueError, KeyError) as error:
        raise BackupError(f"{path} is not a readable backup archive ({error!r}).") from error


def _checked_manifest(archive, path):
    members = archive.getmembers()
    names = [_checked_member_name(member) for member in members]
    if len(names) != len(set(names)):
        raise BackupError("Refused: the archive holds the same name twice.")
    if MANIFEST not in names:
        raise BackupError(f"{path} has no {MANIFEST}: it is not a backup of the portal.")
    manifest = json.load(archive.extractfile(MANIFEST))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is in backup format {manifest.get('format')}, not {FORMAT}.")
    expected = manifest["files"]
    present = set(names) - {MANIFEST}
    if present - set(expected):
        raise BackupError(
            f"Refused: the archive holds files its manifest does not list: "
            f"{sorted(present - set(expected))[:5]}."
        )
    if set(expected) - present:
        missing = sorted(set(expected) - present)[:5]
        raise BackupError(f"The archive lacks files its manifest lists: {missing}.")
    for member in members:
        if member.name == MANIFEST:
            continue
        if _sha256_of(archive.extractfile(member)) != expected[member.name]:
            raise BackupError(f"{member.name} in the archive does not match its checksum.")
    unknown = {name.split("/")[1] for name in expected if name.startswith(f"{FILES}/")} - set(
        backed_up_storages()
    )
    if unknown:
        raise BackupError(f"The archive holds files of storages this portal lacks: {unknown}.")
    return manifest


def migration_differences(manifest, using=DEFAULT_DB_ALIAS):
    """``{app: (latest migration in the archive, latest applied here)}`` for every app whose
    migrations differ; empty when the archive fits this database."""
    current = applied_migrations(using)
    archived = manifest["migrations"]
    differences = {}
    for app_label in sorted(set(current) | set(archived)):
        if current.get(app_label, []) != archived.get(app_label, []):
            differences[app_label] = (
                (archived.get(app_label) or ["none"])[-1],
                (current.get(app_label) or ["none"])[-1],
            )
    return differences


@contextmanager
def _constraints_checked_now(using):
    """PostgreSQL refuses to TRUNCATE a table with foreign key checks still pending from rows
    written earlier in the same transaction (as in a test, or a caller's transaction): run the
    checks first, and defer them again afterwards for loaddata's rows that refer forwards."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _load_data(archive, manifest, using):
    with tempfile.TemporaryDirectory() as scratch:
        # loaddata tells the format by the extension.
        data_path = Path(scratch) / f"data.{DATA_FORMAT}"
        _register_data_format()
        with open(data_path, "wb") as data:
            shutil.copyfileobj(archive.extractfile(DATA), data)
        with transaction.atomic(using=using):
            # Everything goes, then the content types and permissions migrate would create come
            # back (the data refers to them by natural key), then the archive's rows.
            with _constraints_checked_now(using):
                call_command("flush", interactive=False, inhibit_post_migrate=True, database=using)
            for app_config in apps.get_app_configs():
                create_contenttypes(app_config, verbosity=0, using=using)
                create_permissions(app_config, verbosity=0, using=using)
            call_command("loaddata", str(data_path), database=using, verbosity=0)
            # The flush removed rows without a signal: every kept page is out of date.
            page_cache.content_changed(using)
            counts = {
                model._meta.label_lower: model._base_manager.using(using).count()
                for model in backed_up_models()
            }
            wrong = {
                label: (expected, counts.get(label))
                for label, expected in manifest["counts"].items()
                if counts.get(label) != expected
            }
            if wrong:
                # Raising inside the transaction rolls the whole load back.
                raise BackupError(
                    "The restored rows do not match the manifest (model: expected, found): "
                    + ", ".join(f"{label}: {a}, {b}" for label, (a, b) in sorted(wrong.items()))
                    + ". Nothing was changed."
                )
    return counts


def _restore_files(archive, manifest):
    restored = Counter()
    for member, checksum in manifest["files"].items():
        if not member.startswith(f"{FILES}/"):
            continue
        _files, alias, name = member.split("/", 2)
        storage = storages[alias]
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, File(archive.extractfile(member), name=name))
        if saved != name:
            raise BackupError(f"The storage {alias!r} saved {name} as {saved}.")
        with storage.open(name, "rb") as written:
            if _sha256_of(written) != checksum:
                raise BackupError(f"{alias}/{name} differs from the archive once written.")
        restored[alias] += 1
    return dict(restored)


def restore_backup(path, *, force=False, using=DEFAULT_DB_ALIAS):
    """Restore the archive at ``path``: its rows replace the database's, its files are written.

    Refuses (``BackupError``, nothing changed) an unsafe or damaged archive, a database that is
    not empty unless ``force``, and a database whose migrations differ from the archive's.
    Returns ``{"counts": rows per model, "files": files per storage}``.
    """
    manifest = read_archive(path)
    if not force and not is_empty(using):
        raise BackupError(
            "The database is not empty: restoring would replace everything in it. "
            "Restore into a new database (manage.py migrate first), or pass --force."
        )
    differences = migration_differences(manifest, using)
    if differences:
        raise BackupError(
            "The archive was made at other migrations than this database's "
            "(app: archive, database): "
            + "; ".join(f"{app}: {a}, {b}" for app, (a, b) in differences.items())
            + ". Restore with the portal's version that made it, on a database migrated to "
            "the same point (manage.py migrate <app> <migration>), then upgrade."
        )
    with tarfile.open(path, "r:gz") as archive:
        counts = _load_data(archive, manifest, using)
        files = _restore_files(archive, manifest)
    return {"counts": counts, "files": files}
