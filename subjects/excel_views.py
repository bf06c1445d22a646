"""Pages of the Excel import: upload → preview of every problem (or of the rows to create) →
confirm → result. The uploaded file waits on the server between preview and confirm, named by a
random token kept in the session; nothing personal ever goes into a URL."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from areas.permissions import can_edit_registers
from areas.selectors import breadcrumbs

from . import excel, services
from .excel import REGISTERS, ImportKind

SESSION_KEY = "excel_import"
RESULT_KEY = "excel_import_result"
UPLOAD_EXPIRY = dt.timedelta(hours=2)
PREVIEW_ROWS = 500


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại dữ liệu", choices=ImportKind.choices, initial=ImportKind.PERSONS, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        help_text="Dùng tệp mẫu bên cạnh; tối đa 5 MB. Hệ thống kiểm tra toàn bộ tệp trước khi nhập.",
        error_messages={"required": "Chọn tệp Excel cần nhập.", "empty": "Tệp đã chọn không có nội dung."},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                "Chỉ nhận tệp Excel .xlsx (nếu là tệp .xls, hãy mở bằng Excel và lưu lại dạng .xlsx)."
            )
        if upload.size > excel.MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp quá lớn: tối đa 5 MB.")
        return upload


def _editor_required(request: HttpRequest) -> None:
    if not can_edit_registers(request.user):
        raise PermissionDenied("Chỉ công an xã được nhập dữ liệu vào sổ theo dõi.")


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _upload_path(token: str) -> Path:
    # The token is ours (secrets.token_hex), never a user-chosen name: no path can escape.
    return _upload_dir() / f"{token}.xlsx"


def _sweep_expired() -> None:
    """Uploads left waiting longer than UPLOAD_EXPIRY (a preview never confirmed) are deleted."""
    directory = _upload_dir()
    if not directory.is_dir():
        return
    limit = (timezone.now() - UPLOAD_EXPIRY).timestamp()
    for path in directory.glob("*.xlsx"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _forget_upload(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        _upload_path(pending["token"]).unlink(missing_ok=True)


def _pending(request: HttpRequest) -> dict[str, str] | None:
    pending = request.session.get(SESSION_KEY)
    if not pending or request.POST.get("token") != pending["token"]:
        return None
    if not _upload_path(pending["token"]).is_file():
        request.session.pop(SESSION_KEY, None)
        return None
    return pending


def _context(request: HttpRequest, trail: str, **extra: Any) -> dict[str, Any]:
    area = request.user.area
    templates = [(kind.value, kind.label) for kind in ImportKind]
    return {
        "crumbs": breadcrumbs(area, request.user) if area else [],
        "trail": trail,
        "import_templates": templates,
        **extra,
    }


def _preview(request: HttpRequest, check: excel.ImportCheck, token: str | None) -> HttpResponse:
    context = _context(
        request,
        "Kiểm tra tệp nhập",
        check=check,
        token=token,
        preview_rows=check.rows[:PREVIEW_ROWS],
        hidden_rows=max(0, len(check.rows) - PREVIEW_ROWS),
    )
    return render(request, "subjects/import_preview.html", context)


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    _editor_required(request)
    _sweep_expired()
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _forget_upload(request)
        token = secrets.token_hex(16)
        path = _upload_path(token)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            for chunk in form.cleaned_data["file"].chunks():
                out.write(chunk)
        kind = form.cleaned_data["kind"]
        try:
            check = services.check_import(kind=kind, file=path, user=request.user, request=request)
        except excel.ImportFileError as exc:
            path.unlink(missing_ok=True)
            form.add_error("file", str(exc))
        else:
            if not check.ok:
                # Nothing can be confirmed: the file is not kept, the user fixes it and uploads again.
                path.unlink(missing_ok=True)
                return _preview(request, check, token=None)
            request.session[SESSION_KEY] = {"token": token, "kind": kind}
            return _preview(request, check, token=token)
    return render(
        request, "subjects/import_start.html", _context(request, "Nhập dữ liệu từ Excel", form=form)
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _editor_required(request)
    kind = request.GET.get("loai", ImportKind.PERSONS)
    if kind not in ImportKind.values:
        kind = ImportKind.PERSONS
    response = HttpResponse(
        excel.build_template(kind, user=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{REGISTERS[kind].template_name}"'
    return response


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    _editor_required(request)
    pending = _pending(request)
    if pending is None:
        messages.error(request, "Phiên nhập tệp đã hết hạn hoặc đã được xử lý. Hãy tải tệp lên lại.")
        return redirect("subjects:import_start")
    path = _upload_path(pending["token"])
    try:
        check = services.check_import(kind=pending["kind"], file=path, user=request.user)
        if not check.ok:
            _forget_upload(request)
            return _preview(request, check, token=None)
        result = services.apply_import(check=check, user=request.user, request=request)
    except excel.ImportRejected as exc:
        _forget_upload(request)
        check.problems = exc.problems
        return _preview(request, check, token=None)
    _forget_upload(request)
    request.session[RESULT_KEY] = {
        "kind": result.kind,
        "created": result.created,
        "statuses": result.statuses,
        "transfers": result.transfers,
    }
    return redirect("subjects:import_done")


@login_required
@require_POST
def import_cancel(request: HttpRequest) -> HttpResponse:
    _editor_required(request)
    _forget_upload(request)
    messages.info(request, "Đã hủy nhập tệp; không có dữ liệu nào được ghi.")
    return redirect("subjects:import_start")


@login_required
def import_done(request: HttpRequest) -> HttpResponse:
    _editor_required(request)
    result = request.session.pop(RESULT_KEY, None)
    if result is None:
        return redirect("subjects:import_start")
    result["noun"] = REGISTERS[ImportKind(result["kind"])].noun
    return render(request, "subjects/import_done.html", _context(request, "Kết quả nhập", result=result))
