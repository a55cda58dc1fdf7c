"""Content sniffing: the bytes decide the type; anything else is refused, and no input makes it raise."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.attachments.service import clean_name
from api.attachments.sniff import sniff_content_type


def _zip(*names: str, mimetype: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype)
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.4 ...", "a.bin", "application/pdf"),
        (b"\xff\xd8\xff\xe0JFIF", "a.png", "image/jpeg"),
        (b"GIF89a...", "a", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "a", "image/webp"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "旧表格.XLS", "application/vnd.ms-excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "noext", "application/x-ole-storage"),
        (
            _zip("[Content_Types].xml", "ppt/slide1.xml"),
            "a.zip",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (
            _zip("content.xml", mimetype="application/vnd.oasis.opendocument.text"),
            "a",
            "application/vnd.oasis.opendocument.text",
        ),
        (_zip("a.txt"), "a.docx", "application/zip"),
        (b"PK\x03\x04 not really a zip", "a.zip", None),
        (b"<html><script>", "a.pdf", None),
        (b"MZ\x90\x00", "a.exe", None),
    ],
)
def test_sniffed_types(data: bytes, name: str, expected: str | None) -> None:
    assert sniff_content_type(data, name) == expected


@given(st.binary(max_size=256), st.text(max_size=40))
def test_sniffing_never_raises(data: bytes, name: str) -> None:
    sniff_content_type(data, name)


@given(st.text(max_size=400))
def test_clean_names_are_short_flat_and_printable(raw: str) -> None:
    name = clean_name(raw)
    assert 0 < len(name) <= 255
    assert "/" not in name
    assert "\\\\" not in name
    assert all(ch.isprintable() or ch == " " for ch in name)
