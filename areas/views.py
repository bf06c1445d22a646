from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import selectors
from .jurisdiction import get_visible_or_404
from .models import Area, Level


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from .home import tasks_for
    from .permissions import is_read_only

    if is_read_only(request.user):
        # The observer follows the province's progress; the dashboard is their home.
        return redirect("reports:index")
    return render(request, "areas/home.html", {"tasks": tasks_for(request.user)})


def _bound_to_nation(user: Any) -> bool:
    """Bound to the national unit: their "area" is every province."""
    area = getattr(user, "area", None)
    return area is not None and area.level == Level.NATION


@login_required
def my_area(request: HttpRequest) -> HttpResponse:
    if request.user.area_id and not _bound_to_nation(request.user):
        return redirect("areas:detail", pk=request.user.area_id)
    return redirect("areas:list")


@login_required
def area_list(request: HttpRequest) -> HttpResponse:
    """The top units a user may open: their own unit, or every province for a superuser and for
    a user bound to the national unit."""
    roots = Area.objects.visible_to(request.user).filter(parent__isnull=True).exclude(level=Level.NATION)
    if request.user.area_id and not _bound_to_nation(request.user):
        roots = Area.objects.filter(pk=request.user.area_id)
    return render(request, "areas/area_list.html", {"areas": roots.order_by("name")})


@login_required
def area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_visible_or_404(Area.objects.select_related("parent"), request.user, pk=pk)
    context = {
        "area": area,
        "crumbs": selectors.breadcrumbs(area, request.user),
        "children": selectors.children_with_counts(area, request.user),
        "reorganisation": selectors.reorganisation_of(area),
        "classification": selectors.current_classification(area),
        "is_village": area.level == Level.VILLAGE,
    }
    return render(request, "areas/area_detail.html", context)
