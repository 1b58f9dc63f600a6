"""The largest file the portal takes in one upload (IMPORT_MAX_UPLOAD_MB), enforced while
the upload streams in: past the limit the rest of the file is read and thrown away, what
had been written to a temporary file is deleted, and the request is marked so the upload
page and the API can say why the file is missing. Nothing is held in memory or on disk
beyond the limit."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

MB = 1024 * 1024
REFUSED = "upload_refused"  # the request attribute holding the message


def max_upload_bytes() -> int:
    return int(settings.IMPORT_MAX_UPLOAD_MB * MB)


def max_upload_text() -> str:
    """The limit as people read it: "1,024 MB"."""
    megabytes = settings.IMPORT_MAX_UPLOAD_MB
    shown = f"{megabytes:,.0f}" if megabytes >= 1 else f"{megabytes:,.2f}"
    return f"{shown} MB"


def too_large_message() -> str:
    return (
        f"The file is larger than {max_upload_text()}, the largest file the portal takes in "
        "one upload"
    )


def upload_refusal(request: HttpRequest) -> str | None:
    """Why an upload in this request was refused while it streamed, if it was."""
    return getattr(request, REFUSED, None)


class UploadSizeLimit(FileUploadHandler):
    """First of the upload handlers: counts each file's bytes and skips a file once it
    passes the limit, before the handlers after it store any more of it."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.limit = max_upload_bytes()
        if self.content_length is not None and self.content_length > self.limit:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the handlers after this one keep the file

    def _refuse(self) -> None:
        if self.request is not None:
            setattr(self.request, REFUSED, too_large_message())
        raise SkipFile
