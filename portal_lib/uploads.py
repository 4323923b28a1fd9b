"""What the portal accepts as an uploaded document, decided by the file's content, not its name.

The allow-list is short (PDF, Word, Excel, PowerPoint, PNG, JPEG) and every type needs checks
beyond its first bytes (Office files are ZIP archives whose size must be bounded), so the checks
are written out here rather than delegated to a general-purpose type sniffer.
"""

import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    label: str


PDF = FileKind(".pdf", "application/pdf", "PDF")
PNG = FileKind(".png", "image/png", "PNG")
JPEG = FileKind(".jpg", "image/jpeg", "JPEG")
DOCX = FileKind(
    ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"
)
XLSX = FileKind(
    ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"
)
PPTX = FileKind(
    ".pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "PowerPoint",
)
DOC = FileKind(".doc", "application/msword", "Word")
XLS = FileKind(".xls", "application/vnd.ms-excel", "Excel")
PPT = FileKind(".ppt", "application/vnd.ms-powerpoint", "PowerPoint")

KIND_BY_CONTENT_TYPE = {
    kind.content_type: kind for kind in (PDF, PNG, JPEG, DOCX, XLSX, PPTX, DOC, XLS, PPT)
}
# What a file of an unknown type is served as: bytes to save, never a page to show.
UNKNOWN_CONTENT_TYPE = "application/octet-stream"
OLE2_BY_EXTENSION = {".doc": DOC, ".xls": XLS, ".ppt": PPT}
OOXML_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}

# An Office file is a ZIP archive: bound what it may unpack to, so a "zip bomb" is refused.
MAX_ARCHIVE_MEMBERS = 2000
# zipfile reads the whole central directory, by the size its end record announces, and parses
# every entry in it before anything can be counted: both are checked first. An entry is 46 bytes
# and its name; Office files' names are short.
MAX_CENTRAL_DIRECTORY_SIZE = MAX_ARCHIVE_MEMBERS * 1024
END_RECORD = struct.Struct(
    "<4s4H2LH"
)  # signature, disks, entries here, entries, size, offset, comment
ZIP64_LOCATOR = struct.Struct("<4sLQL")  # signature, disk, offset of the ZIP64 record, disks
ZIP64_END_RECORD = struct.Struct(
    "<4sQ2H2L4Q"
)  # signature, size, versions, disks, entries here, entries, size, offset
MAX_UNPACKED_SIZE = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

ACCEPTED = _("PDF, Word, Excel, PowerPoint, PNG or JPEG")


def max_upload_size():
    return settings.DOCUMENT_MAX_UPLOAD_SIZE


def inspect_upload(upload):
    """Identify an uploaded file by its content and check it; return its ``FileKind``.

    Raises ``ValidationError`` with a message a person can act on when the file is empty, too
    large, of a type that is not accepted, or an Office archive that is malformed or unbounded.
    """
    size = upload.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_upload_size():
        raise ValidationError(
            _("The file is %(size)s; the largest accepted is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_upload_size())},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        kind = OLE2_BY_EXTENSION.get(PurePath(upload.name or "").suffix.lower())
        if kind:
            return kind
    if head.startswith(b"PK\x03\x04"):
        return _inspect_office_archive(upload)
    raise ValidationError(
        _("This file is not an accepted type. Accepted: %(accepted)s.") % {"accepted": ACCEPTED},
        code="type",
    )


def _inspect_office_archive(upload):
    broken = ValidationError(
        _("This file looks like an Office document but cannot be read. Save it again and retry."),
        code="broken",
    )
    announced = _announced_directory(upload)
    if announced is None:
        raise broken
    entries, directory_size = announced
    if entries > MAX_ARCHIVE_MEMBERS or directory_size > MAX_CENTRAL_DIRECTORY_SIZE:
        raise broken
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise broken
            unpacked = sum(member.file_size for member in members)
            ratio_too_high = any(
                member.file_size > 1024 * 1024
                and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
                for member in members
            )
            if unpacked > MAX_UNPACKED_SIZE or ratio_too_high:
                raise ValidationError(
                    _("This archive unpacks to more than a document can hold."), code="zip_bomb"
                )
            names = {member.filename for member in members}
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise broken from error
    finally:
        upload.seek(0)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(
            _("Documents with macros are not accepted. Save it without macros and retry."),
            code="macros",
        )
    if "[Content_Types].xml" in names:
        for part, kind in OOXML_MAIN_PARTS.items():
            if part in names:
                return kind
    raise ValidationError(
        _("This file is not an accepted type. Accepted: %(accepted)s.") % {"accepted": ACCEPTED},
        code="type",
    )


def _announced_directory(upload):
    """``(entries, size in bytes)`` of an archive's central directory as its end record says,
    read from the archive's last bytes; None when it has no end record.

    The end record is found as ``zipfile`` finds it (at the very end, else the last one within
    a comment's reach), and a ZIP64 record just before it wins, as it does for ``zipfile``.
    """
    size = upload.size
    reach = END_RECORD.size + 0xFFFF + ZIP64_LOCATOR.size + ZIP64_END_RECORD.size
    upload.seek(max(0, size - reach))
    tail = upload.read(reach)
    upload.seek(0)
    end = len(tail) - END_RECORD.size
    if not (end >= 0 and tail.startswith(b"PK\x05\x06", end) and tail.endswith(b"\0\0")):
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or end + END_RECORD.size > len(tail):
            return None
    *_, entries, directory_size, _offset, _comment = END_RECORD.unpack_from(tail, end)
    locator = end - ZIP64_LOCATOR.size
    record = locator - ZIP64_END_RECORD.size
    if record >= 0 and tail.startswith(b"PK\x06\x07", locator):
        if not tail.startswith(b"PK\x06\x06", record):
            return None
        *_, entries, directory_size, _offset = ZIP64_END_RECORD.unpack_from(tail, record)
    return entries, directory_size


def store_by_detected_type(record, field_name):
    """Check the file just given to ``record.<field_name>`` and keep it by its detected type.

    The record's ``content_type``, ``file_size`` and ``original_filename`` (the uploader's name
    for it) are set, and the file is renamed ``upload<extension of its type>``, so that the
    stored name (``storage.random_file_name``) carries that extension and never the uploader's.
    A file already stored, or none, is left as it is. Raises ``ValidationError`` as
    ``inspect_upload`` does.
    """
    field_file = getattr(record, field_name)
    if not field_file or field_file._committed:
        return
    kind = inspect_upload(field_file)
    record.original_filename = PurePath(field_file.name).name[:255]
    record.file_size = field_file.size
    record.content_type = kind.content_type
    field_file.name = f"upload{kind.extension}"


def detected_content_type(field_file):
    """The content type of a stored file, read from its content: for files stored before their
    type was recorded. A file the checks refuse, or that cannot be read, is unknown bytes."""
    try:
        with field_file.open("rb"):
            return inspect_upload(field_file).content_type
    except (ValidationError, OSError):
        return UNKNOWN_CONTENT_TYPE


def download_name(filename, content_type):
    """``filename`` ending in the extension of ``content_type``, the type the file is served as:
    ``answer.html`` holding a PDF downloads as ``answer.pdf``; a file of a type the portal does
    not accept downloads as ``.bin``."""
    kind = KIND_BY_CONTENT_TYPE.get(content_type)
    extension = kind.extension if kind else ".bin"
    path = PurePath(filename or "file")
    suffix = path.suffix.lower()
    if suffix == extension or (kind == JPEG and suffix == ".jpeg"):
        return path.name
    return f"{path.stem or 'file'}{extension}"


class OversizedUpload(UploadedFile):
    """A file cut off past the size limit: its name and full size, none of its content."""

    def __init__(self, name, content_type, size, charset, content_type_extra):
        super().__init__(io.BytesIO(), name, content_type, size, charset, content_type_extra)


class LimitedUploadHandler(FileUploadHandler):
    """The first of ``FILE_UPLOAD_HANDLERS``: passes each uploaded file on to the handlers after
    it (memory, then a temporary file) until the file is past ``DOCUMENT_MAX_UPLOAD_SIZE``, and
    none of it after that. The rest is read and counted, never kept: the file becomes an
    ``OversizedUpload`` of its full size, which ``inspect_upload`` refuses, saying that size."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data if self.received <= max_upload_size() else None

    def file_complete(self, file_size):
        if self.received <= max_upload_size():
            return None  # the next handler's file, whole
        return OversizedUpload(
            self.file_name, self.content_type, self.received, self.charset, self.content_type_extra
        )


# Multipart's own part headers and boundaries, beyond the files and fields they carry.
MULTIPART_OVERHEAD = 1024 * 1024


def accepts_files(count):
    """For a view whose form takes at most ``count`` files: a request with a Content-Length
    beyond what they and the form's fields can hold (``request_size_limit``) is refused, before
    its body is read, by ``rabat_portal.middleware.UploadSizeMiddleware``."""

    def decorator(view):
        view.max_upload_files = count
        return view

    return decorator


def request_size_limit(files):
    """The largest request body a form of ``files`` files may need: each file at the size
    limit, and the other fields at the size Django reads into memory."""
    fields = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return files * max_upload_size() + fields + MULTIPART_OVERHEAD


def validate_upload(upload):
    """Model-field validator: the checks of ``inspect_upload`` for files not yet stored."""
    if getattr(upload, "_committed", False):
        return  # already stored by the portal, and checked when it was uploaded
    inspect_upload(upload)
