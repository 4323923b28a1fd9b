"""Uploads are judged by their content: what is refused, and the message a person reads."""

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, MemoryFileUploadHandler
from django.urls import reverse

from portal_lib.storage import stored_file_response
from portal_lib.uploads import (
    DOCX,
    JPEG,
    MAX_ARCHIVE_MEMBERS,
    PDF,
    PNG,
    PPTX,
    XLS,
    XLSX,
    LimitedUploadHandler,
    download_name,
    inspect_upload,
)
from tests.meetings.factories import PDF_BYTES, pdf_upload


def office_file(main_part, extra=(), name="notes.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
        for part_name, content in extra:
            archive.writestr(part_name, content)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.mark.parametrize(
    ("upload", "kind"),
    [
        (SimpleUploadedFile("report.pdf", PDF_BYTES), PDF),
        (SimpleUploadedFile("chart.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32), PNG),
        (SimpleUploadedFile("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 32), JPEG),
        (office_file("word/document.xml"), DOCX),
        (office_file("xl/workbook.xml", name="figures.xlsx"), XLSX),
        (office_file("ppt/presentation.xml", name="slides.pptx"), PPTX),
        (SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64), XLS),
    ],
)
def test_accepted_types_are_recognised_by_content(upload, kind):
    assert inspect_upload(upload) == kind


def test_a_pdf_renamed_docx_is_still_a_pdf():
    assert inspect_upload(SimpleUploadedFile("conclusions.docx", PDF_BYTES)) == PDF


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("empty.pdf", b""), "The file is empty."),
        (SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" + b"\0" * 64), "not an accepted type"),
        (
            SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            "not an accepted type",
        ),
        (
            SimpleUploadedFile("page.pdf", b"<html><script>alert(1)</script></html>"),
            "not an accepted type",
        ),
        (SimpleUploadedFile("notes.docx", b"PK\x03\x04 this is not a zip"), "cannot be read"),
        (
            SimpleUploadedFile("archive.docx", office_file("content.xml").read()),
            "not an accepted type",
        ),
    ],
)
def test_wrong_types_are_refused_with_a_clear_message(upload, message):
    upload.seek(0)
    with pytest.raises(ValidationError) as error:
        inspect_upload(SimpleUploadedFile(upload.name, upload.read()))

    if message:
        assert message in " ".join(error.value.messages)


def test_an_ole_file_with_an_office_extension_is_accepted_but_not_with_another():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64

    assert inspect_upload(SimpleUploadedFile("minutes.doc", ole)).extension == ".doc"
    with pytest.raises(ValidationError, match="not an accepted type"):
        inspect_upload(SimpleUploadedFile("mail.msg", ole))


def test_files_over_the_limit_are_refused_with_their_size(settings):
    settings.DOCUMENT_MAX_UPLOAD_SIZE = 1024

    with pytest.raises(ValidationError) as error:
        inspect_upload(SimpleUploadedFile("big.pdf", PDF_BYTES + b"\0" * 2048))

    assert "largest accepted is 1.0\xa0KB" in error.value.messages[0]


def test_office_documents_with_macros_are_refused():
    upload = office_file("word/document.xml", extra=[("word/vbaProject.bin", b"\0" * 16)])

    with pytest.raises(ValidationError, match="macros"):
        inspect_upload(upload)


def test_an_office_archive_that_unpacks_too_far_is_refused():
    bomb = office_file(
        "word/document.xml", extra=[("word/media/padding.bin", b"\0" * (5 * 1024 * 1024))]
    )

    with pytest.raises(ValidationError, match="unpacks to more"):
        inspect_upload(bomb)


def test_inspection_leaves_the_file_ready_to_be_read_from_the_start():
    upload = office_file("word/document.xml")

    inspect_upload(upload)

    assert upload.read(4) == b"PK\x03\x04"


@pytest.mark.parametrize(
    ("filename", "content_type", "expected"),
    [
        ("answer.html", PDF.content_type, "answer.pdf"),
        ("chart.svg", PNG.content_type, "chart.png"),
        ("photo.jpeg", JPEG.content_type, "photo.jpeg"),
        ("Photo.JPG", JPEG.content_type, "Photo.JPG"),
        ("notes", DOCX.content_type, "notes.docx"),
        ("", PDF.content_type, "file.pdf"),
        ("page.html", "text/html", "page.bin"),
    ],
)
def test_a_download_is_named_by_the_type_it_is_served_as(filename, content_type, expected):
    assert download_name(filename, content_type) == expected


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", ""])
def test_a_file_of_a_type_the_checks_do_not_know_is_never_shown_as_a_page(content_type):
    upload = SimpleUploadedFile("page.html", b"<script>alert(1)</script>")

    response = stored_file_response(upload, filename="page.html", content_type=content_type)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="page.bin"'


class KeptBytes(FileUploadHandler):
    """Stands for the handlers after the limit, which keep a file in memory or on disk: counts
    the bytes that reach them."""

    kept = 0

    def receive_data_chunk(self, raw_data, start):
        self.kept += len(raw_data)

    def file_complete(self, file_size):
        return None


def test_an_upload_stops_reaching_memory_and_disk_past_the_size_limit(rf, settings):
    settings.DOCUMENT_MAX_UPLOAD_SIZE = 100 * 1024
    size = 1024 * 1024
    request = rf.post(
        "/", {"upload": SimpleUploadedFile("big.pdf", PDF_BYTES + b"\0" * (size - len(PDF_BYTES)))}
    )
    kept = KeptBytes(request)
    request.upload_handlers = [LimitedUploadHandler(request), kept]

    upload = request.FILES["upload"]

    assert 0 < kept.kept <= 100 * 1024
    assert upload.size == size
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload)
    assert error.value.messages[0].startswith("The file is 1.0\xa0MB; the largest accepted is")


def test_a_file_within_the_limit_passes_the_limit_untouched(rf):
    request = rf.post("/", {"upload": SimpleUploadedFile("small.pdf", PDF_BYTES)})
    request.upload_handlers = [LimitedUploadHandler(request), MemoryFileUploadHandler(request)]

    assert request.FILES["upload"].read() == PDF_BYTES


def archive(names, name_length=0):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        for name in names:
            archive.writestr(name.ljust(name_length, "x"), b"")
    return buffer.getvalue()


def as_zip64(data):
    """``data`` with a ZIP64 end record, as writers add for very large archives: the classic
    record then says "see ZIP64" (0xFFFF entries) and the ZIP64 record holds the figures."""
    end = data.rindex(b"PK\x05\x06")
    entries, size, offset = struct.unpack_from("<HLL", data, end + 10)
    record = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, size, offset
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    classic = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, size, offset, 0)
    return data[:end] + record + locator + classic


def refuse_to_parse(*args, **kwargs):
    raise AssertionError("the central directory was parsed before its announced size was checked")


@pytest.mark.parametrize("zip64", [False, True], ids=["classic", "ZIP64"])
def test_an_archive_announcing_too_many_entries_is_refused_before_its_directory_is_parsed(
    monkeypatch, zip64
):
    data = archive([f"word/media/{n}.bin" for n in range(MAX_ARCHIVE_MEMBERS)])
    upload = SimpleUploadedFile("many.docx", as_zip64(data) if zip64 else data)
    monkeypatch.setattr(zipfile, "ZipFile", refuse_to_parse)

    with pytest.raises(ValidationError, match="cannot be read"):
        inspect_upload(upload)


def test_an_archive_whose_directory_is_too_large_is_refused_before_it_is_parsed(monkeypatch):
    # Few entries with very long names: zipfile reads and parses the directory by its size.
    names = [f"word/media/{n}-" for n in range(40)]
    upload = SimpleUploadedFile("long.docx", archive(names, name_length=60_000))
    monkeypatch.setattr(zipfile, "ZipFile", refuse_to_parse)

    with pytest.raises(ValidationError, match="cannot be read"):
        inspect_upload(upload)


def test_a_zip64_office_document_within_the_bounds_is_read():
    upload = SimpleUploadedFile("report.docx", as_zip64(archive(["word/styles.xml"])))

    assert inspect_upload(upload) == DOCX


UPLOAD_PAGES = [
    ("ideas:create", {}),
    ("labelling:request-create", {}),
    ("meetings:reference-documents", {}),
    ("consultations:consultation", {"pk": 1}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), UPLOAD_PAGES)
def test_an_upload_larger_than_its_form_can_hold_is_refused_before_it_is_read(
    client, senegal_focal_point, settings, name, kwargs
):
    settings.DOCUMENT_MAX_UPLOAD_SIZE = 1024
    client.force_login(senegal_focal_point)

    response = client.generic(
        "POST",
        reverse(name, kwargs=kwargs),
        b"--boundary--\r\n",
        content_type="multipart/form-data; boundary=boundary",
        CONTENT_LENGTH=str(10 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert not response.wsgi_request.environ["wsgi.input"].read_started
    assert "1.0\xa0KB" in response.text


@pytest.mark.django_db
def test_a_request_the_form_can_hold_is_read(client, senegal_focal_point, settings):
    settings.DOCUMENT_MAX_UPLOAD_SIZE = 1024
    client.force_login(senegal_focal_point)

    response = client.post(
        reverse("ideas:create"),
        {"kind": "technical", "title": "Half-written", "draft": "1", "attachment": pdf_upload()},
    )

    assert response.status_code == 302
