"""Bar charts as inline SVG, drawn on the server: the site works offline and without JS."""
from __future__ import annotations

from html import escape

from markupsafe import Markup

# Colour-blind-safe (Okabe-Ito), with grey kept for "others".
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
OTHERS = "#999999"
# Axis labels: 12 px text; a digit or hyphen is at most 8 px wide in the fonts the CSS names
# or a browser puts in their place (Helvetica, Arial: 0.56 em; DejaVu Sans: 0.64 em), and two
# labels keep at least LABEL_GAP px between them.
LABEL_CHAR_PX = 8
LABEL_GAP = 10
# Months between two month labels, tried in turn; beyond the last, the axis names years.
MONTH_STEPS = (1, 2, 3, 4, 6)
# Years between two year labels, tried in turn (a label on every 1st, 2nd, 5th... year).
YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)


def _nice_max(n: int) -> int:
    """A round axis maximum at or above n, so the gridlines fall on readable numbers."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if n <= step * 4:
            return step * 4
    return n


def month_range(months: list[str]) -> list[str]:
    """Every month from the first to the last, so a quiet month shows as a gap, not nothing."""
    valid = sorted(m for m in months if len(m) == 7 and m[:4].isdigit() and m[5:].isdigit())
    if not valid:
        return sorted(months)
    year, month = int(valid[0][:4]), int(valid[0][5:])
    out = []
    while f"{year:04d}-{month:02d}" <= valid[-1] and len(out) < 1200:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def stacked_bars(
    months: list[str],
    names: list[str],
    cells: dict[tuple[str, str], int],
    title: str,
    width: int = 760,
    height: int = 240,
) -> Markup:
    """Quotes per month, one stacked bar a month, one colour a series, with a legend.

    Every bar has a <title> so hovering shows the exact counts.
    """
    if not months:
        return Markup(f'<p class="quotes-chart-empty">{escape(title)}: no dated quotes yet.</p>')
    months = month_range(months)
    colours = {
        name: OTHERS if name == "others" else PALETTE[i % len(PALETTE)] for i, name in enumerate(names)
    }
    totals = {m: sum(cells.get((m, name), 0) for name in names) for m in months}
    top = _nice_max(max(totals.values()))
    left, right, top_pad, bottom = 36, 8, 12, 38
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    slot = plot_w / len(months)
    bar_w = max(2.0, min(48.0, slot * 0.7))
    parts = [
        f'<svg class="quotes-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        value = top * i // 4
        y = top_pad + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{value}</text>')
    last_end = float("-inf")
    for i, label in axis_labels(months, slot):
        centre = left + slot * i + slot / 2
        half = _label_px(label) / 2
        # kept inside the drawing: the first and last labels would be cut at its edges
        x = min(max(centre, half + 1), width - half - 1)
        if x - half < last_end + LABEL_GAP:  # a label pushed in from the edge onto its neighbour
            continue
        last_end = x + half
        parts.append(
            f'<text x="{x:.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" class="axis">{escape(label)}</text>'
        )
        parts.append(f'<line x1="{centre:.1f}" x2="{centre:.1f}" y1="{top_pad + plot_h}" '
                     f'y2="{top_pad + plot_h + 4}" class="tick"/>')
    for i, month in enumerate(months):
        x = left + slot * i + (slot - bar_w) / 2
        y = top_pad + plot_h
        for name in names:
            n = cells.get((month, name), 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colours[name]}">'
                f"<title>{escape(month)} \u00b7 {escape(name)}: {n}</title></rect>"
            )
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch" style="background:{colours[name]}"></span>{escape(name)}</li>'
        for name in names
    ) if len(names) > 1 else ""
    return Markup(
        f'<figure class="quotes-figure"><figcaption>{escape(title)}</figcaption>{"".join(parts)}'
        f'<ul class="quotes-legend">{legend}</ul></figure>'
    )


def _label_px(label: str) -> int:
    return len(label) * LABEL_CHAR_PX


def axis_labels(months: list[str], slot: float) -> list[tuple[int, str]]:
    """(index, text) of the months to label, spaced so no two labels touch.

    Months ("2024-03") every 1, 2, 3, 4 or 6 months, on months that divide the year
    evenly (January, April, July...), when that fits; otherwise years ("2024") on
    their Januaries, every 1, 2, 5, 10... years. Labels are measured at LABEL_CHAR_PX
    a character, so the spacing holds for any number of months.
    """
    dated = [(i, m) for i, m in enumerate(months) if len(m) == 7 and m[4] == "-" and m[5:].isdigit()]
    if len(dated) != len(months):  # not months: label them all, thinned by width alone
        step = max(1, int((max(map(_label_px, months), default=0) + LABEL_GAP) // slot) + 1)
        return [(i, m) for i, m in enumerate(months) if i % step == 0]
    for step in MONTH_STEPS:
        if slot * step >= _label_px("2024-01") + LABEL_GAP:
            picked = [(i, m) for i, m in dated if (int(m[5:]) - 1) % step == 0]
            if len(picked) >= 2 or step == 1:
                return picked
    for step in YEAR_STEPS:
        if slot * 12 * step >= _label_px("2024") + LABEL_GAP:
            years = [(i, m[:4]) for i, m in dated if m[5:] == "01" and int(m[:4]) % step == 0]
            first = years[0][0] if years else len(months)
            if first * slot >= _label_px("2024") + LABEL_GAP:  # room for the first year's own label
                years.insert(0, (0, dated[0][1][:4]))
            return years
    return [(0, dated[0][1][:4])]


def bars(series: list[dict], title: str, name: str = "quotes", height: int = 240) -> Markup:
    """A single series of {"month", "n"} rows."""
    months = [r["month"] for r in series]
    cells = {(r["month"], name): r["n"] for r in series}
    return stacked_bars(months, [name], cells, title, height=height)
