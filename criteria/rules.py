"""The rules a criterion can name, each a small pure function registered under its key.

A rule receives the facts of one unit, already gathered for the whole batch by
`criteria.selectors.gather_facts` (a few set-based queries), the scoring context (as-of date,
proposal date) and its parameters, and returns an `Outcome`: a status, the figures behind it and
the records that make it fail. It never queries the database and never writes into the facts,
which every criterion of every unit of the batch shares.

Each rule also declares what it reads: the kinds of facts (`needs`) and, for a rule that looks
back over a window, a planning hook that widens the batch's `FactPlan` from its parameters. A new
rule is written here and nowhere else.

Each rule declares its parameters (`ParamSpec`), so that a criterion's parameters are validated
with a clear Vietnamese message in the admin, and a third province's criteria are these rules
with other parameters, configured without code.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from subjects.models import (
    BoardKind,
    CommitmentKind,
    FileKind,
    Plant,
    PointKind,
    Presence,
    Severity,
    StatusKind,
    TestResult,
    TreatmentKind,
)

from .facts import FROM_THE_START, FactPlan, PersonFacts, ScoringContext, UnitFacts
from .scoring import FailingRecord, Outcome, Status

# ---------------------------------------------------------------- dates


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def has_lasted(since: dt.date | None, as_of: dt.date, *, days: int = 0, months: int = 0) -> bool:
    """Whether something begun on `since` has lasted at least the given days or months on
    `as_of` ("từ 03 tháng trở lên": begun on 01/01, it has lasted 3 months on 01/04)."""
    if since is None:
        return False
    if months:
        return add_months(since, months) <= as_of
    return since + dt.timedelta(days=days) <= as_of


def has_lasted_over(since: dt.date | None, as_of: dt.date, *, months: int) -> bool:
    """Whether something begun on `since` has lasted strictly more than `months` months on
    `as_of` ("trên 12 tháng": begun on 30/06/2024, not yet on 30/06/2025, from 01/07/2025)."""
    return since is not None and add_months(since, months) < as_of


# ---------------------------------------------------------------- parameters


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of a rule: its type, whether it is required, and its Vietnamese label."""

    label: str
    kind: str  # "int", "bool", "date", "text", "choices", "parts"
    required: bool = False
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[tuple[str, str], ...] = ()

    def describe(self, name: str) -> str:
        text = f"“{name}”: {self.label}"
        if self.kind == "choices":
            text += " — danh sách, chọn trong: " + ", ".join(
                f"{value} ({label})" for value, label in self.choices
            )
        elif self.kind == "int":
            text += " — số nguyên" + (f" ≥ {self.minimum}" if self.minimum is not None else "")
        elif self.kind == "date":
            text += " — ngày dạng YYYY-MM-DD"
        elif self.kind == "bool":
            text += " — true / false"
        if not self.required:
            text += f" (không bắt buộc{'' if self.default is None else f', mặc định {self.default}'})"
        return text


RuleFunction = Callable[[UnitFacts, ScoringContext, dict[str, Any]], Outcome]
# Widens the batch's plan with what the rule reads beyond its `needs`, given its parameters.
PlanHook = Callable[[dict[str, Any], ScoringContext, FactPlan], None]


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    function: RuleFunction
    params: dict[str, ParamSpec] = field(default_factory=dict)
    # Pairs of parameters of which exactly one must be given (e.g. days or months).
    one_of: tuple[tuple[str, ...], ...] = ()
    # Which facts the rule reads, so a batch gathers only what its criteria need.
    needs: frozenset[str] = frozenset()
    plan: PlanHook | None = None
    # Pairs of parameters of which at most one may be given (a window: a start day or a number of
    # days; neither, no window, as where the plan's text states none).
    at_most_one: tuple[tuple[str, ...], ...] = ()


REGISTRY: dict[str, Rule] = {}


def rule(
    key: str,
    label: str,
    *,
    params: dict[str, ParamSpec] | None = None,
    one_of: tuple[tuple[str, ...], ...] = (),
    needs: Iterable[str] = (),
    plan: PlanHook | None = None,
    at_most_one: tuple[tuple[str, ...], ...] = (),
) -> Callable[[RuleFunction], RuleFunction]:
    def register(function: RuleFunction) -> RuleFunction:
        REGISTRY[key] = Rule(key, label, function, params or {}, one_of, frozenset(needs), plan, at_most_one)
        return function

    return register


def rule_choices() -> list[tuple[str, str]]:
    return [(key, f"{r.label} ({key})") for key, r in sorted(REGISTRY.items())]


def validate_params(rule_key: str, params: Any, *, path: str = "") -> dict[str, Any]:
    """The parameters of `rule_key` checked and completed with their defaults.

    Raises a `ValidationError` whose messages say, in Vietnamese, which parameter is wrong and
    what it should be."""
    where = f" (phần {path})" if path else ""
    if rule_key not in REGISTRY:
        raise ValidationError(f"Không có quy tắc “{rule_key}”{where}.")
    spec = REGISTRY[rule_key]
    if params in (None, ""):
        params = {}
    if not isinstance(params, dict):
        raise ValidationError(f'Tham số{where} phải là một đối tượng JSON dạng {{"tên": giá trị}}.')
    errors: list[str] = []
    unknown = sorted(set(params) - set(spec.params))
    if unknown:
        allowed = ", ".join(f"“{name}”" for name in spec.params) or "không có tham số nào"
        errors.append(
            f"Quy tắc “{spec.label}”{where} không có tham số {', '.join(f'“{n}”' for n in unknown)}; "
            f"tham số hợp lệ: {allowed}."
        )
    clean: dict[str, Any] = {}
    for name, param in spec.params.items():
        if name not in params or params[name] is None:
            if param.required:
                errors.append(f"Thiếu tham số {param.describe(name)}{where}.")
            elif param.default is not None:
                clean[name] = param.default
            continue
        try:
            clean[name] = _check_value(name, param, params[name], path)
        except ValidationError as exc:
            errors.extend(exc.messages)
    for group in spec.one_of:
        given = [name for name in group if name in params and params[name] is not None]
        if len(given) != 1:
            names = " hoặc ".join(f"“{name}”" for name in group)
            errors.append(f"Quy tắc “{spec.label}”{where} cần đúng một trong các tham số {names}.")
    for group in spec.at_most_one:
        given = [name for name in group if name in params and params[name] is not None]
        if len(given) > 1:
            names = " hoặc ".join(f"“{name}”" for name in group)
            errors.append(f"Quy tắc “{spec.label}”{where} chỉ nhận một trong các tham số {names}.")
    if errors:
        raise ValidationError(errors)
    return clean


def _check_value(name: str, param: ParamSpec, value: Any, path: str) -> Any:
    where = f" (phần {path})" if path else ""
    wrong = ValidationError(f"Tham số {param.describe(name)}{where}: giá trị “{value}” không hợp lệ.")
    if param.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong
        if param.minimum is not None and value < param.minimum:
            raise ValidationError(f"Tham số “{name}”{where} phải lớn hơn hoặc bằng {param.minimum}.")
        if param.maximum is not None and value > param.maximum:
            raise ValidationError(f"Tham số “{name}”{where} phải nhỏ hơn hoặc bằng {param.maximum}.")
        return value
    if param.kind == "bool":
        if not isinstance(value, bool):
            raise wrong
        return value
    if param.kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise wrong
        return value.strip()
    if param.kind == "date":
        try:
            dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise wrong from None
        return value
    if param.kind == "choices":
        allowed = {choice for choice, _ in param.choices}
        if not isinstance(value, list) or not value or any(v not in allowed for v in value):
            raise wrong
        return list(dict.fromkeys(value))
    if param.kind == "parts":
        if not isinstance(value, list) or not value:
            raise ValidationError(f"Tham số “{name}”{where} phải là danh sách các quy tắc thành phần.")
        parts = []
        for index, part in enumerate(value, start=1):
            part_path = f"{path}.{index}" if path else str(index)
            if not isinstance(part, dict) or "rule" not in part:
                raise ValidationError(
                    f'Quy tắc thành phần {part_path} phải có dạng {{"rule": "…", "params": {{…}}}}.'
                )
            if part["rule"] == "all_of":
                raise ValidationError(f"Quy tắc thành phần {part_path} không thể lại là “all_of”.")
            parts.append(
                {
                    "rule": part["rule"],
                    "params": validate_params(part["rule"], part.get("params", {}), path=part_path),
                }
            )
        return parts
    raise wrong


def plan_facts(rule_key: str, params: dict[str, Any], context: ScoringContext, plan: FactPlan) -> None:
    """Widen `plan` with what a criterion of `rule_key` with (validated) `params` reads."""
    spec = REGISTRY[rule_key]
    plan.need(*spec.needs)
    if spec.plan is not None:
        spec.plan(params, context, plan)


def evaluate(rule_key: str, facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    return REGISTRY[rule_key].function(facts, context, params)


# ---------------------------------------------------------------- shared choices and helpers

STATUS_CHOICES = tuple(StatusKind.choices)
POINT_CHOICES = tuple(PointKind.choices)
BOARD_CHOICES = tuple(BoardKind.choices)
FILE_CHOICES = tuple(FileKind.choices)
PRESENCE_CHOICES = tuple(Presence.choices)
TREATMENT_CHOICES = tuple(TreatmentKind.choices)


@functools.lru_cache(maxsize=256)
def _joined_labels(kinds: tuple[str, ...], choices: tuple[tuple[str, str], ...]) -> str:
    labels = dict(choices)
    return ", ".join(labels.get(kind, kind).lower() for kind in kinds)


def _kinds_label(kinds: Iterable[str], choices: tuple[tuple[str, str], ...]) -> str:
    # Figures are written for every unit of a batch: the labels of a parameter list are joined once.
    return _joined_labels(tuple(kinds), choices)


# A management file of any kind; the file proposing a treatment measure is not one.
MANAGEMENT_FILE_KINDS = frozenset(FileKind.values) - {FileKind.TREATMENT}
ALL_TREATMENT_KINDS = frozenset(TreatmentKind.values)
BOARD_LABELS = dict(BoardKind.choices)


def _people(
    facts: UnitFacts, kinds: Iterable[str], presence: Iterable[str] | None = None
) -> list[PersonFacts]:
    """Persons of the unit holding one of `kinds` on the as-of date (optionally only with the
    given presence)."""
    people = facts.holding(kinds)
    if not presence:
        return people
    wanted = set(presence)
    return [p for p in people if p.presence in wanted]


def failing(model: str, pk: int, label: str, reason: str) -> FailingRecord:
    return FailingRecord(model=model, pk=pk, label=label, reason=reason)


def _person_failure(person: PersonFacts, reason: str) -> FailingRecord:
    return FailingRecord("person", person.id, person.name, reason)


def _share(done: int, total: int, what: str) -> str:
    return f"{done}/{total} {what}"


def _met_if(failures: list[FailingRecord]) -> Status:
    return Status.NOT_MET if failures else Status.MET


# ---------------------------------------------------------------- the rules


@rule(
    "no_active_drug_points",
    "Không có điểm, tụ điểm ma túy đang hoạt động",
    params={
        "kinds": ParamSpec(
            "Các loại điểm không được có", "choices", required=True, choices=tuple(PointKind.choices)
        ),
    },
    needs={"points"},
)
def no_active_drug_points(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when no point of the listed kinds was found on or before the as-of date and is not
    eliminated by then."""
    kinds = params["kinds"]
    failures = [
        failing(
            "drugpoint", p.id, p.label, f"{p.kind_label}, phát hiện {p.found_on:%d/%m/%Y}, chưa triệt xóa"
        )
        for p in facts.points
        if p.kind in kinds
    ]
    return Outcome(
        _met_if(failures),
        f"{len(failures)} điểm ({_kinds_label(kinds, POINT_CHOICES)}) chưa triệt xóa",
        failures,
    )


@rule(
    "no_active_groups",
    "Không có ổ nhóm, đường dây tội phạm ma túy hoạt động",
    needs={"groups"},
)
def no_active_groups(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when no group or network operating in the unit is still undismantled."""
    failures = [
        failing("criminalgroup", g.id, g.label, f"phát hiện {g.found_on:%d/%m/%Y}, chưa triệt phá")
        for g in facts.groups
    ]
    return Outcome(_met_if(failures), f"{len(failures)} ổ nhóm, đường dây chưa triệt phá", failures)


@rule(
    "no_persons_holding",
    "Không có người thuộc các diện trên địa bàn",
    params={
        "status_kinds": ParamSpec(
            "Diện đối tượng không được có", "choices", required=True, choices=STATUS_CHOICES
        ),
    },
    needs={"persons"},
)
def no_persons_holding(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when no person of the unit holds one of the statuses on the as-of date (Lai Châu 1: no
    "đối tượng bán lẻ trái phép chất ma túy", a person, besides the places)."""
    kinds = params["status_kinds"]
    who = _kinds_label(kinds, STATUS_CHOICES)
    failures = [
        _person_failure(p, _kinds_label([k for k in kinds if k in p.statuses], STATUS_CHOICES))
        for p in _people(facts, kinds)
    ]
    return Outcome(_met_if(failures), f"{len(failures)} {who}", failures)


@rule(
    "no_resident_offenders",
    "Không có đối tượng phạm tội về ma túy cư trú từ N ngày / N tháng",
    params={
        "min_residence_days": ParamSpec("Thời gian cư trú tối thiểu (ngày)", "int", minimum=0),
        "min_residence_months": ParamSpec("Thời gian cư trú tối thiểu (tháng)", "int", minimum=0),
        "status_kinds": ParamSpec(
            "Diện đối tượng tính là phạm tội",
            "choices",
            default=[StatusKind.OFFENDER.value],
            choices=STATUS_CHOICES,
        ),
    },
    one_of=(("min_residence_days", "min_residence_months"),),
    needs={"persons"},
)
def no_resident_offenders(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when no person holding an offender status on the as-of date has resided in the unit
    (permanently or temporarily) for the given days or months or more."""
    days, months = params.get("min_residence_days") or 0, params.get("min_residence_months") or 0
    span = f"{months:02d} tháng" if "min_residence_months" in params else f"{days} ngày"
    offenders = _people(facts, params["status_kinds"])
    failures = [
        _person_failure(p, f"phạm tội về ma túy, cư trú từ {p.resident_since:%d/%m/%Y}")
        for p in offenders
        if has_lasted(p.resident_since, context.as_of, days=days, months=months)
    ]
    return Outcome(
        _met_if(failures), f"{len(failures)} đối tượng phạm tội cư trú từ {span} trở lên", failures
    )


@rule(
    "people_filed",
    "100% người thuộc các diện có hồ sơ quản lý",
    params={
        "status_kinds": ParamSpec("Diện đối tượng", "choices", required=True, choices=STATUS_CHOICES),
        "file_kinds": ParamSpec(
            "Loại hồ sơ được tính (bỏ trống: mọi loại hồ sơ quản lý)", "choices", choices=FILE_CHOICES
        ),
        "presence": ParamSpec(
            "Chỉ tính người có tình trạng (bỏ trống: mọi tình trạng)", "choices", choices=PRESENCE_CHOICES
        ),
    },
    needs={"persons", "files"},
)
def people_filed(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when every person holding one of the statuses on the as-of date (and, if given, with
    the listed presence) has a management file open on that date, of the listed kinds."""
    people = _people(facts, params["status_kinds"], params.get("presence"))
    file_kinds = set(params.get("file_kinds") or MANAGEMENT_FILE_KINDS)
    failures = [
        _person_failure(p, "chưa có hồ sơ quản lý") for p in people if file_kinds.isdisjoint(p.file_kinds)
    ]
    who = _kinds_label(params["status_kinds"], STATUS_CHOICES)
    if params.get("presence"):
        who += " (" + _kinds_label(params["presence"], PRESENCE_CHOICES) + ")"
    return Outcome(
        _met_if(failures),
        _share(len(people) - len(failures), len(people), f"{who} có hồ sơ quản lý"),
        failures,
    )


@rule(
    "people_in_treatment",
    "100% người nghiện được áp dụng hình thức cai nghiện, điều trị phù hợp",
    params={
        "status_kinds": ParamSpec(
            "Diện đối tượng", "choices", default=[StatusKind.ADDICT.value], choices=STATUS_CHOICES
        ),
        "presence": ParamSpec(
            "Chỉ tính người có tình trạng (bỏ trống: mọi tình trạng)", "choices", choices=PRESENCE_CHOICES
        ),
        "treatment_kinds": ParamSpec(
            "Hình thức cai nghiện, điều trị được tính (bỏ trống: mọi hình thức)",
            "choices",
            choices=TREATMENT_CHOICES,
        ),
        "proposal_file_kinds": ParamSpec(
            "Cũng tính người đã được lập hồ sơ loại này (bỏ trống: chỉ tính người đang cai nghiện, điều trị)",
            "choices",
            choices=FILE_CHOICES,
        ),
    },
    needs={"persons", "treatments"},
    plan=lambda params, context, plan: plan.need("files") if params.get("proposal_file_kinds") else None,
)
def people_in_treatment(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when every such person has a treatment episode (of the listed kinds) running on the
    as-of date, or, when `proposal_file_kinds` is given, a file of those kinds open on that date
    (Lai Châu 3 "được lập hồ sơ áp dụng các hình thức cai nghiện": the file proposing the measure
    is being prepared)."""
    people = _people(facts, params["status_kinds"], params.get("presence"))
    kinds = set(params.get("treatment_kinds") or ALL_TREATMENT_KINDS)
    proposals = set(params.get("proposal_file_kinds") or ())
    if kinds >= ALL_TREATMENT_KINDS:
        untreated = [p for p in people if not p.treatments]
    else:
        untreated = [p for p in people if kinds.isdisjoint(t.kind for t in p.treatments)]
    if proposals:
        untreated = [p for p in untreated if proposals.isdisjoint(p.file_kinds)]
    failures = [_person_failure(p, "chưa áp dụng hình thức cai nghiện, điều trị") for p in untreated]
    who = _kinds_label(params["status_kinds"], STATUS_CHOICES)
    if params.get("presence"):
        who += " (" + _kinds_label(params["presence"], PRESENCE_CHOICES) + ")"
    what = "đang cai nghiện, điều trị" + (" hoặc đã được lập hồ sơ áp dụng" if proposals else "")
    return Outcome(
        _met_if(failures),
        _share(len(people) - len(failures), len(people), f"{who} {what}"),
        failures,
    )


@rule(
    "substitution_compliant",
    "Người điều trị thay thế trên N tháng không sử dụng ma túy khác, chấp hành tốt nội quy",
    params={
        "min_months": ParamSpec(
            "Số tháng điều trị (tính người đã điều trị trên số tháng này)", "int", required=True, minimum=0
        )
    },
    needs={"substitution"},
)
def substitution_compliant(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Among persons of the unit in opioid-substitution treatment on the as-of date for more than
    `min_months` months ("trên 12 tháng": not on the day the 12 months are reached): met when each
    keeps the facility rules and uses no other drug; not met when one is recorded as breaking
    either; needs evidence when compliance or other-drug use is not recorded."""
    long_term = [
        t
        for t in facts.substitution
        if has_lasted_over(t.start_date, context.as_of, months=params["min_months"])
    ]
    failures: list[FailingRecord] = []
    unknown: list[FailingRecord] = []
    for t in long_term:
        if t.complies_with_rules is False or t.uses_other_drugs is True:
            reasons = []
            if t.uses_other_drugs:
                reasons.append("sử dụng chất ma túy khác")
            if t.complies_with_rules is False:
                reasons.append("không chấp hành tốt nội quy")
            failures.append(failing("person", t.person_id, t.person_name, ", ".join(reasons)))
        elif t.complies_with_rules is None or t.uses_other_drugs is None:
            unknown.append(
                failing(
                    "person", t.person_id, t.person_name, "chưa ghi nhận việc chấp hành, sử dụng ma túy khác"
                )
            )
    good = len(long_term) - len(failures) - len(unknown)
    figures = _share(
        good,
        len(long_term),
        f"người điều trị thay thế trên {params['min_months']} tháng chấp hành tốt, không sử dụng ma túy khác",
    )
    if failures:
        return Outcome(Status.NOT_MET, figures, failures + unknown)
    if unknown:
        return Outcome(Status.NEEDS_EVIDENCE, figures, unknown)
    return Outcome(Status.MET, figures, [])


@rule(
    "household_commitments",
    "Tỷ lệ hộ gia đình ký cam kết",
    params={
        "kind": ParamSpec(
            "Loại cam kết",
            "choices",
            default=[CommitmentKind.DRUG_FREE.value],
            choices=tuple(CommitmentKind.choices),
        ),
        "min_percent": ParamSpec("Tỷ lệ tối thiểu (%)", "int", default=100, minimum=0, maximum=100),
    },
    needs={"commitments"},
)
def household_commitments(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when every village of the unit has a commitment count (the latest on or before the
    as-of date) and signed households reach `min_percent` of households, village by village."""
    kinds = set(params["kind"])
    failures: list[FailingRecord] = []
    signed = households = 0
    for village in facts.villages:
        counts = [c for c in facts.commitments.get(village.id, []) if c.kind in kinds]
        if not counts:
            failures.append(failing("area", village.id, village.name, "chưa có số liệu hộ ký cam kết"))
            continue
        for count in counts:
            signed += count.signed
            households += count.households
            if count.signed * 100 < params["min_percent"] * count.households:
                failures.append(
                    failing(
                        "area",
                        village.id,
                        village.name,
                        f"{count.signed}/{count.households} hộ ký cam kết ({count.as_of:%d/%m/%Y})",
                    )
                )
    return Outcome(_met_if(failures), _share(signed, households, "hộ gia đình đã ký cam kết"), failures)


@rule(
    "village_boards",
    "100% thôn, bản có bảng niêm yết số điện thoại đường dây nóng (hòm thư tố giác)",
    params={
        "kinds": ParamSpec(
            "Loại bảng, hòm thư phải có",
            "choices",
            default=[BoardKind.HOTLINE.value],
            choices=tuple(BoardKind.choices),
        ),
    },
    needs={"boards"},
)
def village_boards(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when every village of the unit has each listed kind installed and not removed on the
    as-of date."""
    kinds = params["kinds"]
    labels = BOARD_LABELS
    failures = []
    for village in facts.villages:
        missing = [labels[k].lower() for k in kinds if k not in facts.boards.get(village.id, set())]
        if missing:
            failures.append(failing("area", village.id, village.name, "chưa có " + ", ".join(missing)))
    total = len(facts.villages)
    return Outcome(
        _met_if(failures),
        _share(total - len(failures), total, "thôn, bản có " + _kinds_label(kinds, BOARD_CHOICES)),
        failures,
    )


@rule(
    "prevention_models",
    "Có ít nhất N mô hình phòng, chống ma túy duy trì hiệu quả",
    params={
        "min_count": ParamSpec("Số mô hình tối thiểu", "int", default=1, minimum=1),
        "require_effective": ParamSpec("Chỉ tính mô hình được đánh giá hiệu quả", "bool", default=True),
    },
    needs={"models"},
)
def prevention_models(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Models of the unit (its villages and, for a commune, the commune itself) active on the
    as-of date. Met with `min_count` counted models; when effectiveness is required, models not yet
    evaluated could make up the number: then evidence is needed."""
    need = params["min_count"]
    active = facts.models
    if params["require_effective"]:
        effective = [m for m in active if m.evaluated_effective is True]
        unevaluated = [m for m in active if m.evaluated_effective is None]
    else:
        effective, unevaluated = list(active), []
    quality = " hiệu quả" if params["require_effective"] else ""
    figures = f"{len(effective)} mô hình đang duy trì{quality} (cần ít nhất {need})"
    if len(effective) >= need:
        return Outcome(Status.MET, figures, [])
    if len(effective) + len(unevaluated) >= need:
        return Outcome(
            Status.NEEDS_EVIDENCE,
            figures,
            [failing("preventionmodel", m.id, m.name, "chưa đánh giá hiệu quả") for m in unevaluated],
        )
    failures = [
        failing("preventionmodel", m.id, m.name, "được đánh giá chưa hiệu quả")
        for m in active
        if m.evaluated_effective is False
    ]
    if not failures:
        failures = [failing("area", facts.area_id, facts.area_name, f"chưa đủ {need} mô hình đang duy trì")]
    return Outcome(Status.NOT_MET, figures, failures)


def _plan_window(params: dict[str, Any], context: ScoringContext, plan: FactPlan) -> None:
    plan.look_back_to(window_start(context.as_of, params))


@rule(
    "no_cultivation",
    "Không có trồng cây có chứa chất ma túy",
    params={
        "since": ParamSpec("Tính từ ngày (bỏ trống cả hai: không giới hạn thời gian)", "date"),
        "lookback_days": ParamSpec(
            "Tính trong số ngày trước ngày xét (bỏ trống cả hai: không giới hạn thời gian)", "int", minimum=1
        ),
        "plants": ParamSpec("Loại cây (bỏ trống: mọi loại)", "choices", choices=tuple(Plant.choices)),
    },
    at_most_one=(("since", "lookback_days"),),
    needs={"cultivation"},
    plan=_plan_window,
)
def no_cultivation(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when no cultivation was found in the unit up to the as-of date: from the start date
    (`since`, or `lookback_days` before the as-of date) when the criterion states one, both days
    included; ever, when it states none."""
    start = window_start(context.as_of, params)
    plants = set(params.get("plants") or [])
    failures = [
        failing("cultivationincident", c.id, c.label, f"phát hiện {c.found_on:%d/%m/%Y}")
        for c in facts.cultivation
        if start <= c.found_on <= context.as_of and (not plants or c.plant in plants)
    ]
    return Outcome(
        _met_if(failures), f"{len(failures)} vụ trồng cây có chứa chất ma túy{_from(start)}", failures
    )


def window_start(as_of: dt.date, params: dict[str, Any]) -> dt.date:
    """The first day a windowed rule looks at: `since`, or `lookback_days` before the as-of date;
    FROM_THE_START when the criterion states no window."""
    if params.get("since"):
        return dt.date.fromisoformat(params["since"])
    if params.get("lookback_days"):
        return as_of - dt.timedelta(days=params["lookback_days"])
    return FROM_THE_START


def _from(start: dt.date) -> str:
    return "" if start == FROM_THE_START else f" từ {start:%d/%m/%Y}"


@rule(
    "fewer_addicts_than",
    "Tổng số người nghiện ngoài cộng đồng dưới N người",
    params={
        "fewer_than": ParamSpec("Số người nghiện phải ít hơn", "int", required=True, minimum=1),
        "presence": ParamSpec(
            "Tính người có tình trạng", "choices", default=[Presence.PRESENT.value], choices=PRESENCE_CHOICES
        ),
    },
    needs={"persons"},
)
def fewer_addicts_than(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when fewer than `fewer_than` addicts of the unit are in the community (present) on the
    as-of date; when not met, every one of them is listed."""
    addicts = _people(facts, [StatusKind.ADDICT], params["presence"])
    limit = params["fewer_than"]
    failures = (
        [] if len(addicts) < limit else [_person_failure(p, "người nghiện ngoài cộng đồng") for p in addicts]
    )
    return Outcome(
        _met_if(failures), f"{len(addicts)} người nghiện ngoài cộng đồng (phải dưới {limit})", failures
    )


def _plan_recent_tests(params: dict[str, Any], context: ScoringContext, plan: FactPlan) -> None:
    reference = context.reference_date
    plan.read_tests(reference - dt.timedelta(days=params["within_days"]), reference)


@rule(
    "tested_within_days",
    "Có kết quả xét nghiệm (âm tính) trong N ngày trước ngày đề nghị",
    params={
        "status_kinds": ParamSpec("Diện đối tượng", "choices", required=True, choices=STATUS_CHOICES),
        "within_days": ParamSpec("Số ngày trước ngày đề nghị", "int", required=True, minimum=0),
        "require_negative": ParamSpec("Kết quả phải âm tính", "bool", default=True),
        "presence": ParamSpec(
            "Chỉ tính người có tình trạng (bỏ trống: mọi tình trạng)", "choices", choices=PRESENCE_CHOICES
        ),
    },
    needs={"persons", "recent_tests"},
    plan=_plan_recent_tests,
)
def tested_within_days(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when every such person was tested between `within_days` days before the proposal date
    (the as-of date when there is none) and that date, both included, and — when a negative result
    is required — the latest of those tests is negative."""
    people = _people(facts, params["status_kinds"], params.get("presence"))
    reference = context.reference_date
    earliest = reference - dt.timedelta(days=params["within_days"])
    failures = []
    for p in people:
        test = p.latest_test
        if test is None or not earliest <= test[0] <= reference:
            failures.append(_person_failure(p, f"chưa xét nghiệm trong {params['within_days']} ngày"))
        elif params["require_negative"] and test[1] != TestResult.NEGATIVE:
            failures.append(_person_failure(p, f"xét nghiệm ngày {test[0]:%d/%m/%Y} dương tính"))
    what = "âm tính" if params["require_negative"] else "được xét nghiệm"
    who = _kinds_label(params["status_kinds"], STATUS_CHOICES)
    return Outcome(
        _met_if(failures),
        _share(
            len(people) - len(failures),
            len(people),
            f"{who} {what} trong {params['within_days']} ngày trước {reference:%d/%m/%Y}",
        ),
        failures,
    )


@rule(
    "suspected_tested",
    "100% người thuộc diện (mặc định: có căn cứ nghi sử dụng) được xét nghiệm kể từ ngày được ghi nhận",
    params={
        "status_kinds": ParamSpec(
            "Diện đối tượng", "choices", default=[StatusKind.SUSPECTED.value], choices=STATUS_CHOICES
        ),
    },
    needs={"persons", "last_test"},
    plan=lambda params, context, plan: plan.read_last_test(params["status_kinds"]),
)
def suspected_tested(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when every person holding one of the statuses on the as-of date (by default: suspected
    of use) was tested on or after the day that status was recorded (and not after the as-of
    date). For post-rehab persons "định kỳ, đột xuất phải được xét nghiệm" states no period: this
    is what the registers can check without inventing one."""
    kinds = params["status_kinds"]
    people = _people(facts, kinds)
    failures = []
    for p in people:
        since = min(p.statuses[k] for k in kinds if k in p.statuses)
        if p.last_test_on is None or p.last_test_on < since:
            failures.append(_person_failure(p, f"chưa xét nghiệm từ ngày {since:%d/%m/%Y}"))
    return Outcome(
        _met_if(failures),
        _share(
            len(people) - len(failures),
            len(people),
            f"{_kinds_label(kinds, STATUS_CHOICES)} đã xét nghiệm kể từ ngày được ghi nhận",
        ),
        failures,
    )


@rule(
    "below_baseline",
    "Tổng số người nghiện, người sử dụng giảm so với khi đăng ký xây dựng",
    params={
        "status_kinds": ParamSpec(
            "Diện đối tượng được cộng",
            "choices",
            default=[StatusKind.ADDICT.value, StatusKind.USER.value],
            choices=STATUS_CHOICES,
        ),
    },
    needs={"persons", "baseline"},
)
def below_baseline(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when the number of persons holding one of the statuses on the as-of date is lower than
    the count frozen at registration (or is zero). Without a registration baseline the registers
    cannot decide: evidence is needed."""
    current = len(_people(facts, params["status_kinds"]))
    if facts.baseline is None:
        return Outcome(
            Status.NEEDS_EVIDENCE, f"{current} người hiện nay; chưa có số liệu khi đăng ký xây dựng", []
        )
    figures = f"{current} người hiện nay / {facts.baseline.count} người khi đăng ký ({facts.baseline.registered_on:%d/%m/%Y})"
    if current == 0 or current < facts.baseline.count:
        return Outcome(Status.MET, figures, [])
    people = _people(facts, params["status_kinds"])
    return Outcome(
        Status.NOT_MET, figures, [_person_failure(p, "chưa giảm so với khi đăng ký") for p in people]
    )


@rule(
    "no_serious_case_by_users",
    "Không có vụ việc, vụ án nghiêm trọng do người nghiện, người sử dụng, người loạn thần gây ra",
    params={
        "severities": ParamSpec(
            "Mức độ vụ việc",
            "choices",
            default=[Severity.VERY_SERIOUS.value, Severity.PARTICULARLY_SERIOUS.value],
            choices=tuple(Severity.choices),
        ),
        "status_kinds": ParamSpec(
            "Diện người gây ra",
            "choices",
            default=[StatusKind.ADDICT.value, StatusKind.USER.value, StatusKind.PSYCHOSIS.value],
            choices=STATUS_CHOICES,
        ),
        "since": ParamSpec("Tính từ ngày (bỏ trống cả hai: không giới hạn thời gian)", "date"),
        "lookback_days": ParamSpec(
            "Tính trong số ngày trước ngày xét (bỏ trống cả hai: không giới hạn thời gian)", "int", minimum=1
        ),
    },
    at_most_one=(("since", "lookback_days"),),
    needs={"cases"},
    plan=_plan_window,
)
def no_serious_case_by_users(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Met when no case of the listed severities occurred up to the as-of date (from the start
    date when the criterion states one) involving a resident of the unit who held one of the
    statuses on the day of the case."""
    start = window_start(context.as_of, params)
    severities, kinds = set(params["severities"]), set(params["status_kinds"])
    failures: dict[int, FailingRecord] = {}
    for case in facts.cases:
        if (
            case.severity in severities
            and start <= case.occurred_on <= context.as_of
            and kinds & case.person_kinds_on_date
        ):
            failures[case.id] = failing(
                "drugcase", case.id, case.label, f"xảy ra {case.occurred_on:%d/%m/%Y}"
            )
    return Outcome(
        _met_if(list(failures.values())),
        f"{len(failures)} vụ việc, vụ án nghiêm trọng{_from(start)}",
        list(failures.values()),
    )


@rule(
    "attested_only",
    "Nội dung sổ theo dõi không xác định được — cần minh chứng",
    params={"subject": ParamSpec("Nội dung cần minh chứng", "text", required=True)},
)
def attested_only(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Always needs evidence: an uploaded document and a named officer's attestation."""
    return Outcome(Status.NEEDS_EVIDENCE, f"Cần minh chứng: {params['subject']}", [])


def _plan_parts(params: dict[str, Any], context: ScoringContext, plan: FactPlan) -> None:
    for part in params["parts"]:
        plan_facts(part["rule"], part["params"], context, plan)


@rule(
    "all_of",
    "Kết hợp nhiều quy tắc (tất cả phải đạt)",
    params={
        "parts": ParamSpec('Các quy tắc thành phần: [{"rule": …, "params": {…}}]', "parts", required=True)
    },
    plan=_plan_parts,
)
def all_of(facts: UnitFacts, context: ScoringContext, params: dict[str, Any]) -> Outcome:
    """Not met if any part is not met; else needs evidence if any part does; else met. Figures and
    failing records of every part are kept."""
    outcomes = [evaluate(part["rule"], facts, context, part["params"]) for part in params["parts"]]
    statuses = {o.status for o in outcomes}
    status = (
        Status.NOT_MET
        if Status.NOT_MET in statuses
        else Status.NEEDS_EVIDENCE
        if Status.NEEDS_EVIDENCE in statuses
        else Status.MET
    )
    failures: dict[tuple[str, int, str], FailingRecord] = {}
    for o in outcomes:
        for record in o.failing:
            failures.setdefault((record.model, record.pk, record.reason), record)
    return Outcome(status, "; ".join(o.figures for o in outcomes if o.figures), list(failures.values()))
