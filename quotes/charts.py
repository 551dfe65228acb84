"""Bar charts as inline SVG, drawn on the server: the site works offline and without JS."""
from __future__ import annotations

from html import escape

from markupsafe import Markup

# Colour-blind-safe (Okabe-Ito), with grey kept for "others".
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
OTHERS = "#999999"


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
    label_every = max(1, round(len(months) / 12))
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
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" '
                f'class="axis">{escape(month)}</text>'
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


def bars(series: list[dict], title: str, name: str = "quotes", height: int = 240) -> Markup:
    """A single series of {"month", "n"} rows."""
    months = [r["month"] for r in series]
    cells = {(r["month"], name): r["n"] for r in series}
    return stacked_bars(months, [name], cells, title, height=height)
