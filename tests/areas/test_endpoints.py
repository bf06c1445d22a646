"""The whole URL conf, walked: every page and every action of the site, for every persona, inside
and outside their jurisdiction. A new endpoint cannot escape: a URL this file cannot fill with an
object fails `test_every_endpoint_is_walked`.

- Reads of personal data: a page or file that names a person writes exactly one access-log row
  for the request (issue 12 #10).
- The authorization matrix: a POST (and a download) by a persona who may not take it changes
  nothing, and those outside the jurisdiction get 404 (issue 12, own adversarial pass)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from types import SimpleNamespace

import pytest
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from criteria.models import CriteriaSet, EvidenceAttestation
from criteria.services import score_area
from dossiers.models import Dossier, DossierDocument, Registration
from dossiers.route import Move, State
from exchange.models import BulkExport, ExportStatus
from reports.models import ReportKind, ReportRequest
from subjects import models as m
from tests.factories import PersonFactory, PersonStatusFactory
from tests.reports.conftest import plan  # noqa: F401  (a fixture)
from tests.subjects.conftest import records  # noqa: F401  (a fixture)

# The admin: superusers behind OTP, tested in tests/subjects/test_access.py. The exchange API: bearer
# tokens, not sessions; every endpoint of its schema is walked by tests/exchange/test_jurisdiction.py.
SKIPPED_NAMESPACES = {"admin", "exchange-api"}
SIGN_IN_PAGES = {"login", "logout", "password_change", "password_change_done"}
PDF = b"%PDF-1.4 tai lieu"


def endpoints() -> list[tuple[str, set[str]]]:
    """(namespaced name, its URL parameters) of every named route outside the admin."""
    found = []

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = ":".join(filter(None, [namespace, entry.namespace]))
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                name = ":".join(filter(None, [namespace, entry.name]))
                if name not in SIGN_IN_PAGES:
                    found.append((name, set(entry.pattern.converters)))

    walk(get_resolver().url_patterns)
    return found


@pytest.fixture
def world(records, plan, tree, people, settings, tmp_path):  # noqa: F811
    """Hoang Thèn's records (tests/subjects/conftest.py), a dossier under appraisal with a frozen
    scorecard naming its failing persons, a document, an attestation, a report, a transfer."""
    settings.MEDIA_ROOT = tmp_path / "media"
    m.PersonStatus.objects.filter(pk=records.status.pk).update(kind=m.StatusKind.ADDICT)
    # An addict with no management file: the scorecards name him among the failing records.
    unfiled = PersonFactory(full_name="Lý Văn Thiếu", village=tree.ta_leng, birth_date=dt.date(1985, 1, 1))
    PersonStatusFactory(person=unfiled, kind=m.StatusKind.ADDICT, start_date=dt.date(2023, 1, 1))
    registration = Registration.objects.create(
        area=tree.ta_leng,
        target_date=dt.date(2024, 12, 31),
        registered_on=dt.date(2024, 6, 1),
        registered_by=people.commune_police,
    )
    card = score_area(area=tree.ta_leng, as_of=dt.date.today())
    dossier = Dossier.objects.create(
        registration=registration,
        area=tree.ta_leng,
        commune=tree.hoang_then,
        programme=tree.programmes.phong_tho,
        appraiser=tree.bodies.district_police,
        decider=tree.bodies.district_committee,
        state=State.UNDER_APPRAISAL,
        submission_scorecard=card.to_dict(),
    )
    document = DossierDocument(
        dossier=dossier,
        kind="other",
        title="Tờ trình",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        uploaded_by=people.commune_police,
    )
    document.file.save("to-trinh.pdf", ContentFile(PDF), save=False)
    document.save()
    criteria_set = CriteriaSet.objects.get(name__contains="Lai Châu")
    criterion = criteria_set.criteria.get(number=7)
    attestation = EvidenceAttestation(
        area=tree.ta_leng,
        criterion=criterion,
        officer_name="Cán bộ",
        attested_on=dt.date(2025, 1, 1),
        created_by=people.commune_police,
    )
    attestation.document.save("bb.pdf", ContentFile(PDF), save=False)
    attestation.save()
    report = ReportRequest.objects.create(
        kind=ReportKind.ANNUAL,
        unit=tree.phong_tho,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        as_of=dt.date(2024, 12, 31),
        requested_by=people.district_police,
    )
    transfer = m.TransferRequest.objects.create(
        requesting_commune=tree.muong_so,
        village=tree.co_muong,
        cccd=records.person.cccd,
        reason="Chuyển đến",
        requested_by=people.other_police,
        person=records.person,
        from_village=tree.ta_leng,
        deciding_body=tree.phong_tho,
    )
    export = BulkExport.objects.create(
        province=tree.lai_chau, requested_by=people.province, status=ExportStatus.DONE, counts={}
    )
    export.file.save("export.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    # Data quality: a round the district police opened for Hoang Thèn, a second officer of the
    # commune for the handover, the recorded person held by the commune police.
    from quality.services import open_round
    from tests.factories import UserFactory

    round_ = open_round(
        user=people.district_police,
        title="Đợt rà soát thử",
        starts_on=dt.date.today(),
        due_on=dt.date.today(),
        communes=[tree.hoang_then],
    )
    deputy = UserFactory(
        username="cax_pho",
        role=people.commune_police.role,
        area=tree.hoang_then,
        body=people.commune_police.body,
    )
    m.Person.objects.filter(pk=records.person.pk).update(officer=people.commune_police)
    held = PersonFactory(full_name="Vàng A Sình", village=tree.ho_sao, officer=people.commune_police)
    # Papers: the appraisal minutes finalised in the police's register, and a draft replacing them.
    from papers import services as paper_services

    final_paper = paper_services.issue(
        dossier_id=dossier.pk,
        kind="appraisal_minutes",
        user=people.district_police,
        secretary_name="Nguyễn Thị Thư",
    )
    draft_paper = paper_services.start_replacement(paper_id=final_paper.pk, user=people.district_police)
    return SimpleNamespace(
        final_paper=final_paper,
        draft_paper=draft_paper,
        export=export,
        held=held,
        officer=people.commune_police,
        round=round_,
        part=round_.parts.get(),
        deputy=deputy,
        records=records,
        dossier=dossier,
        document=document,
        criteria_set=criteria_set,
        criterion=criterion,
        attestation=attestation,
        plan=plan,
        report=report,
        transfer=transfer,
        tree=tree,
    )


def fill(name: str, params: set[str], world) -> dict | None:
    """The URL arguments of `name` pointing at Hoang Thèn's objects; None: no filler (a failure)."""
    recorded, tree = world.records, world.tree
    app, _, view = name.partition(":")
    by_name = {
        "areas:detail": {"pk": tree.ta_leng.pk},
        "subjects:person_detail": {"pk": recorded.person.pk},
        "subjects:transfer_decide": {"pk": world.transfer.pk},
        "criteria:set_detail": {"pk": world.criteria_set.pk},
        "criteria:scorecard": {"pk": tree.ta_leng.pk},
        "criteria:table": {"pk": tree.hoang_then.pk},
        "criteria:attest": {"pk": tree.ta_leng.pk, "criterion_pk": world.criterion.pk},
        "criteria:evidence_document": {"pk": world.attestation.pk},
        "dossiers:move": {"pk": world.dossier.pk, "move": Move.REQUEST_SUPPLEMENT},
        "dossiers:document": {"pk": world.dossier.pk, "document_pk": world.document.pk},
        "dossiers:send_up": {"pk": world.dossier.pk, "move": Move.SUBMIT},
        "reports:plan": {"pk": world.plan.pk},
        "reports:report": {"pk": world.report.pk},
        "reports:history": {"pk": world.report.pk},
        "reports:download": {"pk": world.report.pk, "fmt": "pdf"},
        "exchange:export_download": {"pk": world.export.pk},
        "quality:unit": {"pk": tree.hoang_then.pk},
        "papers:start": {"dossier_pk": world.dossier.pk, "kind": "appraisal_minutes"},
        "papers:edit": {"pk": world.draft_paper.pk},
        "papers:finalise": {"pk": world.draft_paper.pk},
        "papers:preview": {"pk": world.draft_paper.pk},
        "papers:replace": {"pk": _paper_in_force(world).pk},
        "papers:file": {"pk": world.final_paper.pk},
        "quality:assign": {"pk": world.held.pk},
    }
    if not params:
        return {}
    if name in by_name:
        return by_name[name]
    if app == "dossiers" and params == {"pk"}:
        return {"pk": world.dossier.pk}
    if app == "quality" and params == {"pk"}:
        return {"pk": (world.part if view.startswith("part") else world.round).pk}
    if app == "subjects":
        key = view.split("_")[0]
        kwargs = {}
        if "pk" in params and hasattr(recorded, key):
            kwargs["pk"] = getattr(recorded, key).pk
        if "person_pk" in params:
            kwargs["person_pk"] = recorded.person.pk
        return kwargs if set(kwargs) == params else None
    return None


def _paper_in_force(world):
    """The dossier's finalised appraisal minutes in force (the draft, once finalised, replaces them)."""
    from papers.models import Paper, PaperState

    return Paper.objects.get(
        dossier=world.dossier, kind="appraisal_minutes", state=PaperState.FINAL, superseded_at__isnull=True
    )


def test_every_endpoint_is_walked(world):
    missing = [name for name, params in endpoints() if fill(name, params, world) is None]
    assert missing == []


def _urls(world):
    return [(name, reverse(name, kwargs=fill(name, params, world))) for name, params in endpoints()]


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


# ---------------------------------------------------------------- reads of personal data are logged


@pytest.mark.parametrize("persona", ["commune_police", "district_police"])
def test_every_page_naming_a_person_writes_one_access_log_row(persona, world, people, login):
    client = login(getattr(people, persona))
    names = list(m.Person.objects.values_list("full_name", flat=True))
    unlogged = []
    for name, url in _urls(world):
        before = m.AccessLog.objects.count()
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = _body(response)
        if any(person in body for person in names):
            written = m.AccessLog.objects.count() - before
            if written != 1:
                unlogged.append(f"{name}: {written} rows")
    assert unlogged == [], "\n".join(unlogged)


# ---------------------------------------------------------------- the authorization matrix

OUTSIDERS = ("tanan_police", "city_police", "city_chair")
EVERYONE = (
    "commune_police",
    "commune_chair",
    "other_police",
    "district_police",
    "labour",
    "health",
    "district_chair",
    "province",
    *OUTSIDERS,
)
UNTRACKED = {
    "sessions.session",
    "subjects.accesslog",
    "axes.accessattempt",
    "axes.accesslog",
    "dossiers.notification",
}


def fingerprint() -> str:
    """How many rows every table holds (but sessions, logs and notifications; every register
    write also adds a history row), and the values of the rows a write updates in place."""
    from django.apps import apps

    state = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in UNTRACKED or label.startswith(("axes.", "admin.", "otp_")):
            continue
        state.append((label, model._base_manager.count()))
    from papers.models import Paper
    from quality.models import ReconciliationRound, RoundPart

    for model in (
        m.Person,
        Dossier,
        ReportRequest,
        m.TransferRequest,
        EvidenceAttestation,
        RoundPart,
        ReconciliationRound,
        Paper,
    ):
        state.append(serializers.serialize("json", model._base_manager.order_by("pk")))
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()


def _paper_sections(paper) -> dict:
    """The draft's own text, one section changed (dates as typed: dd/mm/yyyy)."""
    import re

    sections = {
        key: dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
        else value
        for key, value in paper.sections.items()
    }
    return {**sections, "secretary_name": "Lê Thị Thư Ký"}


def payload(name: str, world) -> dict:
    """A POST that would succeed for whoever may take it (so refusals are what keeps data still)."""
    tree, person = world.tree, world.records.person
    person_form = {
        "full_name": "Nguyễn Văn Ánh",
        "birth_date": "1990-03-04",
        "sex": "male",
        "cccd": person.cccd,
        "village": tree.ta_leng.pk,
        "residence_type": "permanent",
        "resident_since": "2010-01-01",
        "presence": "absent",
        "note": "Đã chuyển đi",
    }
    return {
        "subjects:person_create": {**person_form, "full_name": "Lò Văn Mới", "cccd": ""},
        "subjects:person_edit": person_form,
        "subjects:point_create": {
            "village": tree.ta_leng.pk,
            "kind": "retail",
            "description": "Lều",
            "found_on": "2024-01-01",
        },
        "subjects:test_create": {
            "tested_on": "2024-01-02",
            "result": "negative",
            "method": "kit",
            "reason": "periodic",
        },
        "subjects:transfers": {"cccd": "001090004321", "village": tree.ta_leng.pk, "reason": "Chuyển đến"},
        "subjects:transfer_decide": {"accept": "1", "note": ""},
        "criteria:attest": {
            "document": SimpleUploadedFile("bb.pdf", PDF),
            "officer_name": "Cán bộ",
            "attested_on": "2025-01-02",
        },
        "dossiers:move": {"request_supplement-comment": "Bổ sung", "request_supplement-kind": "other"},
        "dossiers:add_document": {"kind": "other", "file": SimpleUploadedFile("x.pdf", PDF)},
        "dossiers:add_opinion": {"agrees": "1", "text": "Đồng ý"},
        "dossiers:appraise": {
            "tc-TOTAL_FORMS": "1",
            "tc-INITIAL_FORMS": "1",
            "tc-0-number": "1",
            "tc-0-computed": "met",
            "tc-0-status": "met",
            "tc-0-reason": "Kiểm tra",
        },
        "dossiers:request_opinions": {"bodies": [tree.bodies.labour.pk], "due_on": "31/12/2099", "note": "x"},
        "dossiers:register": {
            "area": tree.ho_sao.pk,
            "phase": tree.programmes.phong_tho.phases.order_by("number").first().pk,
            "target_date": "2026-12-31",
        },
        "reports:reports": {"don-vi": tree.phong_tho.pk, "period": "six_month:2024:1"},
        "reports:report": {"action": "refresh"},
        "dossiers:notifications": {},
        "exchange:exports": {"province": tree.lai_chau.pk},
        "quality:round_open": {
            "title": "Đợt rà soát mới",
            "starts_on": dt.date.today().strftime("%d/%m/%Y"),
            "due_on": dt.date.today().strftime("%d/%m/%Y"),
            "communes": [tree.hoang_then.pk],
        },
        "quality:part_verify": {
            "person": world.held.pk,  # the recorded person may have been transferred away by now
            "verified_on": dt.date.today().strftime("%d/%m/%Y"),
            "outcome": "confirmed",
        },
        "quality:handover": {
            "from_officer": world.officer.pk,
            "to_officer": world.deputy.pk,
            "reason": "Chuyển công tác",
        },
        "quality:assign": {"officer": world.officer.pk, "reason": "Phân công lại"},
        "quality:part_close": {},
        "quality:round_close": {},
        "papers:edit": _paper_sections(world.draft_paper),
    }.get(name, {"note": "x"})


# Who may take each write, inside Hoang Thèn / Phong Thổ; everyone else changes nothing.
WRITERS: dict[str, set[str]] = {
    "subjects:person_create": {"commune_police"},
    "subjects:person_edit": {"commune_police"},
    "subjects:point_create": {"commune_police"},
    "subjects:test_create": {"commune_police"},
    "subjects:transfers": {"commune_police"},
    "subjects:transfer_decide": {"district_police"},
    "criteria:attest": {"commune_police"},
    "dossiers:add_document": {"district_police", "labour", "health"},
    "dossiers:add_opinion": {"labour", "health"},
    "dossiers:appraise": {"district_police"},
    "dossiers:request_opinions": {"district_police"},
    # In this order: the draft is edited, finalised (replacing the minutes), then replaced again.
    # Starting a draft that is already open changes nothing, so `papers:start` has no writer here.
    "papers:edit": {"district_police"},
    "papers:finalise": {"district_police"},
    "papers:replace": {"district_police"},
    "dossiers:move": {"district_police"},  # last: it moves the dossier on
    "dossiers:register": {"commune_police"},
    "reports:reports": {"district_police", "district_chair"},
    "reports:report": {"district_police", "district_chair"},
    "exchange:exports": {"province"},
    # In this order: a closed part or round takes nothing more.
    "quality:part_verify": {"commune_police"},
    "quality:handover": {"commune_police"},  # the commune police's records go to the deputy…
    "quality:assign": {"commune_police"},  # …and one comes back
    "quality:round_open": {"district_police"},
    "quality:part_close": {"commune_police"},
    "quality:round_close": {"district_police"},
}


def test_the_payloads_do_write_for_those_who_may(world, people, login):
    """The matrix below is only as good as its payloads: each succeeds for one permitted persona."""
    from django.core.cache import cache

    for name, writers in WRITERS.items():
        cache.clear()
        url = dict(_urls(world))[name]
        persona = sorted(writers)[0]
        before = fingerprint()
        response = login(getattr(people, persona)).post(url, payload(name, world))
        assert response.status_code in (200, 302), (name, persona, response.status_code)
        assert fingerprint() != before, (name, persona)
        world = _reload(world)


def _reload(world):
    for key in ("dossier", "report", "transfer"):
        getattr(world, key).refresh_from_db()
    return world


@pytest.mark.parametrize("persona", EVERYONE)
def test_no_post_by_someone_who_may_not_changes_anything(persona, world, people, login):
    client = login(getattr(people, persona))
    changed = []
    for name, url in _urls(world):
        if persona in WRITERS.get(name, set()) or name == "dossiers:notifications":
            continue  # their own writes; notifications only mark the user's own as read
        before = fingerprint()
        response = client.post(url, payload(name, world))
        if fingerprint() != before:
            changed.append(f"{name} ({response.status_code})")
    assert changed == []


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_for_every_object_page_and_download(persona, world, people, login):
    client = login(getattr(people, persona))
    answered = []
    for name, url in _urls(world):
        params = next(p for n, p in endpoints() if n == name)
        if not params or name == "criteria:set_detail":  # criteria sets are public data
            continue
        status = client.get(url).status_code
        if status not in (404, 405):
            answered.append(f"{name}: {status}")
    assert answered == []
