"""The words of each paper: the sections a new draft starts with, taken from the registers, the
frozen scorecards and the route, and everything around them when the PDF is drawn (header,
number, place and date, bases, criteria table, signature block). Nothing here writes."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django.utils import timezone

from areas.models import DISTRICTS_CEASED_ON, Body, BodyKind, Level
from dossiers.decisions import lower_first, unit_phrase
from dossiers.documents import committee_name, place_and_date, short_name
from dossiers.exceptions import MoveRefused
from dossiers.models import Dossier
from dossiers.route import State
from programmes.models import RouteFunction, long_date
from registry.models import reference

from .models import Paper, PaperKind, PaperState
from .specs import SPECS, PaperSpec, asked_for

MINUTES_CLOSING = (
    "Biên bản kết thúc vào hồi {end_time} cùng ngày, đã đọc lại cho những người có mặt cùng nghe "
    "và thống nhất ký tên."
)


class PaperUnavailable(MoveRefused):
    """The paper cannot be written for this dossier (no issuing body, not asked for)."""


def drug_free_words(day: dt.date) -> str:
    """The criterion's name as documents of `day` write it."""
    return "không có ma túy" if day < DISTRICTS_CEASED_ON else "không ma túy"


def short_date(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def commune_committee(dossier: Dossier, day: dt.date) -> Body | None:
    """The People's Committee of the dossier's commune (the issuer of the commune's papers)."""
    bodies = Body.objects.filter(area=dossier.commune, kind=BodyKind.COMMITTEE).select_related(
        "area", "parent"
    )
    return next((b for b in bodies if b.is_open_on(day)), None)


def commune_police(dossier: Dossier) -> Body | None:
    return Body.objects.filter(area=dossier.commune, kind=BodyKind.POLICE).first()


def issuer_for(spec: PaperSpec, dossier: Dossier, day: dt.date) -> Body:
    if spec.function == RouteFunction.REVIEW:
        body = commune_committee(dossier, day)
        if body is None:
            raise PaperUnavailable(
                f"Chưa có Ủy ban nhân dân {lower_first(dossier.commune.name)} trong danh mục cơ quan; "
                "đề nghị quản trị hệ thống bổ sung."
            )
        return body
    return dossier.appraiser


def person_of(body: Body | None) -> str:
    """The name of the first active user acting for `body` ("" when none)."""
    if body is None:
        return ""
    user = body.users.filter(is_active=True).order_by("pk").first()
    return user.display_name if user else ""


def header_lines(body: Body) -> tuple[str, str]:
    """The body's two header lines; the police of a province or city with no parent body recorded
    sits under the Ministry (“BỘ CÔNG AN”)."""
    parent, own = body.header_lines()
    if not parent and body.kind == BodyKind.POLICE and body.area.level == Level.PROVINCE:
        parent = "BỘ CÔNG AN"
    return parent, own


def signature_lines(body: Body) -> tuple[str, str]:
    """(“TM. ỦY BAN NHÂN DÂN”, “CHỦ TỊCH”) for a committee; ("", “GIÁM ĐỐC”) for a provincial
    police; ("", “TRƯỞNG CÔNG AN HUYỆN”) where the head's title is the bare “Trưởng”."""
    if body.kind == BodyKind.COMMITTEE:
        return "TM. ỦY BAN NHÂN DÂN", body.head_title.upper()
    title = body.head_title.strip()
    if title.lower() == "trưởng":
        generic = body.name.removesuffix(" " + short_name(body.area))
        return "", f"{title} {generic}".upper()
    return "", title.upper()


def current_papers(dossier: Dossier) -> dict[str, Paper]:
    """The dossier's finalised, not replaced, papers by kind."""
    papers = Paper.objects.filter(
        dossier=dossier, state=PaperState.FINAL, superseded_at__isnull=True
    ).select_related("entry__body", "issuer")
    return {p.kind: p for p in papers}


def cited(paper: Paper | None) -> str:
    """ "số 05/TTr-UBND ngày 12/6/2024" of a finalised paper ("" when there is none)."""
    if paper is None or paper.entry is None or paper.issued_on is None:
        return ""
    return f"số {paper.entry.reference} ngày {short_date(paper.issued_on)}"


# ---------------------------------------------------------------- criteria tables


def criteria_rows(dossier: Dossier, day: dt.date, *, appraisal: bool) -> tuple[str, list[dict[str, Any]]]:
    """(criteria set name, rows) of the table a paper prints: the frozen scorecard (appraisal or
    submission) when there is one, otherwise the unit scored on `day`; with the appraiser's
    findings and reasons for the appraisal minutes. Figures are counts, never names."""
    from criteria.scoring import Status
    from criteria.services import score_area
    from dossiers.services import criteria_set_of, current_results

    card = (dossier.appraisal_scorecard if appraisal else None) or dossier.submission_scorecard
    if card:
        results, set_name = card.get("results", []), card.get("criteria_set_name", "")
    elif appraisal:
        results, set_name = current_results(dossier, day), ""
    else:
        # Before the dossier is proposed, the commune's papers score it as a proposal of `day`.
        scored = score_area(
            area=dossier.area, as_of=day, criteria_set=criteria_set_of(dossier), proposal_date=day
        ).to_dict()
        results, set_name = scored["results"], scored.get("criteria_set_name", "")
    findings = {f.number: f for f in dossier.findings.all()} if appraisal else {}
    rows = []
    for result in results:
        finding = findings.get(result["number"])
        status = finding.status if finding else result["status"]
        rows.append(
            {
                "number": result["number"],
                "text": result["text"],
                "figures": result.get("figures", ""),
                "computed": Status(result["status"]).label,
                "result": Status(status).label,
                "met": status == Status.MET,
                "reason": finding.reason if finding else "",
            }
        )
    if not set_name:
        set_name = _criteria_set_name(dossier)
    return set_name, rows


def _criteria_set_name(dossier: Dossier) -> str:
    from dossiers.services import criteria_set_of

    criteria_set = criteria_set_of(dossier)
    return criteria_set.name if criteria_set else ""


def _met(rows: list[dict[str, Any]]) -> tuple[int, int, list[str]]:
    failing = [str(r["number"]) for r in rows if not r["met"]]
    return len(rows) - len(failing), len(rows), failing


# ---------------------------------------------------------------- the first text of a draft


def prefill(spec: PaperSpec, dossier: Dossier, issuer: Body, day: dt.date) -> dict[str, str]:
    """The sections of a new draft of `spec` for `dossier`, written on `day`."""
    builder = _BUILDERS[PaperKind(spec.kind)]
    sections = builder(_Facts(dossier, issuer, day))
    return {section.key: sections.get(section.key, "") for section in spec.sections}


class _Facts:
    """What every builder reads, gathered once."""

    def __init__(self, dossier: Dossier, issuer: Body, day: dt.date) -> None:
        self.dossier, self.issuer, self.day = dossier, issuer, day
        self.unit = unit_phrase(dossier)
        self.free = drug_free_words(day)
        self.committee = commune_committee(dossier, day)
        self.committee_name = self.committee.name if self.committee else committee_name(dossier.commune)
        self.police = commune_police(dossier)
        self.appraiser, self.decider = dossier.appraiser, dossier.decider
        self.papers = current_papers(dossier)

    def criteria(self, *, appraisal: bool = False) -> tuple[str, list[dict[str, Any]]]:
        return criteria_rows(self.dossier, self.day, appraisal=appraisal)


def _commune_submission(f: _Facts) -> dict[str, str]:
    set_name, rows = f.criteria()
    met, total, _failing = _met(rows)
    registration = f.dossier.registration
    review = f.papers.get(PaperKind.REVIEW_MINUTES)
    body = [
        f"Ngày {short_date(registration.registered_on)}, {f.unit} đăng ký xây dựng đạt tiêu chí “{f.free}”. "
        f"Qua rà soát, đánh giá theo {set_name or 'bộ tiêu chí của kế hoạch'}, {f.unit} đạt {met}/{total} "
        "tiêu chí (chi tiết tại Báo cáo kết quả xây dựng kèm theo).",
        f"{f.committee_name} đã tổ chức họp xét"
        + (f" (Biên bản {cited(review)})" if review else "")
        + ", thống nhất đề nghị công nhận.",
        f"{f.committee_name} kính trình {f.appraiser.name} thẩm định, trình {f.decider.head_of} xem xét, "
        f"quyết định công nhận {f.unit} đạt tiêu chí “{f.free}” năm {f.day.year}./.",
    ]
    return {
        "subject": f"Về việc đề nghị thẩm định, công nhận {f.unit} đạt tiêu chí “{f.free}”",
        "to": f.appraiser.name,
        "body": "\n".join(body),
        "attachments": "\n".join(
            _attachments(
                f,
                [
                    PaperKind.UNIT_REPORT,
                    PaperKind.REVIEW_MINUTES,
                    PaperKind.VILLAGE_MINUTES,
                    PaperKind.POSTING,
                ],
            )
        ),
        "recipients": "\n".join(["Như trên", "Lưu: VT"]),
        "signer": person_of(f.committee),
    }


ATTACHMENT_NAMES = {
    PaperKind.UNIT_REPORT: "Báo cáo kết quả xây dựng",
    PaperKind.REVIEW_MINUTES: "Biên bản họp xét",
    PaperKind.VILLAGE_MINUTES: "Biên bản họp thôn, bản",
    PaperKind.POSTING: "Biên bản niêm yết công khai",
}


def _attachments(f: _Facts, kinds: list[str]) -> list[str]:
    lines = []
    for kind in kinds:
        spec = SPECS[kind]
        if not asked_for(spec, f.dossier):
            continue
        paper = f.papers.get(kind)
        lines.append(f"{ATTACHMENT_NAMES[PaperKind(kind)]} {cited(paper)}".strip())
    return lines


def _appraisal_submission(f: _Facts) -> dict[str, str]:
    set_name, rows = f.criteria(appraisal=True)
    met, total, _failing = _met(rows)
    commune_paper = f.papers.get(PaperKind.COMMUNE_SUBMISSION)
    minutes = f.papers.get(PaperKind.APPRAISAL_MINUTES)
    co_bodies = [
        step.body.name
        for step in f.dossier.programme.route_steps.select_related("body")
        if step.function == RouteFunction.CO_APPRAISE
        and step.unit_level == f.dossier.area.level
        and step.body
    ]
    appraised = (
        f.dossier.events.filter(to_state=State.APPRAISED_PASS)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    body = [
        f"Căn cứ Tờ trình {cited(commune_paper)} của {f.committee_name} đề nghị thẩm định, công nhận {f.unit} "
        f"đạt tiêu chí “{f.free}”;"
        if commune_paper
        else f"Căn cứ hồ sơ đề nghị công nhận {f.unit} đạt tiêu chí “{f.free}” của {f.committee_name};",
        (f"Ngày {short_date(timezone.localdate(appraised))}, " if appraised else "")
        + f"{f.appraiser.name} chủ trì"
        + (f", phối hợp với {', '.join(co_bodies)}" if co_bodies else "")
        + " tổ chức thẩm định hồ sơ"
        + (f" (Biên bản thẩm định {cited(minutes)})" if minutes else "")
        + f". Kết quả: {f.unit} đạt {met}/{total} tiêu chí theo {set_name or 'bộ tiêu chí của kế hoạch'}.",
        f"{f.appraiser.name} kính trình {f.decider.head_of} xem xét, ban hành Quyết định công nhận {f.unit} "
        f"đạt tiêu chí “{f.free}” năm {f.day.year}./.",
    ]
    attachments = []
    if commune_paper:
        attachments.append(f"Tờ trình {cited(commune_paper)} của {f.committee_name}")
    if minutes:
        attachments.append(f"Biên bản thẩm định {cited(minutes)}")
    attachments.append("Hồ sơ đề nghị công nhận của đơn vị")
    return {
        "subject": f"Về việc đề nghị công nhận {f.unit} đạt tiêu chí “{f.free}”",
        "to": f.decider.head_of,
        "body": "\n".join(body),
        "attachments": "\n".join(attachments),
        "recipients": "\n".join(["Như trên", f.committee_name, "Lưu: VT"]),
        "signer": person_of(f.appraiser),
    }


def _unit_report(f: _Facts) -> dict[str, str]:
    from dossiers.selectors import baseline_counts
    from subjects.models import BoardKind, HotlineBoard, PreventionModel

    area, day = f.dossier.area, f.day
    registration = f.dossier.registration
    in_unit = {"village__path__startswith": area.path}
    commitments = _latest_commitments(area, day)
    households = sum(c.households for c in commitments)
    signed = sum(c.signed for c in commitments)
    now = baseline_counts(area=area, as_of=day)
    situation = [
        f"{f.unit[:1].upper()}{f.unit[1:]}"
        + (f" có {households} hộ gia đình." if households else ": sổ theo dõi chưa có số hộ gia đình."),
        f"Khi đăng ký xây dựng (ngày {short_date(registration.registered_on)}): "
        f"{registration.baseline_addicts} người nghiện ma túy, {registration.baseline_users} người sử dụng "
        f"trái phép chất ma túy, {registration.baseline_post_rehab} người sau cai nghiện, "
        f"{registration.baseline_points} điểm, tụ điểm về ma túy, {registration.baseline_cultivation} vụ "
        "trồng cây có chứa chất ma túy.",
        f"Đến ngày {short_date(day)}: {now['addicts']} người nghiện ma túy, {now['users']} người sử dụng "
        f"trái phép chất ma túy, {now['post_rehab']} người sau cai nghiện, {now['points']} điểm, tụ điểm về "
        f"ma túy, {now['cultivation']} vụ trồng cây có chứa chất ma túy.",
    ]
    measures = []
    if households:
        measures.append(
            f"Vận động {signed}/{households} hộ gia đình ký cam kết không phạm tội, không tham gia tệ nạn ma túy."
        )
    boards = HotlineBoard.objects.filter(**in_unit, installed_on__lte=day).exclude(removed_on__lte=day)
    for kind, label in BoardKind.choices:
        placed = [b for b in boards if b.kind == kind]
        if placed:
            where = "; ".join(f"{b.location}, ngày {short_date(b.installed_on)}" for b in placed)
            measures.append(f"{label}: {len(placed)} ({where}).")
    for model in PreventionModel.objects.filter(area__path__startswith=area.path, established_on__lte=day):
        state = "đang duy trì" if model.is_active else "đã ngừng"
        measures.append(
            f"Mô hình “{model.name}” ({model.get_kind_display().lower()}), do {model.lead_organisation} chủ trì, "
            f"thành lập ngày {short_date(model.established_on)}, {state}."
        )
    if not measures:
        measures.append("Sổ theo dõi chưa ghi nhận biện pháp nào; đề nghị bổ sung.")
    set_name, rows = f.criteria()
    met, total, failing = _met(rows)
    assessment = (
        f"Đối chiếu {set_name or 'bộ tiêu chí của kế hoạch'}, {f.unit} đạt {met}/{total} tiêu chí"
        + (f"; chưa đạt tiêu chí số {', '.join(failing)}." if failing else ".")
    )
    return {
        "subject": f"Kết quả xây dựng {f.unit} đạt tiêu chí “{f.free}”",
        "situation": "\n".join(situation),
        "measures": "\n".join(measures),
        "assessment": assessment,
        "proposal": f"Đề nghị {f.appraiser.name} thẩm định, trình {f.decider.head_of} xem xét, công nhận "
        f"{f.unit} đạt tiêu chí “{f.free}”.",
        "recipients": "\n".join([f.appraiser.name, "Lưu: VT"]),
        "signer": person_of(f.committee),
    }


def _latest_commitments(area: Any, day: dt.date) -> list[Any]:
    from subjects.models import HouseholdCommitment

    latest: dict[int, Any] = {}
    for c in HouseholdCommitment.objects.filter(
        village__path__startswith=area.path, as_of__lte=day, kind="drug_free"
    ).order_by("village_id", "-as_of"):
        latest.setdefault(c.village_id, c)
    return list(latest.values())


def _meeting(f: _Facts, *, place: str, chair: tuple[str, str], secretary: tuple[str, str]) -> dict[str, str]:
    return {
        "time": "08 giờ 00 phút",
        "place": place,
        "chair_name": chair[0],
        "chair_position": chair[1],
        "secretary_name": secretary[0],
        "secretary_position": secretary[1],
        "end_time": "10 giờ 00 phút",
    }


def _review_minutes(f: _Facts) -> dict[str, str]:
    police_title = f"{f.police.head_title} {f.police.name}" if f.police else ""
    set_name, _rows = f.criteria()
    return {
        **_meeting(
            f,
            place=f"Hội trường {f.committee_name}",
            chair=(person_of(f.committee), f"Chủ tịch {f.committee_name}"),
            secretary=(person_of(f.police), police_title),
        ),
        "subject": f"Họp xét đề nghị công nhận {f.unit} đạt tiêu chí “{f.free}”",
        "content": f"Hội nghị nghe báo cáo kết quả xây dựng {f.unit} đạt tiêu chí “{f.free}”, đối chiếu từng "
        f"tiêu chí của {set_name or 'bộ tiêu chí của kế hoạch'} với sổ theo dõi; kết quả như bảng dưới đây.",
        "opinions": "",
        "vote": "",
        "conclusion": f"Hội nghị đề nghị {f.appraiser.name} thẩm định, trình {f.decider.head_of} xem xét, "
        f"công nhận {f.unit} đạt tiêu chí “{f.free}”.",
        "recipients": "\n".join(["Hồ sơ đề nghị công nhận", "Lưu: VT"]),
    }


def _village_minutes(f: _Facts) -> dict[str, str]:
    village = lower_first(f.dossier.area.name)
    return {
        **_meeting(
            f,
            place=f"Nhà văn hóa {village}",
            chair=("", f"Trưởng {village}"),
            secretary=("", ""),
        ),
        "subject": f"Họp {village} xét đề nghị công nhận {village} đạt tiêu chí “{f.free}”",
        "content": f"Cuộc họp nghe báo cáo kết quả xây dựng {village} đạt tiêu chí “{f.free}” và thảo luận, "
        f"đánh giá từng tiêu chí; kết quả như bảng dưới đây.",
        "opinions": "",
        "vote": "",
        "conclusion": f"Cuộc họp đề nghị {f.committee_name} xét, đề nghị công nhận {village} đạt tiêu chí “{f.free}”.",
        "recipients": "\n".join([f.committee_name, "Lưu: hồ sơ"]),
    }


def _posting(f: _Facts) -> dict[str, str]:
    village = lower_first(f.dossier.area.name)
    days = f.dossier.programme.posting_days or 1
    village_minutes = f.papers.get(PaperKind.VILLAGE_MINUTES)
    return {
        **_meeting(
            f,
            place=f"Nhà văn hóa {village}",
            chair=(person_of(f.committee), f"Chủ tịch {f.committee_name}"),
            secretary=(person_of(f.police), f"{f.police.head_title} {f.police.name}" if f.police else ""),
        ),
        "subject": f"Kết thúc niêm yết công khai kết quả họp xét đề nghị công nhận {village} đạt tiêu chí “{f.free}”",
        "posted_from": (f.day - dt.timedelta(days=days)).isoformat(),
        "posted_until": (f.day - dt.timedelta(days=1)).isoformat(),
        "posted_places": "\n".join([f"Nhà văn hóa {village}", f"Trụ sở {f.committee_name}"]),
        "content": f"Kết quả họp xét đề nghị công nhận {village} đạt tiêu chí “{f.free}”"
        + (f" (Biên bản {cited(village_minutes)})" if village_minutes else "")
        + " và kết quả đánh giá từng tiêu chí.",
        "opinions": "",
        "conclusion": "Việc niêm yết công khai được thực hiện đủ thời gian theo kế hoạch.",
        "recipients": "\n".join(["Hồ sơ đề nghị công nhận", "Lưu: VT"]),
    }


def _appraisal_minutes(f: _Facts) -> dict[str, str]:
    set_name, rows = f.criteria(appraisal=True)
    met, total, failing = _met(rows)
    commune_paper = f.papers.get(PaperKind.COMMUNE_SUBMISSION)
    opinions = list(f.dossier.opinions.select_related("author", "body"))
    members = [f"{o.author.display_name}, đại diện {o.body_name}" for o in opinions]
    conclusion_event = (
        f.dossier.events.filter(to_state__in=[State.APPRAISED_PASS, State.APPRAISED_FAIL])
        .order_by("-at")
        .first()
    )
    passed = conclusion_event.to_state == State.APPRAISED_PASS if conclusion_event else not failing
    if passed:
        conclusion = (
            f"{f.unit[:1].upper()}{f.unit[1:]} đạt {met}/{total} tiêu chí “{f.free}”. Đề nghị {f.decider.head_of} "
            "xem xét, quyết định công nhận."
        )
    else:
        conclusion = (
            f"{f.unit[:1].upper()}{f.unit[1:]} chưa đạt tiêu chí “{f.free}”"
            + (f" (tiêu chí số {', '.join(failing)})" if failing else "")
            + "."
        )
    if conclusion_event and conclusion_event.comment:
        conclusion += f" {conclusion_event.comment}"
    return {
        **_meeting(
            f,
            place=f"Trụ sở {f.appraiser.name}",
            chair=(person_of(f.appraiser), f.appraiser.head_of),
            secretary=("", f"Cán bộ {f.appraiser.name}"),
        ),
        "subject": f"Thẩm định hồ sơ đề nghị công nhận {f.unit} đạt tiêu chí “{f.free}”",
        "members": "\n".join(members),
        "content": f"Đoàn thẩm định kiểm tra hồ sơ đề nghị công nhận {f.unit}"
        + (f" kèm Tờ trình {cited(commune_paper)} của {f.committee_name}" if commune_paper else "")
        + f", đối chiếu từng tiêu chí của {set_name or 'bộ tiêu chí của kế hoạch'} với sổ theo dõi; kết quả "
        "như bảng dưới đây.",
        "opinions": "\n".join(
            f"{o.body_name}: {'thống nhất' if o.agrees else 'không thống nhất'}. {o.text}".strip()
            for o in opinions
        ),
        "conclusion": conclusion,
        "recipients": "\n".join([f.decider.name, f.committee_name, "Lưu: VT, hồ sơ"]),
    }


_BUILDERS = {
    PaperKind.COMMUNE_SUBMISSION: _commune_submission,
    PaperKind.APPRAISAL_SUBMISSION: _appraisal_submission,
    PaperKind.UNIT_REPORT: _unit_report,
    PaperKind.REVIEW_MINUTES: _review_minutes,
    PaperKind.VILLAGE_MINUTES: _village_minutes,
    PaperKind.POSTING: _posting,
    PaperKind.APPRAISAL_MINUTES: _appraisal_minutes,
}


# ---------------------------------------------------------------- drawing the PDF


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _people(text: str) -> list[dict[str, str]]:
    people = []
    for line in lines(text):
        name, _sep, position = line.partition(",")
        people.append({"name": name.strip(), "position": position.strip()})
    return people


def document_context(paper: Paper, *, number: str, day: dt.date, draft: bool = False) -> dict[str, Any]:
    """The template context of `paper` drawn with `number` on `day` (marked as a draft when `draft`)."""
    spec = SPECS[paper.kind]
    dossier, issuer, s = paper.dossier, paper.issuer, paper.sections
    parent_body, issuing_body = header_lines(issuer)
    signature_for, signature_title = signature_lines(issuer)
    context: dict[str, Any] = {
        "title_kind": spec.title_kind,
        "title_subject": s.get("subject", ""),
        "parent_body": parent_body,
        "issuing_body": issuing_body,
        "number": number,
        "place_date": place_and_date(short_name(issuer.area), day),
        "recipients": lines(s.get("recipients", "")),
        "signature_for": signature_for,
        "signature_title": signature_title,
        "signature_stamp": [],
        "signer_name": s.get("signer", ""),
        "s": s,
        "paragraphs": {key: lines(s.get(key, "")) for key in s},
        "kind": paper.kind,
        "is_draft": draft,
    }
    if spec.title_kind == "TỜ TRÌNH":
        context["bases"] = dossier.programme.basis_lines(day)
    if paper.kind in (PaperKind.UNIT_REPORT, PaperKind.REVIEW_MINUTES, PaperKind.VILLAGE_MINUTES):
        context["criteria_set_name"], context["rows"] = criteria_rows(dossier, day, appraisal=False)
    if paper.kind == PaperKind.APPRAISAL_MINUTES:
        context["criteria_set_name"], context["rows"] = criteria_rows(dossier, day, appraisal=True)
        context["appraisal"] = True
    if spec.title_kind == "BIÊN BẢN":
        context["opening"] = (
            f"Hôm nay, vào hồi {s.get('time', '')}, {long_date(day)}, tại {s.get('place', '')}."
        )
        context["chair"] = {"name": s.get("chair_name", ""), "position": s.get("chair_position", "")}
        context["secretary"] = {
            "name": s.get("secretary_name", ""),
            "position": s.get("secretary_position", ""),
        }
        context["members"] = _people(s.get("members", ""))
        context["closing"] = MINUTES_CLOSING.format(end_time=s.get("end_time", ""))
        if paper.kind == PaperKind.POSTING:
            context["posting_period"] = _posting_period(s)
    return context


def _posting_period(s: dict[str, str]) -> str:
    try:
        start = dt.date.fromisoformat(s.get("posted_from", ""))
        end = dt.date.fromisoformat(s.get("posted_until", ""))
    except ValueError:
        return ""
    return f"Từ ngày {short_date(start)} đến hết ngày {short_date(end)} ({(end - start).days + 1} ngày)"


def draft_number(paper: Paper, register_kind: str) -> str:
    """What a draft shows in place of its number: the symbol without a number yet."""
    return f"      /{register_kind}-{paper.issuer.symbol}"


# ---------------------------------------------------------------- file names


def ascii_slug(text: str) -> str:
    """ "Bản Tả Lèng, xã Hoang Thèn" → "ban-ta-leng-xa-hoang-then" (đ → d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return "-".join(words)


def download_name(*, kind: str, number: int, year: int, dossier: Dossier) -> str:
    """ "QD-215-2026-thon-trai-mua-xa-tan-an.pdf": kind, number as written, year and unit; never an id."""
    written = reference(number, kind, "").split("/")[0]
    kind_ascii = kind.replace("Đ", "D").replace("đ", "d")
    return f"{kind_ascii}-{written}-{year}-{ascii_slug(unit_phrase(dossier))}.pdf"
