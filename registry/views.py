"""The register of outgoing documents of a body: its entries for a year, and the form that enters
a number typed by hand."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from areas.models import Body
from areas.permissions import Action, can, is_read_only, require

from . import selectors, services
from .forms import ReservationForm


def _year(request: HttpRequest) -> int:
    text = request.GET.get("nam", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else timezone.localdate().year


class OutgoingRegisterView(LoginRequiredMixin, View):
    template_name = "registry/outgoing_register.html"

    def body(self, request: HttpRequest) -> Body:
        require(request.user, Action.READ_OUTGOING_REGISTER)
        text = request.GET.get("co-quan", "")
        if not text:
            if request.user.body_id is None:
                raise Http404
            return request.user.body
        bodies = selectors.registers_visible_to(request.user)
        body = bodies.filter(pk=int(text)).first() if text.isdigit() else None
        if body is None or not can(request.user, Action.READ_OUTGOING_REGISTER, body):
            raise Http404
        return body

    def context(self, request: HttpRequest, body: Body, form: ReservationForm | None) -> dict[str, Any]:
        year = _year(request)
        # Those who follow a jurisdiction pick among its bodies; everyone else sees their own.
        others: list[Body] = []
        if is_read_only(request.user) or request.user.is_superuser:
            others = list(selectors.registers_visible_to(request.user).select_related("area")[:500])
        return {
            "body": body,
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
            "entries": selectors.entries_of(body, year),
            "others": others,
            "form": form,
            "crumbs": [SimpleNamespace(name="Trang chủ", get_absolute_url=reverse("home"))],
            "trail": "Sổ đăng ký văn bản đi",
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        body = self.body(request)
        form = ReservationForm() if can(request.user, Action.RESERVE_NUMBER, body) else None
        return render(request, self.template_name, self.context(request, body, form))

    def post(self, request: HttpRequest) -> HttpResponse:
        body = self.body(request)
        require(request.user, Action.RESERVE_NUMBER, body)
        form = ReservationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.reserve_number(
                    body=body,
                    kind=data["kind"],
                    number=data["number"],
                    on=data["issued_on"],
                    summary=data["summary"],
                    by=request.user,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Đã vào sổ số {entry.reference} năm {entry.year}.")
                return redirect(f"{reverse('registry:outgoing')}?nam={entry.year}")
        return render(request, self.template_name, self.context(request, body, form), status=400)
