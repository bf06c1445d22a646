"""Charts drawn by the app itself as inline SVG (no chart library, nothing from a CDN).

Each function takes plain numbers and returns safe SVG markup for a template; labels are
escaped. Colours follow the app's palette; every chart carries a <title> for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .formatting import vn_number

PRIMARY = "#0b4f8a"
TARGET = "#f0ad4e"
OK = "#198754"
GREY = "#dee2e6"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    target: float | None = None
    note: str = ""


def progress_bars(
    bars: list[Bar], *, title: str, maximum: float = 100.0, unit: str = " %", legend: bool = True
) -> SafeString:
    """Horizontal bars (actual) with a marker at the target, one row per item."""
    row, label_w, bar_w, pad, note_w = 34, 260, 420, 8, 240
    height = row * len(bars) + (30 if legend else 6)
    width = label_w + bar_w + note_w
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'class="chart w-100" style="max-width:{width}px">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = i * row + pad
        share = max(0.0, min(bar.value / maximum, 1.0)) if maximum else 0.0
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="13" fill="#212529">{escape(bar.label[:42])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="20" fill="{GREY}" rx="3"/>'
            f'<rect x="{label_w}" y="{y}" width="{bar_w * share:.1f}" height="20" '
            f'fill="{OK if bar.target is not None and bar.value >= bar.target else PRIMARY}" rx="3"/>'
        )
        if bar.target is not None:
            tx = label_w + bar_w * max(0.0, min(bar.target / maximum, 1.0))
            parts.append(
                f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y - 3}" y2="{y + 23}" stroke="{TARGET}" stroke-width="3">'
                f"<title>Chỉ tiêu {escape(vn_number(bar.target))}{unit}</title></line>"
            )
        parts.append(
            f'<text x="{label_w + bar_w + 8}" y="{y + 15}" font-size="13" fill="#212529">'
            f"{escape(bar.note or vn_number(bar.value) + unit)}</text>"
        )
    legend_y = len(bars) * row + 22
    if legend:
        parts.append(
            f'<rect x="{label_w}" y="{legend_y - 10}" width="12" height="12" fill="{PRIMARY}"/>'
            f'<text x="{label_w + 16}" y="{legend_y}" font-size="12">Đạt được</text>'
            f'<rect x="{label_w + 90}" y="{legend_y - 10}" width="4" height="12" fill="{TARGET}"/>'
            f'<text x="{label_w + 100}" y="{legend_y}" font-size="12">Chỉ tiêu</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def column_pairs(groups: list[tuple[str, float, float]], *, title: str) -> SafeString:
    """Grouped columns: for each label, the registered target beside the achieved value (%)."""
    col, gap, chart_h, left = 22, 26, 180, 36
    width = max(left + len(groups) * (2 * col + gap) + 20, 480)
    maximum = max([100.0] + [max(a, b) for _l, a, b in groups])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {chart_h + 60}" '
        f'class="chart w-100" style="max-width:{width}px">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 25, 50, 75, 100):
        y = 10 + chart_h - chart_h * tick / maximum
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GREY}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{tick}%</text>'
        )
    for i, (label, target, achieved) in enumerate(groups):
        x = left + 10 + i * (2 * col + gap)
        for j, (value, colour, name) in enumerate(
            ((target, TARGET, "Chỉ tiêu"), (achieved, PRIMARY, "Đạt được"))
        ):
            h = chart_h * value / maximum
            parts.append(
                f'<rect x="{x + j * col}" y="{10 + chart_h - h:.1f}" width="{col - 2}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(label)} — {name}: {escape(vn_number(value))} %</title></rect>"
            )
        parts.append(
            f'<text x="{x + col}" y="{chart_h + 26}" font-size="12" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append(
        f'<rect x="{left}" y="{chart_h + 40}" width="12" height="12" fill="{TARGET}"/>'
        f'<text x="{left + 16}" y="{chart_h + 50}" font-size="12">Chỉ tiêu đăng ký</text>'
        f'<rect x="{left + 130}" y="{chart_h + 40}" width="12" height="12" fill="{PRIMARY}"/>'
        f'<text x="{left + 146}" y="{chart_h + 50}" font-size="12">Đạt được</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def state_bars(states: list[tuple[str, str, int]], *, title: str) -> SafeString:
    """Dossiers by state, as bars scaled to the largest count."""
    top = max([n for _s, _l, n in states] + [1])
    return progress_bars(
        [Bar(label, n, note=str(n)) for _s, label, n in states],
        title=title,
        maximum=top,
        unit="",
        legend=False,
    )
