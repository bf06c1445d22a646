"""The shapes of the records other systems read: one function per kind, used by the API
(`exchange.api`) and the bulk export (`exchange.services.build_export`) alike, so both give the
same record the same JSON.

Personal fields (names, CCCD numbers, birth dates, addresses, free-text notes that may name
someone) are filled only under a `Grant` that says so; otherwise they are null, never dropped, so a
client's schema does not change with its grant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from areas.models import Area
from criteria.scoring import Scorecard
from dossiers.models import Decision, Dossier
from subjects.models import DrugTest, ManagementFile, Person, PersonStatus, Treatment


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Grant:
    """What personal data a reader receives: none, names and dates with the CCCD masked as the
    pages show it to everyone but the commune police (`masked_cccd`), or everything."""

    personal: bool = False
    full_cccd: bool = False

    def cccd(self, person: Person) -> str | None:
        if not self.personal or not person.cccd:
            return None
        return person.cccd if self.full_cccd else person.masked_cccd


NO_GRANT = Grant()
FULL_GRANT = Grant(personal=True, full_cccd=True)


def _personal(value: Any, grant: Grant) -> Any:
    if not grant.personal:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if value != "" else None


def _sync(record: Any, own: dt.datetime) -> str:
    """The moment the record last changed as the API orders and filters by it (`sync_at`, see
    `exchange.selectors`): a client keeps the largest it saw as its next `updated_since`."""
    return (getattr(record, "sync_at", None) or own).isoformat()


def unit(area: Area, grant: Grant = NO_GRANT) -> dict[str, Any]:
    return {
        "id": area.pk,
        "parent_id": area.parent_id,
        "level": area.level,
        "kind": area.kind,
        "name": area.name,
        "code": area.code,
        "established_on": _date(area.established_on),
        "closed_on": _date(area.closed_on),
        "is_demo": area.is_demo,
        "updated_at": _sync(area, area.updated_at),
    }


def status(record: PersonStatus, grant: Grant = NO_GRANT) -> dict[str, Any]:
    return {
        "id": record.pk,
        "kind": record.kind,
        "kind_label": record.get_kind_display(),
        "start_date": _date(record.start_date),
        "end_date": _date(record.end_date),
        "basis": record.basis,
        "note": _personal(record.note, grant),
        "updated_at": record.updated_at.isoformat(),
    }


def person(record: Person, grant: Grant = NO_GRANT) -> dict[str, Any]:
    """A person with every status they hold or held (`statuses` prefetched)."""
    return {
        "id": record.pk,
        "village_id": record.village_id,
        "full_name": _personal(record.full_name, grant),
        "birth_date": _personal(record.birth_date, grant),
        "cccd": grant.cccd(record),
        "address": _personal(record.address, grant),
        "note": _personal(record.note, grant),
        "sex": record.sex,
        "residence_type": record.residence_type,
        "resident_since": _date(record.resident_since),
        "presence": record.presence,
        "is_demo": record.is_demo,
        "statuses": [status(s, grant) for s in record.statuses.all()],
        "created_at": record.created_at.isoformat(),
        "updated_at": _sync(record, record.updated_at),
    }


def management_file(record: ManagementFile, grant: Grant = NO_GRANT) -> dict[str, Any]:
    return {
        "id": record.pk,
        "person_id": record.person_id,
        "kind": record.kind,
        "opened_on": _date(record.opened_on),
        "closed_on": _date(record.closed_on),
        "responsible": _personal(record.responsible, grant),
        "note": _personal(record.note, grant),
        "is_demo": record.is_demo,
        "updated_at": record.updated_at.isoformat(),
    }


def treatment(record: Treatment, grant: Grant = NO_GRANT) -> dict[str, Any]:
    return {
        "id": record.pk,
        "person_id": record.person_id,
        "kind": record.kind,
        "medication": record.medication or None,
        "start_date": _date(record.start_date),
        "end_date": _date(record.end_date),
        "facility": record.facility,
        "complies_with_rules": record.complies_with_rules,
        "uses_other_drugs": record.uses_other_drugs,
        "note": _personal(record.note, grant),
        "is_demo": record.is_demo,
        "updated_at": record.updated_at.isoformat(),
    }


def drug_test(record: DrugTest, grant: Grant = NO_GRANT) -> dict[str, Any]:
    return {
        "id": record.pk,
        "person_id": record.person_id,
        "tested_on": _date(record.tested_on),
        "result": record.result,
        "substance": record.substance,
        "method": record.method,
        "reason": record.reason,
        "note": _personal(record.note, grant),
        "is_demo": record.is_demo,
        "updated_at": record.updated_at.isoformat(),
    }


def dossier(record: Dossier, grant: Grant = NO_GRANT) -> dict[str, Any]:
    decision: Decision | None = getattr(record, "decision", None) if _has_decision(record) else None
    return {
        "id": record.pk,
        "area_id": record.area_id,
        "commune_id": record.commune_id,
        "state": record.state,
        "state_label": record.get_state_display(),
        "state_since": record.state_since.isoformat(),
        "programme": str(record.programme),
        "appraiser": record.appraiser.name,
        "decider": record.decider.name,
        "registered_on": _date(record.registration.registered_on),
        "target_date": _date(record.registration.target_date),
        "decision_id": decision.pk if decision is not None else None,
        "is_demo": record.is_demo,
        "created_at": record.created_at.isoformat(),
        "updated_at": _sync(record, record.state_since),
    }


def _has_decision(record: Dossier) -> bool:
    try:
        return record.decision is not None
    except Decision.DoesNotExist:
        return False


def decision(record: Decision, grant: Grant = NO_GRANT) -> dict[str, Any]:
    """A recognition decision's metadata; the signed PDF itself is at `pdf_url` (the API path). The signer is an
    official acting in office, named on the public decision: not a register's personal data."""
    return {
        "id": record.pk,
        "dossier_id": record.dossier_id,
        "area_id": record.dossier.area_id,
        "number": record.number,
        "decided_on": _date(record.decided_on),
        "issuer": record.issuer.name,
        "signer_name": record.signer_name,
        "signed_at": record.signed_at.isoformat(),
        "sha256": record.sha256,
        "pdf_url": reverse("exchange-api:decision_pdf", kwargs={"decision_id": record.pk}),
        "updated_at": record.signed_at.isoformat(),
    }


def scorecard(card: Scorecard, grant: Grant = NO_GRANT) -> dict[str, Any]:
    """A unit's score on a day: each criterion's result with the records that make it fail (a
    person among them is named only with the personal-data grant)."""
    return {
        "unit_id": card.area_id,
        "unit_name": card.area_name,
        "level": card.area_level,
        "as_of": card.as_of.isoformat(),
        "criteria_set": card.criteria_set_name or None,
        "programme": card.programme_name or None,
        "missing": card.missing or None,
        "passed": card.passed,
        "met_count": card.met_count,
        "results": [
            {
                "number": r.number,
                "label": r.label,
                "rule": r.rule,
                "status": r.status,
                "figures": r.figures,
                "failing": [
                    {
                        "model": f.model,
                        "id": f.pk,
                        "label": f.label if (grant.personal or f.model != "person") else None,
                        "reason": f.reason,
                    }
                    for f in r.failing
                ],
            }
            for r in card.results
        ],
    }
