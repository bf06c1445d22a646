"""Reads of a dossier's papers: the card on the dossier page, the paper a decision cites, the
kinds of dossier document the finalised papers stand for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from areas import permissions
from areas.permissions import Action
from dossiers.models import Dossier

from .models import Paper, PaperKind, PaperState
from .services import Slot
from .specs import SPECS, PaperSpec, asked_for


@dataclass
class PaperRow:
    spec: PaperSpec
    label: str
    current: Paper | None
    draft: Paper | None
    replaced: list[Paper]
    may_prepare: bool
    may_finalise: bool


def paper_rows(user: Any, dossier: Dossier) -> list[PaperRow]:
    """One row per paper the dossier's programme asks for, in the order of the route: the
    finalised paper, the open draft, the papers replaced, and what `user` may do. One query."""
    papers = list(
        Paper.objects.filter(dossier=dossier)
        .select_related("entry__body", "issuer")
        .order_by("created_at", "pk")
    )
    rows = []
    for kind, spec in SPECS.items():
        if not asked_for(spec, dossier):
            continue
        mine = [p for p in papers if p.kind == kind]
        current = next((p for p in mine if p.is_final and p.superseded_at is None), None)
        draft = next((p for p in mine if not p.is_final), None)
        slot = Slot(dossier, kind)
        rows.append(
            PaperRow(
                spec=spec,
                label=PaperKind(kind).label,
                current=current,
                draft=draft,
                replaced=[p for p in mine if p.superseded_at is not None],
                may_prepare=permissions.can(user, Action.PREPARE_PAPER, slot),
                may_finalise=permissions.can(user, Action.FINALISE_PAPER, slot),
            )
        )
    return rows


def current_paper(dossier: Dossier, kind: str) -> Paper | None:
    """The dossier's finalised paper of `kind` in force (not replaced)."""
    return (
        Paper.objects.filter(dossier=dossier, kind=kind, state=PaperState.FINAL, superseded_at__isnull=True)
        .select_related("entry__body")
        .first()
    )


def finalised_papers_by_component(dossier: Dossier) -> dict[str, list[Paper]]:
    """The dossier's finalised papers in force by the dossier document kind
    (`dossiers.models.DocumentKind`) each stands for, in one query: what
    `dossiers.selectors.components_present` adds to the uploaded documents, so that a generated,
    finalised paper counts as present for its kind."""
    found: dict[str, list[Paper]] = {}
    papers = Paper.objects.filter(
        dossier=dossier, state=PaperState.FINAL, superseded_at__isnull=True
    ).select_related("entry__body")
    for paper in papers.order_by("issued_on", "pk"):
        component = SPECS[paper.kind].component
        if component:
            found.setdefault(component, []).append(paper)
    return found


def finalised_document_kinds(dossier: Dossier) -> set[str]:
    """The dossier document kinds the dossier's finalised papers stand for."""
    return set(finalised_papers_by_component(dossier))
