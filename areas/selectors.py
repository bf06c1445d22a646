"""Reads of the administrative tree that carry logic."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Area, AreaSuccession, Level


def _count_below(level: str) -> Subquery:
    """Open units of `level` in the subtree of the outer unit, as a correlated subquery."""
    return Coalesce(
        Subquery(
            Area.objects.filter(path__startswith=OuterRef("path"), level=level, closed_on__isnull=True)
            .order_by()
            .values("level")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def children_with_counts(area: Area, user: Any) -> QuerySet[Area]:
    """The direct children of `area` that `user` may see, each with the number of communes and
    villages below it, in one query."""
    below = Area.objects.visible_to(user)
    # The provinces are roots of their own; the national unit lists them as its children.
    below = below.filter(level=Level.PROVINCE) if area.level == Level.NATION else below.filter(parent=area)
    return below.annotate(
        commune_count=_count_below(Level.COMMUNE), village_count=_count_below(Level.VILLAGE)
    ).order_by("closed_on", "name")


def reorganisation_of(area: Area) -> dict[str, list[AreaSuccession]]:
    """Where this unit came from and where it went."""
    links = AreaSuccession.objects.filter(predecessor=area) | AreaSuccession.objects.filter(successor=area)
    links = links.select_related("predecessor", "successor").order_by("effective_on")
    return {
        "predecessors": [s for s in links if s.successor_id == area.pk],
        "successors": [s for s in links if s.predecessor_id == area.pk],
    }


def current_classification(area: Area):
    return area.classifications.order_by("-valid_from").first()


def breadcrumbs(area: Area, user: Any) -> list[Area]:
    """The units above `area` that the user may open, top first, then `area` itself."""
    visible_ids = set(
        Area.objects.visible_to(user).filter(pk__in=area.ancestor_ids).values_list("pk", flat=True)
    )
    return [a for a in area.ancestors() if a.pk in visible_ids] + [area]
