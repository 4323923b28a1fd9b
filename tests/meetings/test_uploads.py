"""Uploads are judged by their content: what is refused, and the message a person reads."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from focalpoints.storage import stored_file_response
from focalpoints.uploads import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    PPTX,
    XLS,
    XLSX,
    download_name,
    inspect_upload,
)
from tests.meetings.factories import PDF_BYTES


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
