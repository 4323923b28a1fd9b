"""Where document files are kept: outside the public media root, served only through views."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import cached_property

from portal_lib import uploads


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under ``settings.PRIVATE_MEDIA_ROOT``, which no web server publishes.

    The folder is read from the settings when first used (and again when they change), so the
    storage can be chosen when the models load and still follow the settings of each process.
    """

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def document_storage():
    """The ``documents`` entry of ``settings.STORAGES``: a private folder, or S3-style storage."""
    return storages["documents"]


class PrivateFieldFile(FieldFile):
    @property
    def url(self):
        """The download view of the record the file belongs to (``get_download_url()``), which
        checks who asks: what the admin's file widgets and read-only fields link to. Never the
        storage's own address: MEDIA_URL serves no private file, and a bucket's signed link
        would skip the check. Empty while the record is not saved."""
        self._require_file()
        if self.instance.pk is None:
            return ""
        return self.instance.get_download_url()


class PrivateFileField(models.FileField):
    """A file in the private document storage (``document_storage``), reached only through
    the download view of its record, whose model must define ``get_download_url()``."""

    attr_class = PrivateFieldFile

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("storage", document_storage)
        super().__init__(*args, **kwargs)


def random_file_name(folder, filename):
    """``folder/YYYY/MM/<random>.<extension>``: only the extension of the uploaded name is kept,
    so a stored file's name is neither guessable nor chosen by the person who uploaded it."""
    extension = PurePath(filename).suffix.lower()[:8]
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def stored_file_response(field_file, *, filename, content_type, public=False):
    """The HTTP response that sends a stored file of ``content_type`` (its detected type).

    PDFs and images open in the browser, other files download; a type the upload checks do not
    know is sent as bytes to save, so no file is ever shown as a page (HTML, SVG). ``filename``
    is given the extension of the type served. With ``PRIVATE_FILES_ACCEL_REDIRECT`` set, the
    web server sends the file and Django only decided who may have it. A file that is not
    ``public`` is never kept by shared caches.
    """
    from django.http import FileResponse, HttpResponse
    from django.utils.http import content_disposition_header

    if content_type not in uploads.KIND_BY_CONTENT_TYPE:
        content_type = uploads.UNKNOWN_CONTENT_TYPE
    inline = content_type in {
        uploads.PDF.content_type,
        uploads.PNG.content_type,
        uploads.JPEG.content_type,
    }
    accel_prefix = settings.PRIVATE_FILES_ACCEL_REDIRECT
    if accel_prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{accel_prefix.rstrip('/')}/{field_file.name}"
    else:
        response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        not inline, uploads.download_name(filename, content_type)
    )
    if not public:
        response["Cache-Control"] = "private, no-store"
    return response


def record_file_response(record, field_name="file", *, public=False):
    """``stored_file_response`` for the file a record keeps in ``field_name``, named as it was
    uploaded (``record.original_filename``) and sent as the type detected then
    (``record.content_type``; read again from the content for files stored before types were
    recorded)."""
    field_file = getattr(record, field_name)
    return stored_file_response(
        field_file,
        filename=record.original_filename or PurePath(field_file.name).name,
        content_type=record.content_type or uploads.detected_content_type(field_file),
        public=public,
    )
