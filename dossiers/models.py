"""Registration, the dossier and everything that happens to it (domain brief §5).

A dossier's state changes only through `dossiers.services.move`, which writes a `DossierEvent`
with it; events, frozen scorecards and the signed decision file are never edited afterwards.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from areas.jurisdiction import JurisdictionQuerySet
from areas.models import Area, Body, Role
from programmes.models import Phase, Programme, RouteFunction

from .route import ROLE_FUNCTION, Move, State, deadline_function

UNIT_LEVELS = {"level__in": ["village", "commune"]}


class AreaScopedQuerySet(JurisdictionQuerySet):
    area_path_lookup = "area__path"


class DossierScopedQuerySet(JurisdictionQuerySet):
    area_path_lookup = "dossier__area__path"


class Registration(models.Model):
    """A unit registered to build "không có ma túy", with its register counts on that day."""

    area = models.ForeignKey(
        Area,
        verbose_name="đơn vị đăng ký",
        on_delete=models.PROTECT,
        related_name="drug_free_registrations",
        limit_choices_to=UNIT_LEVELS,
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name="giai đoạn kế hoạch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    target_date = models.DateField("thời hạn đạt tiêu chí")
    registered_on = models.DateField("ngày đăng ký", default=timezone.localdate)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người đăng ký", on_delete=models.PROTECT, related_name="+"
    )
    baseline_addicts = models.PositiveIntegerField("số người nghiện khi đăng ký", default=0)
    baseline_users = models.PositiveIntegerField("số người sử dụng trái phép khi đăng ký", default=0)
    baseline_addicts_or_users = models.PositiveIntegerField(
        "tổng số người nghiện, người sử dụng khi đăng ký",
        default=0,
        help_text="Mỗi người tính một lần dù thuộc cả hai diện; là mốc cho tiêu chí “giảm so với khi đăng ký”.",
    )
    baseline_post_rehab = models.PositiveIntegerField("số người sau cai nghiện khi đăng ký", default=0)
    baseline_suspected = models.PositiveIntegerField("số người nghi sử dụng khi đăng ký", default=0)
    baseline_points = models.PositiveIntegerField("số điểm, tụ điểm ma túy khi đăng ký", default=0)
    baseline_cultivation = models.PositiveIntegerField(
        "số vụ trồng cây có chứa chất ma túy khi đăng ký", default=0
    )
    is_demo = models.BooleanField("dữ liệu minh họa", default=False, editable=False)

    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "đăng ký xây dựng địa bàn không ma túy"
        verbose_name_plural = "đăng ký xây dựng địa bàn không ma túy"
        ordering = ["-registered_on", "area__name"]

    def __str__(self) -> str:
        return f"{self.area} — {self.phase or 'không gắn giai đoạn'}"

    BASELINE_FIELDS = (
        "baseline_addicts",
        "baseline_users",
        "baseline_addicts_or_users",
        "baseline_post_rehab",
        "baseline_suspected",
        "baseline_points",
        "baseline_cultivation",
    )

    @property
    def baseline(self) -> list[tuple[str, int]]:
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.BASELINE_FIELDS
        ]


class DossierQuerySet(AreaScopedQuerySet):
    def open(self) -> DossierQuerySet:
        return self.exclude(state__in=[State.NOT_RECOGNISED, State.REVOKED])


class Dossier(models.Model):
    registration = models.OneToOneField(
        Registration, verbose_name="đăng ký", on_delete=models.PROTECT, related_name="dossier"
    )
    area = models.ForeignKey(
        Area, verbose_name="đơn vị đề nghị công nhận", on_delete=models.PROTECT, related_name="dossiers"
    )
    # Who acts on the dossier is fixed when it is opened, from the programme that governs the
    # unit that day: the commune, and the bodies that appraise, vote (if any) and decide.
    commune = models.ForeignKey(
        Area, verbose_name="xã", on_delete=models.PROTECT, related_name="commune_dossiers"
    )
    programme = models.ForeignKey(
        Programme, verbose_name="kế hoạch", on_delete=models.PROTECT, related_name="dossiers"
    )
    appraiser = models.ForeignKey(
        Body,
        verbose_name="cơ quan chủ trì thẩm định",
        on_delete=models.PROTECT,
        related_name="appraised_dossiers",
    )
    council = models.ForeignKey(
        Body,
        verbose_name="Hội đồng xét duyệt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_dossiers",
    )
    decider = models.ForeignKey(
        Body,
        verbose_name="cơ quan quyết định công nhận",
        on_delete=models.PROTECT,
        related_name="decided_dossiers",
    )
    state = models.CharField("trạng thái", max_length=20, choices=State.choices, default=State.DRAFT)
    state_since = models.DateTimeField("ở trạng thái này từ", default=timezone.now)
    submission_scorecard = models.JSONField(
        "kết quả chấm điểm khi trình", null=True, blank=True, editable=False
    )
    appraisal_scorecard = models.JSONField(
        "kết quả chấm điểm khi thẩm định", null=True, blank=True, editable=False
    )
    # A dossier whose score is below "đạt" goes up only with a written explanation, shown to
    # everyone after; cleared when it is sent up again with a passing score.
    shortfall_explanation = models.TextField("giải trình khi chưa đạt đủ tiêu chí", blank=True)
    review_due_on = models.DateField(
        "hạn rà soát, đánh giá lại",
        null=True,
        blank=True,
        help_text="Đơn vị đã công nhận được rà soát “giữ vững” hằng năm (KH 174/KH-UBND mục III.6).",
    )
    created_at = models.DateTimeField("ngày lập", auto_now_add=True)
    is_demo = models.BooleanField("dữ liệu minh họa", default=False, editable=False)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "hồ sơ đề nghị công nhận"
        verbose_name_plural = "hồ sơ đề nghị công nhận"
        ordering = ["state_since"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=~models.Q(state__in=["not_recognised", "revoked"]),
                name="dossier_one_open_per_area",
                violation_error_message="Đơn vị này đã có hồ sơ đang xử lý hoặc đã được công nhận.",
            )
        ]

    def __str__(self) -> str:
        return f"Hồ sơ đề nghị công nhận {self.area}"

    def get_absolute_url(self) -> str:
        return reverse("dossiers:detail", args=[self.pk])

    @property
    def has_council(self) -> bool:
        return self.council_id is not None

    def body_id_for(self, role: str) -> int | None:
        """The body that takes `role`'s steps on this dossier (None for the commune's own roles
        and for co-appraisers, who are several)."""
        by_function: dict[str, int | None] = {
            RouteFunction.APPRAISE: self.appraiser_id,
            RouteFunction.COUNCIL: self.council_id,
            RouteFunction.DECIDE: self.decider_id,
        }
        return by_function.get(ROLE_FUNCTION.get(role, ""))

    def acting_body_ids(self, role: str) -> list[int]:
        """The bodies whose users take `role`'s part on this dossier: the one it names for the
        role, or, for co-appraisers, every co-appraising body of its programme's route."""
        body_id = self.body_id_for(role)
        if body_id is not None:
            return [body_id]
        if ROLE_FUNCTION.get(role) == RouteFunction.CO_APPRAISE:
            return [
                step.body_id
                for step in self.programme.route_steps.all()
                if step.function == RouteFunction.CO_APPRAISE
                and step.unit_level == self.area.level
                and step.body_id is not None
            ]
        return []

    @property
    def deadline(self) -> dt.date | None:
        """The day the current step should be done by, when the programme sets a deadline for it
        (read from `programme.route_steps`, which lists prefetch)."""
        function = deadline_function(self.state, has_council=self.has_council)
        if function is None:
            return None
        level = self.area.level
        days = next(
            (
                s.deadline_days
                for s in self.programme.route_steps.all()
                if s.function == function and s.unit_level == level and s.deadline_days
            ),
            None,
        )
        if days is None:
            return None
        return timezone.localdate(self.state_since) + dt.timedelta(days=days)

    @property
    def is_overdue(self) -> bool:
        deadline = self.deadline
        return deadline is not None and deadline < timezone.localdate()


# Events that record something beside a move of the route (the state stays as it was).
EVENT_LABELS = {
    "register": "Đăng ký xây dựng, lập hồ sơ",
    "take_over": "Cơ quan kế thừa tiếp nhận hồ sơ",
    "request_opinion": "Đề nghị cho ý kiến phối hợp thẩm định",
    "opinion": "Ý kiến phối hợp thẩm định",
    "vote": "Biểu quyết của thành viên Hội đồng",
    "review_opened": "Mở đợt rà soát “giữ vững” hằng năm",
    "review_maintained": "Kết quả rà soát: giữ vững",
}


class DossierEvent(models.Model):
    """One step of the route: who, when, from → to, why. Never edited."""

    dossier = models.ForeignKey(
        Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="events"
    )
    move = models.CharField("thao tác", max_length=30)
    from_state = models.CharField("từ trạng thái", max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField("sang trạng thái", max_length=20, choices=State.choices)
    # None: a step the schedule takes (the yearly review opening), nobody in person.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField("vai trò", max_length=30, choices=Role.choices, blank=True)
    at = models.DateTimeField("thời điểm", default=timezone.now)
    comment = models.TextField("ý kiến", blank=True)
    scorecard = models.JSONField("kết quả chấm điểm đóng băng", null=True, blank=True, editable=False)
    # What the step names beside its comment: the criteria and papers to fix on a return, the
    # tally of a council, the explanation of a score below "đạt", an opinion's answer.
    details = models.JSONField("chi tiết", default=dict, blank=True, editable=False)

    objects = DossierScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "bước xử lý hồ sơ"
        verbose_name_plural = "các bước xử lý hồ sơ"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.move_label} ({self.at:%d/%m/%Y %H:%M})"

    @property
    def move_label(self) -> str:
        if self.move in EVENT_LABELS:
            return EVENT_LABELS[self.move]
        try:
            return Move(self.move).label
        except ValueError:
            return self.move


class DocumentKind(models.TextChoices):
    PROPOSAL = "proposal", "Tờ trình"
    REPORT = "report", "Báo cáo"
    REVIEW_MINUTES = "review_minutes", "Biên bản họp xét"
    EVIDENCE = "evidence", "Tài liệu minh chứng"
    APPRAISAL_MINUTES = "appraisal_minutes", "Biên bản thẩm định"
    OTHER = "other", "Tài liệu khác"


def document_path(instance: DossierDocument, filename: str) -> str:
    # The stored name is random: the original name may carry personal data and is kept apart.
    return f"dossiers/{instance.dossier_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class DossierDocument(models.Model):
    dossier = models.ForeignKey(
        Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="documents"
    )
    event = models.ForeignKey(
        DossierEvent,
        verbose_name="gửi kèm bước",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    kind = models.CharField("loại tài liệu", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("tên tài liệu", max_length=255)
    file = models.FileField("tệp", upload_to=document_path)
    content_type = models.CharField(max_length=50, editable=False)
    size = models.PositiveIntegerField("dung lượng (byte)", editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tải lên", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("thời điểm tải lên", default=timezone.now)

    objects = DossierScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "tài liệu hồ sơ"
        verbose_name_plural = "tài liệu hồ sơ"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dossiers:document", args=[self.dossier_id, self.pk])


class AppraisalFinding(models.Model):
    """The appraiser's result for one criterion; differing from the computed one needs a reason."""

    dossier = models.ForeignKey(
        Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="findings"
    )
    number = models.PositiveSmallIntegerField("tiêu chí số")
    criterion_text = models.TextField("nội dung tiêu chí")
    computed_status = models.CharField("kết quả tính toán", max_length=20)
    status = models.CharField("kết quả thẩm định", max_length=20)
    reason = models.TextField("lý do", blank=True)
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thẩm định", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("thời điểm", default=timezone.now)

    objects = DossierScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "kết quả thẩm định tiêu chí"
        verbose_name_plural = "kết quả thẩm định tiêu chí"
        ordering = ["dossier", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "number"],
                name="finding_one_per_criterion",
                violation_error_message="Tiêu chí này đã có kết quả thẩm định.",
            ),
            models.CheckConstraint(
                condition=models.Q(status=models.F("computed_status")) | ~models.Q(reason=""),
                name="finding_overrule_needs_reason_check",
                violation_error_message="Kết quả thẩm định khác kết quả tính toán phải ghi rõ lý do.",
            ),
        ]

    def __str__(self) -> str:
        return f"Tiêu chí {self.number}: {self.status}"

    @property
    def overruled(self) -> bool:
        return self.status != self.computed_status


class Opinion(models.Model):
    """A co-appraising department's opinion (Phòng LĐ-TB&XH, Trung tâm Y tế)."""

    dossier = models.ForeignKey(
        Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="opinions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người cho ý kiến", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("vai trò", max_length=30, choices=Role.choices)
    body = models.ForeignKey(
        Body, verbose_name="cơ quan", null=True, on_delete=models.PROTECT, related_name="opinions"
    )
    agrees = models.BooleanField("thống nhất đề nghị công nhận")
    text = models.TextField("ý kiến")
    at = models.DateTimeField("thời điểm", default=timezone.now)

    objects = DossierScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "ý kiến phối hợp thẩm định"
        verbose_name_plural = "ý kiến phối hợp thẩm định"
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.body_name}: {'thống nhất' if self.agrees else 'không thống nhất'}"

    @property
    def body_name(self) -> str:
        return self.body.name if self.body is not None else self.get_role_display()


class OpinionRequest(models.Model):
    """The appraiser asks a co-appraising body of the programme for its opinion, by a due date;
    the body's opinion answers it."""

    dossier = models.ForeignKey(
        Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="opinion_requests"
    )
    body = models.ForeignKey(
        Body, verbose_name="cơ quan được đề nghị", on_delete=models.PROTECT, related_name="opinion_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người đề nghị", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("thời điểm đề nghị", default=timezone.now)
    due_on = models.DateField("hạn trả lời")
    note = models.TextField("nội dung đề nghị", blank=True)
    opinion = models.OneToOneField(
        Opinion,
        verbose_name="ý kiến trả lời",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="request",
    )

    objects = DossierScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "đề nghị cho ý kiến"
        verbose_name_plural = "đề nghị cho ý kiến"
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "body"],
                condition=models.Q(opinion__isnull=True),
                name="opinion_request_one_open_per_body",
                violation_error_message="Cơ quan này đang có đề nghị cho ý kiến chưa trả lời.",
            )
        ]

    def __str__(self) -> str:
        return f"Đề nghị {self.body} cho ý kiến (hạn {self.due_on:%d/%m/%Y})"

    @property
    def is_overdue(self) -> bool:
        return self.opinion_id is None and self.due_on < timezone.localdate()


class CouncilVote(models.Model):
    """A council member's vote on a dossier before the Hội đồng xét duyệt; one per member, which
    the member may change until the council's conclusion is recorded."""

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="thành viên", on_delete=models.PROTECT, related_name="+"
    )
    agrees = models.BooleanField("đồng ý đề nghị công nhận")
    comment = models.TextField("ý kiến", blank=True)
    at = models.DateTimeField("thời điểm", default=timezone.now)

    objects = DossierScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "biểu quyết của thành viên Hội đồng"
        verbose_name_plural = "biểu quyết của thành viên Hội đồng"
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "member"],
                name="council_vote_one_per_member",
                violation_error_message="Thành viên đã biểu quyết hồ sơ này.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member}: {'đồng ý' if self.agrees else 'không đồng ý'}"


class Decision(models.Model):
    """The recognition decision and its signed PDF, stored byte for byte as signed."""

    dossier = models.OneToOneField(
        Dossier, verbose_name="hồ sơ", on_delete=models.PROTECT, related_name="decision"
    )
    number = models.CharField("số quyết định", max_length=40)
    decided_on = models.DateField("ngày ký")
    # Numbers run per issuing body and year: the database refuses a second decision with the
    # same number, even when two chairs sign at the same instant.
    issuer = models.ForeignKey(
        Body, verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("năm")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người ký", on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField("họ tên người ký", max_length=150)
    file = models.FileField("tệp quyết định đã ký số", upload_to="decisions/")
    sha256 = models.CharField(max_length=64, editable=False)
    signed_at = models.DateTimeField("thời điểm ký số")

    objects = DossierScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "quyết định công nhận"
        verbose_name_plural = "quyết định công nhận"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number"],
                name="decision_number_unique_per_body_and_year",
                violation_error_message="Số quyết định này đã được cơ quan dùng trong năm.",
            )
        ]

    def __str__(self) -> str:
        return f"Quyết định số {self.number} ngày {self.decided_on:%d/%m/%Y}"


class RevocationDecision(models.Model):
    """The decision revoking a recognition (Quyết định thu hồi), numbered in the deciding body's
    register of outgoing documents and signed; stored byte for byte as signed."""

    dossier = models.OneToOneField(
        Dossier, verbose_name="hồ sơ", on_delete=models.PROTECT, related_name="revocation"
    )
    number = models.CharField("số quyết định", max_length=40)
    decided_on = models.DateField("ngày ký")
    issuer = models.ForeignKey(
        Body, verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("lý do thu hồi")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người ký", on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField("họ tên người ký", max_length=150)
    file = models.FileField("tệp quyết định đã ký số", upload_to="decisions/")
    sha256 = models.CharField(max_length=64, editable=False)
    signed_at = models.DateTimeField("thời điểm ký số")

    objects = DossierScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "quyết định thu hồi công nhận"
        verbose_name_plural = "quyết định thu hồi công nhận"

    def __str__(self) -> str:
        return f"Quyết định thu hồi số {self.number} ngày {self.decided_on:%d/%m/%Y}"


class ReviewOutcome(models.TextChoices):
    PENDING = "pending", "Đang rà soát"
    MAINTAINED = "maintained", "Giữ vững"
    REVOCATION_PROPOSED = "revocation_proposed", "Đề nghị thu hồi công nhận"


class RecognitionReview(models.Model):
    """The yearly re-evaluation of a recognised unit ("giữ vững"): opened by the schedule, its
    outcome recorded by the appraising body."""

    dossier = models.ForeignKey(
        Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField("năm rà soát")
    opened_on = models.DateField("ngày mở")
    due_on = models.DateField("hạn kết luận")
    scorecard = models.JSONField("kết quả chấm điểm khi mở", null=True, blank=True, editable=False)
    outcome = models.CharField(
        "kết quả", max_length=20, choices=ReviewOutcome.choices, default=ReviewOutcome.PENDING
    )
    note = models.TextField("nhận xét", blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người kết luận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    concluded_at = models.DateTimeField("thời điểm kết luận", null=True, blank=True)

    objects = DossierScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "rà soát giữ vững hằng năm"
        verbose_name_plural = "rà soát giữ vững hằng năm"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "year"],
                name="review_one_per_dossier_per_year",
                violation_error_message="Đơn vị đã có đợt rà soát trong năm này.",
            )
        ]

    def __str__(self) -> str:
        return f"Rà soát năm {self.year} — {self.dossier.area}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người nhận", on_delete=models.CASCADE, related_name="+"
    )
    dossier = models.ForeignKey(
        Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField("nội dung", max_length=255)
    read = models.BooleanField("đã xem", default=False)
    created_at = models.DateTimeField("thời điểm", default=timezone.now)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read"], name="notification_user_read_idx")]

    def __str__(self) -> str:
        return self.text


class WatchAlert(models.Model):
    """A recognised unit that no longer meets a criterion on the day it was re-scored."""

    dossier = models.ForeignKey(
        Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="alerts"
    )
    detected_on = models.DateField("ngày phát hiện")
    broken = models.TextField("tiêu chí không còn đạt")
    scorecard = models.JSONField("kết quả chấm điểm", editable=False)
    resolved_on = models.DateField("ngày khắc phục", null=True, blank=True)

    objects = DossierScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "cảnh báo sau công nhận"
        verbose_name_plural = "cảnh báo sau công nhận"
        ordering = ["-detected_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "detected_on"],
                name="alert_one_per_dossier_per_day",
                violation_error_message="Đã có cảnh báo cho hồ sơ này trong ngày.",
            )
        ]

    def __str__(self) -> str:
        return f"Cảnh báo {self.dossier.area} ngày {self.detected_on:%d/%m/%Y}"
