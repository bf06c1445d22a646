"""The exchange API: read-only JSON for other systems, with its OpenAPI 3 schema at
/api/v1/openapi.json and a documentation page at /api/v1/docs (Swagger UI served by the app).

Every endpoint reads through `exchange.selectors`, i.e. through the jurisdiction gate with the
token's unit; every call is authenticated, rate-limited and logged by `exchange.auth.TokenAuth`
before the endpoint runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic import WithJsonSchema

from areas.jurisdiction import get_visible_or_404
from criteria.scoring import Status as CriterionStatus
from criteria.services import score_areas
from dossiers.models import Decision

from . import selectors, shapes
from .auth import TokenAuth
from .ratelimit import RateLimited

DESCRIPTION = """Dữ liệu chỉ đọc cho các hệ thống khác (hệ thống của tỉnh, Cơ sở dữ liệu quốc gia về
phòng, chống ma túy). Xác thực: `Authorization: Bearer <mã truy cập>` do quản trị hệ thống cấp;
mỗi mã chỉ đọc được dữ liệu trong phạm vi đơn vị được giao, có thời hạn, có thể bị thu hồi và bị
giới hạn số lượt gọi mỗi phút (vượt quá: 429 kèm `Retry-After`). Mọi lượt gọi được ghi nhật ký
truy cập.

Phân trang bằng con trỏ: mỗi trang trả `next_cursor`; gửi lại giá trị đó trong `cursor` để lấy
trang sau (hết dữ liệu: `null`). Đồng bộ dần: lưu giá trị `updated_at` lớn nhất đã nhận và gửi nó
trong `updated_since` lần sau. Trường dữ liệu cá nhân (họ tên, số CCCD, ngày sinh, địa chỉ, ghi
chú) là `null` nếu mã không được cấp quyền nhận dữ liệu cá nhân."""


class _Encoder(NinjaJSONEncoder):
    # Full microseconds (Django's encoder cuts them to milliseconds): a client sends the largest
    # `updated_at` it saw back as `updated_since`, which must be the exact moment.
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            return o.isoformat()
        return super().default(o)


class _Renderer(JSONRenderer):
    encoder_class = _Encoder


api = NinjaAPI(
    renderer=_Renderer(),
    title="Địa bàn không ma túy — API trao đổi dữ liệu",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="exchange-api",
    auth=TokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)

TAG = "Dữ liệu"


class Error(Schema):
    detail: str


class FieldError(Schema):
    detail: list[dict[str, Any]]


ERRORS: dict[int, Any] = {400: Error, 401: Error, 404: Error, 422: FieldError, 429: Error}


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "Thiếu mã truy cập, hoặc mã không hợp lệ, đã bị thu hồi hay đã hết hạn."},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(
        request, {"detail": "Vượt quá số lượt gọi cho phép trong một phút; thử lại sau."}, status=429
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(selectors.BadParameter)
def bad_parameter(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(NinjaValidationError)
def invalid_parameters(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    detail = [
        {"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": e.get("type", "")}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


# ---------------------------------------------------------------- shapes (documentation of shapes.py)


class Unit(Schema):
    id: int
    parent_id: int | None
    level: Literal["province", "district", "commune", "village"]
    kind: str
    name: str
    code: str | None
    established_on: dt.date | None
    closed_on: dt.date | None
    is_demo: bool
    updated_at: dt.datetime


class PersonStatus(Schema):
    id: int
    kind: str
    kind_label: str
    start_date: dt.date
    end_date: dt.date | None
    basis: str
    note: str | None
    updated_at: dt.datetime


class Person(Schema):
    id: int
    village_id: int
    full_name: str | None
    birth_date: dt.date | None
    cccd: str | None
    address: str | None
    note: str | None
    sex: str
    residence_type: str
    resident_since: dt.date
    presence: str
    is_demo: bool
    statuses: list[PersonStatus]
    created_at: dt.datetime
    updated_at: dt.datetime


class ManagementFile(Schema):
    id: int
    person_id: int
    kind: str
    opened_on: dt.date
    closed_on: dt.date | None
    responsible: str | None
    note: str | None
    is_demo: bool
    updated_at: dt.datetime


class Treatment(Schema):
    id: int
    person_id: int
    kind: str
    medication: str | None
    start_date: dt.date
    end_date: dt.date | None
    facility: str
    complies_with_rules: bool | None
    uses_other_drugs: bool | None
    note: str | None
    is_demo: bool
    updated_at: dt.datetime


class DrugTest(Schema):
    id: int
    person_id: int
    tested_on: dt.date
    result: Literal["positive", "negative"]
    substance: str
    method: str
    reason: str
    note: str | None
    is_demo: bool
    updated_at: dt.datetime


class Dossier(Schema):
    id: int
    area_id: int
    commune_id: int
    state: str
    state_label: str
    state_since: dt.datetime
    programme: str
    appraiser: str
    decider: str
    registered_on: dt.date
    target_date: dt.date
    decision_id: int | None
    is_demo: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class DecisionOut(Schema):
    id: int
    dossier_id: int
    area_id: int
    number: str
    decided_on: dt.date
    issuer: str
    signer_name: str
    signed_at: dt.datetime
    sha256: str
    pdf_url: str
    updated_at: dt.datetime


class FailingRecord(Schema):
    model: str
    id: int
    label: str | None
    reason: str


class CriterionResult(Schema):
    number: int
    label: str
    rule: str
    status: CriterionStatus
    figures: str
    failing: list[FailingRecord]


class Scorecard(Schema):
    unit_id: int
    unit_name: str
    level: str
    as_of: dt.date
    criteria_set: str | None
    programme: str | None
    missing: str | None
    passed: bool
    met_count: int
    results: list[CriterionResult]


def _page_schema(name: str, item: type[Schema]) -> type[Schema]:
    return type(name, (Schema,), {"__annotations__": {"items": list[item], "next_cursor": str | None}})  # type: ignore[valid-type]


UnitPage = _page_schema("UnitPage", Unit)
PersonPage = _page_schema("PersonPage", Person)
ManagementFilePage = _page_schema("ManagementFilePage", ManagementFile)
TreatmentPage = _page_schema("TreatmentPage", Treatment)
DrugTestPage = _page_schema("DrugTestPage", DrugTest)
DossierPage = _page_schema("DossierPage", Dossier)
DecisionPage = _page_schema("DecisionPage", DecisionOut)
ScorecardPage = _page_schema("ScorecardPage", Scorecard)


# ---------------------------------------------------------------- parameters


# Query values kept as text and parsed strictly here (`_moment`, `_day`): pydantic would also take
# "0.5" as a Unix time. The schema still says what is expected.
DateTimeText = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
DateText = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]


class PageQuery(Schema):
    cursor: str | None = None
    limit: int = Query(100, ge=1, le=settings.API_PAGE_MAX, description="Số bản ghi mỗi trang (tối đa 500).")
    updated_since: DateTimeText | None = Query(
        None,
        description="Chỉ các bản ghi thay đổi từ thời điểm này (RFC 3339, có múi giờ), ví dụ "
        "2025-07-01T00:00:00+07:00: giá trị `updated_at` lớn nhất đã nhận.",
    )


EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2999, 12, 31, tzinfo=dt.UTC)


RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _moment(text: str) -> dt.datetime:
    """An RFC 3339 date-time with its offset (the `format: date-time` of the schema), 1900–2999."""
    try:
        if not RFC3339.fullmatch(text):
            raise ValueError
        # In UTC: PostgreSQL refuses offsets beyond ±15:59, which the text may carry.
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)
    except (ValueError, OverflowError) as exc:
        raise selectors.BadParameter(
            "updated_since phải là thời điểm theo RFC 3339 kèm múi giờ, ví dụ 2025-07-01T00:00:00+07:00."
        ) from exc
    if not EARLIEST <= moment <= LATEST:
        raise selectors.BadParameter("updated_since phải trong khoảng năm 1900–2999.")
    return moment


def _day(text: str) -> dt.date:
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise selectors.BadParameter("as_of phải là ngày dạng YYYY-MM-DD, ví dụ 2025-06-30.") from exc


def _principal(request: HttpRequest) -> Any:
    """The token's `ScopedPrincipal`, set by `TokenAuth` before the endpoint runs."""
    return request.principal  # type: ignore[attr-defined]


def _grant(request: HttpRequest) -> shapes.Grant:
    personal = bool(request.auth.personal_data)  # type: ignore[attr-defined]
    return shapes.Grant(personal=personal, full_cccd=personal)


def _only_known_parameters(request: HttpRequest, schema: type[Schema]) -> None:
    """Refuse a parameter the endpoint does not know: a misspelt `updated_since` must not pass
    silently as a full download."""
    unknown = sorted(set(request.GET) - set(schema.model_fields))
    if unknown:
        raise selectors.BadParameter(f"Tham số không được hỗ trợ: {', '.join(unknown)[:200]}.")


def _page(request: HttpRequest, kind_name: str, params: PageQuery) -> dict[str, Any]:
    _only_known_parameters(request, PageQuery)
    kind = selectors.KINDS[kind_name]
    since = _moment(params.updated_since) if params.updated_since is not None else None
    result = selectors.page(
        kind,
        _principal(request),
        limit=params.limit,
        cursor=params.cursor,
        updated_since=since,
    )
    grant = _grant(request)
    return {"items": [kind.shape(row, grant) for row in result.rows], "next_cursor": result.next_cursor}


# ---------------------------------------------------------------- endpoints


@api.get("/units", response={200: UnitPage, **ERRORS}, tags=[TAG], summary="Đơn vị hành chính")
def units(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    return _page(request, "units", params)


@api.get("/persons", response={200: PersonPage, **ERRORS}, tags=[TAG], summary="Đối tượng và diện quản lý")
def persons(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    return _page(request, "persons", params)


@api.get(
    "/management-files", response={200: ManagementFilePage, **ERRORS}, tags=[TAG], summary="Hồ sơ quản lý"
)
def management_files(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    return _page(request, "management-files", params)


@api.get("/treatments", response={200: TreatmentPage, **ERRORS}, tags=[TAG], summary="Cai nghiện, điều trị")
def treatments(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    return _page(request, "treatments", params)


@api.get("/drug-tests", response={200: DrugTestPage, **ERRORS}, tags=[TAG], summary="Xét nghiệm chất ma túy")
def drug_tests(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    return _page(request, "drug-tests", params)


@api.get("/dossiers", response={200: DossierPage, **ERRORS}, tags=[TAG], summary="Hồ sơ đề nghị công nhận")
def dossiers(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    return _page(request, "dossiers", params)


@api.get("/decisions", response={200: DecisionPage, **ERRORS}, tags=[TAG], summary="Quyết định công nhận")
def decisions(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    return _page(request, "decisions", params)


@api.get(
    "/decisions/{decision_id}/pdf",
    response={409: Error, **ERRORS},
    tags=[TAG],
    summary="Tệp quyết định đã ký số (PDF)",
    url_name="decision_pdf",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Tệp PDF đúng như khi ký (SHA-256 trùng với `sha256` của quyết định).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def decision_pdf(request: HttpRequest, decision_id: int) -> Any:
    decision = get_visible_or_404(Decision.objects.all(), _principal(request), pk=decision_id)
    with decision.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != decision.sha256:
        return Status(
            409,
            {"detail": "Tệp quyết định không còn trùng với bản đã ký; đề nghị liên hệ quản trị hệ thống."},
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="quyet-dinh-{decision.pk}.pdf"'
    return response


class ScoreQuery(Schema):
    as_of: DateText | None = Query(None, description="Ngày tính, dạng YYYY-MM-DD (mặc định: hôm nay).")
    level: Literal["village", "commune"] | None = None
    cursor: str | None = None
    limit: int = Query(20, ge=1, le=50, description="Số đơn vị mỗi trang (tối đa 50).")


@api.get(
    "/scores",
    response={200: ScorecardPage, **ERRORS},
    tags=[TAG],
    summary="Kết quả đánh giá tiêu chí của đơn vị",
)
def scores(request: HttpRequest, params: Query[ScoreQuery]) -> dict[str, Any]:
    _only_known_parameters(request, ScoreQuery)
    today = timezone.localdate()
    as_of = _day(params.as_of) if params.as_of is not None else today
    if not dt.date(2000, 1, 1) <= as_of <= today:
        raise selectors.BadParameter("as_of phải từ 01/01/2000 đến hôm nay.")
    units = selectors.scorable_units(_principal(request), params.level)
    if params.cursor:
        units = units.filter(pk__gt=selectors.decode_unit_cursor(params.cursor))
    page = list(units[: params.limit + 1])
    more = len(page) > params.limit
    page = page[: params.limit]
    cards = score_areas(areas=page, as_of=as_of)
    grant = _grant(request)
    return {
        "items": [shapes.scorecard(cards[unit.pk], grant) for unit in page],
        "next_cursor": selectors.encode_unit_cursor(page[-1].pk) if more and page else None,
    }
