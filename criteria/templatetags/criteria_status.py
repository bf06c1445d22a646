"""How a criterion status looks on a page. The status values and their labels live in
`criteria.scoring.Status` only; here each status gets its colours and icon once."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from criteria.scoring import Status

register = template.Library()


@dataclass(frozen=True)
class Look:
    label: str
    badge: str  # Bootstrap badge class
    text: str  # the app's text colour class
    icon: str  # Bootstrap Icons class

    def __str__(self) -> str:
        return self.label


LOOKS = {
    Status.MET: Look(Status.MET.label, "text-bg-success", "status-ok", "bi-check-circle-fill"),
    Status.NOT_MET: Look(Status.NOT_MET.label, "text-bg-danger", "status-fail", "bi-x-circle-fill"),
    Status.NEEDS_EVIDENCE: Look(
        Status.NEEDS_EVIDENCE.label, "text-bg-warning", "status-evidence", "bi-question-circle-fill"
    ),
}


@register.filter
def status_look(value: str) -> Look:
    """`{% with look=result.status|status_look %}`: the label, badge, colour and icon of a status
    value (live, frozen in a snapshot, or an appraiser's finding)."""
    return LOOKS[Status(value)]


@register.simple_tag
def status_legend() -> list[Look]:
    """Every status in order, for a table's legend."""
    return [LOOKS[status] for status in Status]
