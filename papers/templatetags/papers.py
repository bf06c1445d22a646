from __future__ import annotations

from typing import Any

from django import template

from ..selectors import paper_rows as _paper_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def paper_rows(context: dict[str, Any], dossier: Any) -> list[Any]:
    """The "Văn bản" card's rows for the signed-in user (see `papers.selectors.paper_rows`)."""
    return _paper_rows(context["request"].user, dossier)
