"""What a dossier accepts as a document: PDF, JPEG or PNG, up to `MAX_UPLOAD_BYTES`; and how
its files are written so that none outlives a transaction that rolled back.

The type is read from the file's first bytes, not trusted from its name or the browser."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile

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


_written: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("dossier_files_written", default=None)


def save_file(field_file: FieldFile, name: str, content: File) -> None:
    """Write a document's file to storage (the row is saved by the caller). Inside
    `removed_if_rolled_back()`, the file is remembered so it can be deleted again."""
    field_file.save(name, content, save=False)
    written = _written.get()
    if written is not None:
        written.append((field_file.storage, field_file.name))


@contextmanager
def removed_if_rolled_back() -> Iterator[None]:
    """Storage is not transactional: a file written inside a transaction that then fails would stay
    on disk with no row pointing to it. Around a service's transaction, this deletes the files
    written through `save_file` when the transaction does not complete."""
    written: list[tuple[Storage, str]] = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    finally:
        _written.reset(token)
