"""The page where province staff ask for a bulk export of their province and download it.
Thin: the policy (`Action.BULK_EXPORT`) decides who, the services do the work."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from areas.jurisdiction import get_visible_or_404
from areas.permissions import Action, can, require

from . import services
from .forms import ExportRequestForm
from .models import BulkExport, ExportStatus
from .selectors import KINDS


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.BULK_EXPORT)
    form = ExportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            export = services.request_export(
                request=request,
                province=form.cleaned_data["province"],
                personal_data=form.cleaned_data["personal_data"],
            )
        except services.ExchangeRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request, f"Đã nhận yêu cầu xuất dữ liệu số {export.pk}; tệp sẽ sẵn sàng sau ít phút."
            )
            return redirect("exchange:exports")
    exports = BulkExport.objects.visible_to(request.user).select_related("province", "requested_by")[:50]
    rows = [
        (
            export,
            [
                (kind.title, export.counts[name])
                for name, kind in KINDS.items()
                if name in (export.counts or {})
            ],
        )
        for export in exports
    ]
    context = {
        "form": form,
        "rows": rows,
        "crumbs": [SimpleNamespace(name="Báo cáo", get_absolute_url=reverse("reports:index"))],
        "trail": "Xuất dữ liệu toàn tỉnh",
    }
    return render(request, "exchange/exports.html", context, status=400 if form.errors else 200)


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = get_visible_or_404(BulkExport.objects.select_related("province"), request.user, pk=pk)
    if not can(request.user, Action.BULK_EXPORT, export.province):
        raise PermissionDenied("Chỉ Công an tỉnh, Ban Chỉ đạo tỉnh được tải dữ liệu toàn tỉnh của tỉnh mình.")
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    services.log_export_download(request=request, export=export)
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"xuat-du-lieu-{export.province_id}-{export.pk}.zip",
        content_type="application/zip",
    )
