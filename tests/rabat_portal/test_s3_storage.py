"""Files in an S3-style bucket (FILE_STORAGE=s3, for containers on several machines): uploads
land in the bucket's private part under random names, the portal streams them to the people
allowed, and a backup brings them back. The bucket is moto's emulation of S3, in the test."""

import boto3
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from moto import mock_aws

from meetings.models import Document
from rabat_portal import settings as project_settings
from tests.meetings.factories import PDF_BYTES, DocumentFactory, pdf_upload
from tests.rabat_portal.test_backup import flush, make_backup

BUCKET = "rabat-portal-files"
REGION = "eu-west-1"
MINUTES = PDF_BYTES + b"minutes of the Steering Committee" + bytes(range(256))
ANYONE = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture
def bucket(monkeypatch, settings):
    """An empty private bucket, and the portal configured as ``FILE_STORAGE=s3`` with the
    ``S3_*`` variables would configure it; yields a boto3 client to look into the bucket."""
    for name, value in {
        "S3_BUCKET": BUCKET,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": "portal-key",
        "S3_SECRET_ACCESS_KEY": "portal-secret",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        settings.STORAGES = {
            **settings.STORAGES,
            "default": project_settings.s3_storage("media"),
            "documents": project_settings.s3_storage("private"),
        }
        # File fields take their storage when the models load, which in a process started
        # with FILE_STORAGE=s3 happens after the settings: do here what that process does.
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.FileField) and hasattr(field, "_storage_callable"):
                    monkeypatch.setattr(field, "storage", field._storage_callable())
        yield s3


def keys(s3):
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_the_settings_choose_the_bucket_only_when_asked(monkeypatch):
    assert project_settings.FILE_STORAGE == "filesystem"
    monkeypatch.setenv("S3_BUCKET", BUCKET)
    monkeypatch.delenv("S3_ENDPOINT_URL", raising=False)
    entry = project_settings.s3_storage("private")
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    assert entry["OPTIONS"]["bucket_name"] == BUCKET
    assert entry["OPTIONS"]["location"] == "private"
    assert entry["OPTIONS"]["endpoint_url"] is None, "empty means AWS itself"
    assert entry["OPTIONS"]["querystring_auth"] is True


def test_an_upload_lands_in_the_private_part_of_the_bucket_under_a_random_name(bucket, db):
    document = DocumentFactory(
        visibility=Document.Visibility.FOCAL_POINTS,
        file=pdf_upload("Minutes - Aminata Diop.pdf", MINUTES),
    )

    [key] = keys(bucket)
    assert key == f"private/{document.file.name}"
    assert key.startswith("private/documents/") and "Diop" not in key
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == MINUTES
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert all(grant["Grantee"].get("URI") != ANYONE for grant in grants)


def test_the_portal_streams_a_restricted_document_only_to_those_allowed(
    bucket, client, senegal_focal_point
):
    document = DocumentFactory(
        visibility=Document.Visibility.FOCAL_POINTS, file=pdf_upload("minutes.pdf", MINUTES)
    )
    url = f"/en/documents/{document.pk}/download/"

    refused = client.get(url)
    client.force_login(senegal_focal_point)
    sent = client.get(url)

    assert refused.status_code in (302, 404) and not refused.has_header("Content-Disposition")
    assert sent.status_code == 200
    assert b"".join(sent.streaming_content) == MINUTES
    assert sent["Cache-Control"] == "private, no-store"


def test_a_backup_and_a_restore_bring_the_files_back_into_the_bucket(bucket, seeded, tmp_path):
    document = DocumentFactory(slug="minutes", file=pdf_upload("minutes.pdf", MINUTES))
    archive = make_backup(tmp_path / "backups")

    flush()
    for key in keys(bucket):
        bucket.delete_object(Bucket=BUCKET, Key=key)
    call_command("restore_portal", str(archive), verbosity=0)

    restored = Document.objects.get(slug="minutes")
    assert restored.file.name == document.file.name
    assert keys(bucket) == [f"private/{document.file.name}"]
    assert restored.file.read() == MINUTES
