"""backup_portal and restore_portal: everything comes back, and a doubtful archive is refused."""

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from consultations.models import Consultation
from focalpoints.models import Partner, User
from labelling.models import LabellingAttachment
from meetings.models import Document
from rabat_portal import backup
from tests.consultations.factories import ConsultationFactory
from tests.labelling.factories import LabellingRequestFactory
from tests.meetings.factories import PDF_BYTES, DocumentFactory, pdf_upload

# Not a valid PDF page, but bytes a restore must bring back exactly, high bytes included.
OTHER_PDF = PDF_BYTES + bytes(range(256))


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def portal(seeded, secretariat, senegal_focal_point, media_root):
    """The seeded Dialogue, accounts with two factors, and records with files in each storage."""
    senegal = Partner.objects.get(slug="senegal")
    public = DocumentFactory(slug="madrid-conclusions", title="Madrid conclusions")
    restricted = DocumentFactory(
        slug="draft-minutes",
        visibility=Document.Visibility.FOCAL_POINTS,
        file=pdf_upload("minutes.pdf", OTHER_PDF),
    )
    request = LabellingRequestFactory(lead_partner=senegal)
    attachment = LabellingAttachment.objects.create(
        request=request,
        kind=LabellingAttachment.Kind.CONCEPT_NOTE,
        file=SimpleUploadedFile("concept-note.pdf", PDF_BYTES),
    )
    consultation = ConsultationFactory(
        audience=Consultation.Audience.ALL, attachment=SimpleUploadedFile("draft.pdf", PDF_BYTES)
    )
    default_storage.save("logos/senegal.png", ContentFile(b"\x89PNG\r\n\x1a\n-logo"))
    return {
        "records": [public, restricted, request, attachment, consultation, senegal_focal_point],
        "secretariat": secretariat,
    }


def counts():
    return {
        model._meta.label_lower: model._base_manager.count() for model in backup.backed_up_models()
    }


def fields_of(record):
    """Every field of ``record`` (many-to-many included) as the serializer sees it."""
    return serializers.serialize("python", [type(record)._base_manager.get(pk=record.pk)])[0]


def stored_files(*folders):
    return {
        (str(folder), str(path.relative_to(folder))): path.read_bytes()
        for folder in folders
        for path in Path(folder).rglob("*")
        if path.is_file()
    }


def make_backup(folder):
    call_command("backup_portal", "--output", str(folder), verbosity=0)
    (archive,) = Path(folder).glob("rabat-portal-backup-*.tar.gz")
    return archive


def flush():
    """Empty the database, as a new one would be (PostgreSQL first checks the pending foreign
    keys of the test's own transaction, or it refuses to truncate)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def lose_everything(*folders):
    flush()
    for folder in folders:
        shutil.rmtree(folder)


def test_a_restore_brings_back_every_row_and_every_file_byte_for_byte(
    portal, private_files, media_root, tmp_path
):
    before_counts = counts()
    before_records = [fields_of(record) for record in portal["records"]]
    before_files = stored_files(private_files, media_root)
    assert len(before_files) == 5, "the documents, the attachment, the consultation, the logo"
    archive = make_backup(tmp_path / "backups")

    lose_everything(private_files, media_root)
    assert not User.objects.exists()
    out = io.StringIO()
    call_command("restore_portal", str(archive), stdout=out)

    assert counts() == before_counts
    assert [fields_of(record) for record in portal["records"]] == before_records
    assert stored_files(private_files, media_root) == before_files
    assert Document.objects.get(slug="draft-minutes").file.read() == OTHER_PDF
    assert "counts and checksums verified" in out.getvalue()
    assert "files in documents: 4" in out.getvalue()


def test_restored_accounts_keep_their_groups_and_second_factor(portal, tmp_path):
    archive = make_backup(tmp_path / "backups")
    flush()

    call_command("restore_portal", str(archive), verbosity=0)

    secretariat = User.objects.get(email=portal["secretariat"].email)
    assert secretariat.groups.filter(name="Secretariat").exists()
    assert secretariat.has_perm("meetings.change_document"), "permissions by natural key"
    assert secretariat.authenticator_set.filter(type="totp").exists()


def test_the_manifest_describes_the_archive(portal, tmp_path):
    archive = make_backup(tmp_path / "backups")

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())

    assert manifest["versions"]["django"]
    assert manifest["counts"]["meetings.document"] == Document.objects.count()
    assert "contenttypes.contenttype" not in manifest["counts"]
    assert manifest["migrations"]["meetings"], "the migrations applied per app"
    assert names == {"manifest.json", *manifest["files"]}
    assert all(len(checksum) == 64 for checksum in manifest["files"].values())


def test_a_database_that_is_not_empty_is_replaced_only_with_force(portal, tmp_path):
    archive = make_backup(tmp_path / "backups")
    Document.objects.filter(slug="madrid-conclusions").delete()
    DocumentFactory(slug="written-after-the-backup")

    with pytest.raises(CommandError, match=r"not empty.*--force"):
        call_command("restore_portal", str(archive), verbosity=0)
    assert Document.objects.filter(slug="written-after-the-backup").exists()

    call_command("restore_portal", str(archive), "--force", verbosity=0)

    assert Document.objects.filter(slug="madrid-conclusions").exists()
    assert not Document.objects.filter(slug="written-after-the-backup").exists()


def rewrite(archive, *, add=None, manifest_change=None):
    """A copy of ``archive`` with a member added (a ``TarInfo`` and its bytes) or the manifest
    changed, as someone tampering with it would write it."""
    tampered = archive.with_name("tampered.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name == "manifest.json" and manifest_change:
                manifest = json.loads(content)
                manifest_change(manifest)
                content = json.dumps(manifest).encode()
                member.size = len(content)
            target.addfile(member, io.BytesIO(content))
        if add:
            info, content = add
            target.addfile(info, io.BytesIO(content) if content is not None else None)
    return tampered


def member(name, kind=tarfile.REGTYPE, content=b"pwned", link=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.size = len(content) if kind == tarfile.REGTYPE else 0
    return info, content if kind == tarfile.REGTYPE else None


@pytest.mark.parametrize(
    ("added", "message"),
    [
        (member("files/documents/../../escape.txt"), "points outside"),
        (member("/tmp/escape.txt"), "absolute path"),
        (member("files/documents/link", tarfile.SYMTYPE, link="/etc/passwd"), "is a link"),
        (member("files/documents/hard", tarfile.LNKTYPE, link="data.json"), "is a link"),
        (member("files/documents/unlisted.pdf"), "does not list"),
    ],
)
def test_an_unsafe_archive_is_refused_before_anything_changes(
    portal, tmp_path, private_files, added, message
):
    archive = rewrite(make_backup(tmp_path / "backups"), add=added)
    flush()

    with pytest.raises(CommandError, match=message):
        call_command("restore_portal", str(archive), verbosity=0)

    assert not User.objects.exists(), "nothing was loaded"
    assert not (tmp_path / "escape.txt").exists()
    assert not (private_files.parent / "escape.txt").exists()


def test_an_archive_whose_files_were_altered_is_refused(portal, tmp_path):
    archive = make_backup(tmp_path / "backups")

    def swap_a_checksum(manifest):
        name = next(name for name in manifest["files"] if name.startswith("files/"))
        manifest["files"][name] = "0" * 64

    tampered = rewrite(archive, manifest_change=swap_a_checksum)
    flush()

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore_portal", str(tampered), verbosity=0)


def test_an_archive_made_at_other_migrations_is_refused_with_the_apps_named(portal, tmp_path):
    archive = make_backup(tmp_path / "backups")

    def made_before_the_last_meetings_migration(manifest):
        manifest["migrations"]["meetings"] = manifest["migrations"]["meetings"][:-1]

    older = rewrite(archive, manifest_change=made_before_the_last_meetings_migration)
    flush()

    with pytest.raises(CommandError, match=r"other migrations.*meetings: 0\d+"):
        call_command("restore_portal", str(older), verbosity=0)
    assert not User.objects.exists()


def test_a_file_that_is_not_an_archive_is_refused_with_a_message(db, tmp_path):
    not_an_archive = tmp_path / "backup.tar.gz"
    not_an_archive.write_bytes(b"this is not gzip")

    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore_portal", str(not_an_archive), verbosity=0)


def test_rows_that_do_not_add_up_to_the_manifest_roll_the_whole_load_back(portal, tmp_path):
    archive = make_backup(tmp_path / "backups")

    def one_document_more(manifest):
        manifest["counts"]["meetings.document"] += 1

    tampered = rewrite(archive, manifest_change=one_document_more)
    flush()

    with pytest.raises(CommandError, match=r"meetings\.document: \d+, \d+.*Nothing was changed"):
        call_command("restore_portal", str(tampered), verbosity=0)

    assert not User.objects.exists()
    assert not Document.objects.exists()
