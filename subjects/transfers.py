"""Pages of the transfer of a person between communes (chuyển quản lý): the requesting commune's
list of its requests with the form to send one, and the deciding body's inbox with accept /
refuse. The requesting commune never learns whether or where the number was held; the deciding
body sees the person (both communes are in its reach) and its page reads are logged."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from areas.models import Area, Level
from areas.permissions import Action, can, require

from . import models as m
from . import services
from .access import log_person_read


class TransferRequestForm(forms.Form):
    cccd = forms.CharField(
        label="Số CCCD / số định danh cá nhân",
        max_length=12,
        validators=[m.cccd_validator],
        error_messages={"required": "Nhập số CCCD của đối tượng chuyển đến."},
    )
    village = forms.ModelChoiceField(
        label="Thôn, bản tiếp nhận",
        queryset=Area.objects.none(),
        empty_label="— Chọn —",
        error_messages={"required": "Chọn thôn, bản tiếp nhận đối tượng."},
    )
    reason = forms.CharField(
        label="Lý do, căn cứ",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Nơi chuyển đến, ngày đến, giấy tờ cư trú (Nghị định 105/2021/NĐ-CP).",
        error_messages={"required": "Ghi lý do, căn cứ đề nghị tiếp nhận."},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = (
            Area.objects.visible_to(user).filter(level=Level.VILLAGE).order_by("path")
        )


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", "Chấp nhận"), ("0", "Không chấp nhận")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label="Ý kiến", required=False, max_length=2000)


def _crumbs() -> list[SimpleNamespace]:
    return [SimpleNamespace(name="Sổ theo dõi", get_absolute_url=reverse("subjects:index"))]


class TransferListView(LoginRequiredMixin, View):
    template_name = "subjects/transfers.html"

    def context(self, form: TransferRequestForm | None) -> dict[str, Any]:
        user = self.request.user
        sent = m.TransferRequest.objects.visible_to(user).select_related("requesting_commune", "village")
        inbox: list[m.TransferRequest] = []
        if can(user, Action.DECIDE_TRANSFER):
            inbox = list(
                m.TransferRequest.objects.filter(deciding_body_id=user.area_id)
                .select_related("requesting_commune", "village", "person__village", "from_village")
                .order_by("status", "-requested_at")[:200]
            )
            if any(t.person_id for t in inbox):
                log_person_read(
                    self.request,
                    object_type="transferrequest",
                    description=f"Yêu cầu tiếp nhận đối tượng: {len(inbox)} yêu cầu",
                )
        return {
            "sent": sent[:200] if can(user, Action.REQUEST_TRANSFER) else [],
            "inbox": inbox,
            "form": form,
            "decision_form": DecisionForm(),
            "crumbs": _crumbs(),
            "trail": "Chuyển quản lý đối tượng",
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        if not (can(request.user, Action.REQUEST_TRANSFER) or can(request.user, Action.DECIDE_TRANSFER)):
            require(request.user, Action.REQUEST_TRANSFER)
        form = TransferRequestForm(user=request.user) if can(request.user, Action.REQUEST_TRANSFER) else None
        return render(request, self.template_name, self.context(form))

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Action.REQUEST_TRANSFER)
        form = TransferRequestForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.request_transfer(request=request, **form.cleaned_data)
            except services.LookupLimitExceeded as exceeded:
                form.add_error(None, exceeded.message)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.info(request, services.TRANSFER_SENT_MESSAGE)
                return redirect("subjects:transfers")
        return render(request, self.template_name, self.context(form), status=400)


class TransferDecisionView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        require(request.user, Action.DECIDE_TRANSFER)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Chọn chấp nhận hoặc không chấp nhận.")
            return redirect("subjects:transfers")
        try:
            services.decide_transfer(
                user=request.user,
                transfer_id=pk,
                accept=form.cleaned_data["accept"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Đã ghi quyết định về yêu cầu tiếp nhận.")
        return redirect("subjects:transfers")
