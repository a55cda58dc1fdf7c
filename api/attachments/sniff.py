"""What a file really is, read from its first bytes (the client's content type is never trusted).

Accepted (DESIGN.md "Attachments"): PDF, images, Office documents (OOXML, OpenDocument and the legacy
OLE2 formats) and ZIP. Pure: bytes in, a content type or None out.
"""

from __future__ import annotations

import io
import zipfile

OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OLE2_BY_SUFFIX = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def _zip_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:  # OpenDocument names its own type in its first member
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument."):
                    return declared
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, NotImplementedError):
        return None
    if "[Content_Types].xml" in names:
        for prefix, content_type in OOXML.items():
            if any(name.startswith(prefix) for name in names):
                return content_type
    return "application/zip"


def sniff_content_type(data: bytes, filename: str) -> str | None:
    """The accepted content type of `data`, or None when it is none of the accepted kinds."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(_OLE2):
        suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
        return OLE2_BY_SUFFIX.get(suffix, "application/x-ole-storage")
    if data.startswith(_ZIP):
        return _zip_type(data)
    return None
