"""The one gate that decides what a user may see and change.

A user sees the subtree of the unit they are bound to, plus the subtrees of units that were
closed and taken over by a unit in it (so a village recognised under a commune that has since
been merged still shows under the successor). Superusers, and users bound to the national unit
(level "nation", above every province), see everything.

Every queryset a user can reach is built from `Model.objects.visible_to(user)`: models declare
`area_path_lookup`, the lookup from the model to the materialised path of its unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from .models import Area, User


def jurisdiction_paths(user: Any) -> tuple[str, ...]:
    """The path prefixes of everything `user` may see; cached on the user object for the request."""
    cached = getattr(user, "_jurisdiction_paths", None)
    if cached is not None:
        return cached
    paths: tuple[str, ...]
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        paths = ()
    elif user.is_superuser:
        paths = ("/",)
    elif user.area_id is None:
        paths = ()
    elif user.area.level == "nation":
        paths = ("/",)  # the national unit: every province (they are roots of their own)
    else:
        paths = _with_predecessors(user.area.path)
    user._jurisdiction_paths = paths
    return paths


def _with_predecessors(root_path: str) -> tuple[str, ...]:
    succession = apps.get_model("areas", "AreaSuccession")
    paths = [root_path]
    seen: set[str] = {root_path}
    frontier = [root_path]
    # Each round follows one more generation of reorganisation; chains are short.
    while frontier:
        found = (
            succession.objects.filter(_prefix_q(frontier, "successor__path"))
            .values_list("predecessor__path", flat=True)
            .distinct()
        )
        frontier = [p for p in found if p not in seen and not any(p.startswith(s) for s in paths)]
        seen.update(frontier)
        paths.extend(frontier)
    return tuple(paths)


def _prefix_q(prefixes: list[str] | tuple[str, ...], lookup: str) -> models.Q:
    q = models.Q(pk__in=[])  # matches nothing: no prefixes, no rows
    for prefix in prefixes:
        q |= models.Q(**{f"{lookup}__startswith": prefix})
    return q


def jurisdiction_q(user: Any, lookup: str) -> models.Q:
    """A filter keeping the rows whose unit (reached through `lookup`) the user may see."""
    return _prefix_q(jurisdiction_paths(user), lookup)


def area_is_visible(user: Any, area: Area) -> bool:
    return any(area.path.startswith(prefix) for prefix in jurisdiction_paths(user))


class JurisdictionQuerySet(models.QuerySet):
    """Base queryset of every model a user can reach. Subclasses set `area_path_lookup`."""

    area_path_lookup: str = ""

    def visible_to(self, user: User | Any) -> JurisdictionQuerySet:
        if not self.area_path_lookup:
            raise ImproperlyConfigured(f"{self.model.__name__} must declare area_path_lookup")
        return self.filter(jurisdiction_q(user, self.area_path_lookup))


def get_visible_or_404(queryset: JurisdictionQuerySet, user: Any, **lookup: Any) -> Any:
    """The object if it exists inside the user's jurisdiction; 404 otherwise (never 403, so
    existence of other units' records is not revealed)."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
