"""What a dossier accepts as a document: PDF, JPEG or PNG, up to `MAX_UPLOAD_BYTES`.

The type is read from the file's first bytes, not trusted from its name or the browser."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# content type -> (accepted name endings, leading bytes)
ACCEPTED: dict[str, tuple[tuple[str, ...], bytes]] = {
    "application/pdf": ((".pdf",), b"%PDF-"),
    "image/jpeg": ((".jpg", ".jpeg"), b"\xff\xd8\xff"),
    "image/png": ((".png",), b"\x89PNG\r\n\x1a\n"),
}


def validate_upload(upload: File) -> str:
    """The content type of an acceptable upload; a Vietnamese `ValidationError` otherwise."""
    name = getattr(upload, "name", "") or ""
    if upload.size is None or upload.size == 0:
        raise ValidationError(f"Tệp “{PurePath(name).name}” rỗng.")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"Tệp “{PurePath(name).name}” lớn hơn {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; hãy nén hoặc chia nhỏ."
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    suffix = PurePath(name).suffix.lower()
    for content_type, (suffixes, magic) in ACCEPTED.items():
        if suffix in suffixes and head.startswith(magic):
            return content_type
    raise ValidationError(
        f"Tệp “{PurePath(name).name}” không hợp lệ: chỉ nhận tệp PDF, JPEG hoặc PNG đúng định dạng."
    )
