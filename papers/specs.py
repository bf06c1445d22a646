"""What each paper of a dossier is: who issues it, when it may be written, its register kind, its
text sections and its PDF template. One table, read top to bottom."""

from __future__ import annotations

from dataclasses import dataclass

from dossiers.models import DocumentKind as DossierDocumentKind
from dossiers.route import State
from programmes.models import RouteFunction
from registry.models import DocumentKind

from .models import PaperKind


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    widget: str = "text"  # "text" (several lines), "line" (one line) or "date"
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class PaperSpec:
    kind: str
    title_kind: str
    register_kind: str
    # The route function whose body issues the paper: REVIEW is the dossier's own commune
    # (its People's Committee), APPRAISE the appraising police the dossier names.
    function: str
    states: frozenset[str]
    template: str
    sections: tuple[Section, ...]
    # The dossier document kind it stands for when the workflow counts required components.
    component: str = ""
    village_only: bool = False
    # A programme field that must be set for the paper to be asked for ("" : always).
    programme_flag: str = ""


COMMUNE_STATES = frozenset({State.DRAFT, State.RETURNED, State.SUBMITTED})
APPRAISAL_STATES = frozenset({State.UNDER_APPRAISAL, State.APPRAISED_PASS, State.APPRAISED_FAIL})
PROPOSAL_STATES = frozenset({State.APPRAISED_PASS, State.COUNCIL_PASSED})

SUBJECT = Section("subject", "Trích yếu nội dung", "line")
RECIPIENTS = Section("recipients", "Nơi nhận (mỗi dòng một nơi, dòng cuối “Lưu: …”)")
SIGNER = Section("signer", "Họ và tên người ký", "line")
SUBMISSION_SECTIONS = (
    SUBJECT,
    Section("to", "Kính gửi", "line"),
    Section("body", "Nội dung (mỗi đoạn một dòng)"),
    Section("attachments", "Hồ sơ kèm theo (mỗi dòng một tài liệu)", required=False),
    RECIPIENTS,
    SIGNER,
)
MEETING_SECTIONS = (
    SUBJECT,
    Section("time", "Thời gian bắt đầu", "line", help="Ví dụ “08 giờ 00 phút”; ngày là ngày của biên bản."),
    Section("place", "Địa điểm", "line"),
    Section("chair_name", "Chủ trì: họ và tên", "line"),
    Section("chair_position", "Chủ trì: chức vụ, cơ quan", "line"),
    Section("secretary_name", "Thư ký: họ và tên", "line"),
    Section("secretary_position", "Thư ký: chức vụ, cơ quan", "line", required=False),
    Section(
        "members",
        "Thành phần tham dự khác (mỗi dòng: họ và tên, chức vụ, cơ quan)",
        required=False,
        help="Mỗi người một dòng; phần trước dấu phẩy đầu tiên là họ và tên.",
    ),
)
CLOSING = (
    Section("end_time", "Giờ kết thúc", "line", help="Ví dụ “10 giờ 30 phút”."),
    RECIPIENTS,
)

SPECS: dict[str, PaperSpec] = {
    spec.kind: spec
    for spec in [
        PaperSpec(
            kind=PaperKind.VILLAGE_MINUTES,
            title_kind="BIÊN BẢN",
            register_kind=DocumentKind.MINUTES,
            function=RouteFunction.REVIEW,
            states=COMMUNE_STATES,
            template="documents/paper_minutes.html",
            sections=(
                *MEETING_SECTIONS,
                Section("content", "Nội dung cuộc họp"),
                Section("opinions", "Ý kiến của người dự họp", required=False),
                Section("vote", "Kết quả biểu quyết", "line"),
                Section("conclusion", "Kết luận"),
                *CLOSING,
            ),
            village_only=True,
            programme_flag="village_meeting_required",
        ),
        PaperSpec(
            kind=PaperKind.POSTING,
            title_kind="BIÊN BẢN",
            register_kind=DocumentKind.MINUTES,
            function=RouteFunction.REVIEW,
            states=COMMUNE_STATES,
            template="documents/paper_minutes.html",
            sections=(
                *MEETING_SECTIONS,
                Section("posted_from", "Niêm yết từ ngày", "date"),
                Section("posted_until", "Niêm yết đến hết ngày", "date"),
                Section("posted_places", "Nơi niêm yết (mỗi dòng một nơi)"),
                Section("content", "Nội dung niêm yết"),
                Section("opinions", "Ý kiến phản ánh nhận được trong thời gian niêm yết"),
                Section("conclusion", "Kết luận"),
                *CLOSING,
            ),
            village_only=True,
            programme_flag="posting_days",
        ),
        PaperSpec(
            kind=PaperKind.UNIT_REPORT,
            title_kind="BÁO CÁO",
            register_kind=DocumentKind.REPORT,
            function=RouteFunction.REVIEW,
            states=COMMUNE_STATES,
            template="documents/paper_report.html",
            sections=(
                SUBJECT,
                Section("situation", "I. Đặc điểm tình hình"),
                Section("measures", "II. Các biện pháp đã triển khai"),
                Section("assessment", "III. Kết quả thực hiện các tiêu chí: đánh giá chung"),
                Section("proposal", "IV. Đề xuất, kiến nghị"),
                RECIPIENTS,
                SIGNER,
            ),
            component=DossierDocumentKind.REPORT,
        ),
        PaperSpec(
            kind=PaperKind.REVIEW_MINUTES,
            title_kind="BIÊN BẢN",
            register_kind=DocumentKind.MINUTES,
            function=RouteFunction.REVIEW,
            states=COMMUNE_STATES,
            template="documents/paper_minutes.html",
            sections=(
                *MEETING_SECTIONS,
                Section("content", "Nội dung họp xét"),
                Section("opinions", "Ý kiến của thành viên", required=False),
                Section("vote", "Kết quả biểu quyết", "line"),
                Section("conclusion", "Kết luận"),
                *CLOSING,
            ),
            component=DossierDocumentKind.REVIEW_MINUTES,
        ),
        PaperSpec(
            kind=PaperKind.COMMUNE_SUBMISSION,
            title_kind="TỜ TRÌNH",
            register_kind=DocumentKind.SUBMISSION,
            function=RouteFunction.REVIEW,
            states=COMMUNE_STATES,
            template="documents/paper_submission.html",
            sections=SUBMISSION_SECTIONS,
            component=DossierDocumentKind.PROPOSAL,
        ),
        PaperSpec(
            kind=PaperKind.APPRAISAL_MINUTES,
            title_kind="BIÊN BẢN",
            register_kind=DocumentKind.MINUTES,
            function=RouteFunction.APPRAISE,
            states=APPRAISAL_STATES,
            template="documents/paper_minutes.html",
            sections=(
                *MEETING_SECTIONS,
                Section("content", "Nội dung thẩm định"),
                Section("opinions", "Ý kiến của các thành viên, cơ quan phối hợp", required=False),
                Section("conclusion", "Kết luận thẩm định"),
                *CLOSING,
            ),
            component=DossierDocumentKind.APPRAISAL_MINUTES,
        ),
        PaperSpec(
            kind=PaperKind.APPRAISAL_SUBMISSION,
            title_kind="TỜ TRÌNH",
            register_kind=DocumentKind.SUBMISSION,
            function=RouteFunction.APPRAISE,
            states=PROPOSAL_STATES,
            template="documents/paper_submission.html",
            sections=SUBMISSION_SECTIONS,
        ),
    ]
}


def spec_for(kind: str) -> PaperSpec:
    return SPECS[kind]


def asked_for(spec: PaperSpec, dossier: object) -> bool:
    """Whether the dossier's programme asks for this paper for the dossier's unit."""
    area = dossier.area  # type: ignore[attr-defined]
    if spec.village_only and area.level != "village":
        return False
    if spec.programme_flag:
        return bool(getattr(dossier.programme, spec.programme_flag))  # type: ignore[attr-defined]
    return True
