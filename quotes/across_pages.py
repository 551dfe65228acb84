"""What the pages show across articles: a quote cluster's page, a speaker's aliases, a quote's cluster.

Every function takes a sqlite3 connection and runs in one of Datasette's threads
(db.execute_fn). Each list is cut at a limit of its own and reads through an index on
cluster_id or speaker_id, so a page costs what its cluster or speaker holds, never what
the database holds; and every text from the database reaches HTML escaped.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
from html import escape

from markupsafe import Markup

from . import clusters

# Sightings listed on a cluster's page (oldest first); all of them are a table away.
CLUSTER_PAGE_SIGHTINGS = 200
# (outlet, date) points drawn on the timeline, and (outlet, speaker) rows listed.
TIMELINE_POINTS = 2_000
SPEAKER_ROWS = 200
# Outlets given a row of their own on the timeline; the rest share one ("other outlets").
TIMELINE_OUTLETS = 12
# Wordings shown diffed against the fullest one.
CLUSTER_PAGE_VARIANTS = 20
# Characters of a wording shown and diffed (a quote a megabyte long is shown cut).
VARIANT_CHARS = 2_000
# Aliases listed on a speaker's page, and the count of quotes under each is cut here.
SPEAKER_ALIASES = 100
ALIAS_COUNT_CAP = 1_000
NO_OUTLET = "(no outlet)"


def _rows(conn, sql: str, params) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


_DATE = "substr(coalesce(q.date, a.published), 1, 10)"

_CLUSTER = """select c.id, substr(c.text, 1, :chars) as text, length(c.text) as text_length, c.quotes, c.sightings,
  c.outlets, c.speakers, c.first_seen_date, c.first_seen_article_id, c.first_seen_quote_id, c.first_seen_outlet_id,
  o.name as first_seen_outlet, a.title as first_seen_title, s.name as first_seen_speaker, q.speaker_id as first_seen_speaker_id,
  substr(q.text, 1, :chars) as first_seen_text
from clusters c left join outlets o on o.id = c.first_seen_outlet_id
left join articles a on a.id = c.first_seen_article_id
left join quotes q on q.id = c.first_seen_quote_id left join speakers s on s.id = q.speaker_id
where c.id = :id"""


def cluster_page(conn, cluster_id: int) -> dict | None:
    """The context of /-/cluster/<id>: first seen, the sightings by date, a timeline by
    outlet, the wordings diffed against the first reported one, and the speakers each
    outlet gave (flagged when they differ). None when there is no such cluster."""
    found = _rows(conn, _CLUSTER, {"id": cluster_id, "chars": VARIANT_CHARS})
    if not found:
        return None
    c = found[0]
    c["first_seen_text"] = c["first_seen_text"] or c["text"]
    sightings = _rows(conn, f"""select q.id, substr(q.text, 1, {VARIANT_CHARS}) as text, q.kind, q.corrected,
  {_DATE} as date, q.article_id, a.title as article_title, a.outlet_id, o.name as outlet,
  q.speaker_id, s.name as speaker, q.speaker_mention
from quotes q join articles a on a.id = q.article_id left join outlets o on o.id = a.outlet_id
left join speakers s on s.id = q.speaker_id
where q.cluster_id = ? order by {_DATE} is null, {_DATE}, q.article_id, q.start, q.id limit ?""",
                      [cluster_id, CLUSTER_PAGE_SIGHTINGS])
    points = _rows(conn, f"""select a.outlet_id, o.name as outlet, {_DATE} as date, count(*) as n
from quotes q join articles a on a.id = q.article_id left join outlets o on o.id = a.outlet_id
where q.cluster_id = ? group by a.outlet_id, {_DATE} order by {_DATE} is null, {_DATE} limit ?""",
                   [cluster_id, TIMELINE_POINTS])
    speakers = _rows(conn, f"""select a.outlet_id, o.name as outlet, q.speaker_id, s.name as speaker, count(*) as n,
  min({_DATE}) as first_date, max(q.corrected) as corrected
from quotes q join articles a on a.id = q.article_id left join outlets o on o.id = a.outlet_id
left join speakers s on s.id = q.speaker_id
where q.cluster_id = ? group by a.outlet_id, q.speaker_id
order by first_date is null, first_date, o.name, s.name limit ?""", [cluster_id, SPEAKER_ROWS])
    reference = _reference_speaker(c, speakers)
    named = {r["speaker_id"] for r in speakers if r["speaker_id"] is not None}
    for r in speakers:
        r["differs"] = len(named) > 1 and r["speaker_id"] is not None and r["speaker_id"] != reference
    return {
        "c": c, "sightings": sightings, "sightings_cut": c["quotes"] > len(sightings),
        "timeline": timeline(points, f"Sightings of cluster {cluster_id} by outlet"),
        "undated": sum(p["n"] for p in points if not p["date"]),
        "variants": cluster_variants(conn, cluster_id, c["first_seen_text"]),
        "speakers_by_outlet": speakers, "misattributed": len(named) > 1,
        "reference_speaker": reference,
        "limits": {"sightings": CLUSTER_PAGE_SIGHTINGS, "variants": CLUSTER_PAGE_VARIANTS,
                   "speakers": SPEAKER_ROWS},
    }


def _reference_speaker(c: dict, speakers: list[dict]) -> int | None:
    """Whom the other attributions are compared with: the first report's speaker, else the
    speaker most outlets gave."""
    if c["first_seen_speaker_id"] is not None:
        return c["first_seen_speaker_id"]
    votes: dict[int, int] = {}
    for r in speakers:
        if r["speaker_id"] is not None:
            votes[r["speaker_id"]] = votes.get(r["speaker_id"], 0) + 1
    return min(votes, key=lambda s: (-votes[s], s)) if votes else None


def cluster_variants(conn, cluster_id: int, reference: str) -> list[dict]:
    """Each wording of the cluster other than `reference` (the first reported), most sighted
    first, with how it stands to it (a part of it, fuller, reworded), where it was seen, and
    a word diff: how the words changed as the quote spread."""
    rows = _rows(conn, f"""select substr(q.text, 1, {VARIANT_CHARS}) as text, count(distinct q.article_id) as sightings,
  json_group_array(distinct o.name) as outlets, min(q.id) as quote_id
from quotes q join articles a on a.id = q.article_id left join outlets o on o.id = a.outlet_id
where q.cluster_id = ? group by q.text order by sightings desc, min(q.id) limit ?""",
                   [cluster_id, CLUSTER_PAGE_VARIANTS + 1])
    first = clusters.words(reference)
    out = []
    for r in rows:
        ws = clusters.words(r["text"])
        if ws == first:
            continue
        r["relation"] = clusters.relation(ws, first) or "variant"
        r["diff_html"] = word_diff_html(reference, r["text"])
        r["outlets"] = sorted(name for name in json.loads(r["outlets"] or "[]") if name is not None)
        out.append(r)
    return out[:CLUSTER_PAGE_VARIANTS]


def word_diff_html(old: str, new: str) -> Markup:
    """`new` against `old`, word by word: words `new` leaves out in <del>, words it puts in
    in <ins>, every word escaped. Case alone is no change, as for clustering."""
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, [w.lower() for w in a], [w.lower() for w in b],
                                                      autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(b[j1:j2])))
        if op in ("delete", "replace"):
            out.append(f'<del title="left out">{escape(" ".join(a[i1:i2]))}</del>')
        if op in ("insert", "replace"):
            out.append(f'<ins title="put in">{escape(" ".join(b[j1:j2]))}</ins>')
    return Markup(" ".join(out))


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def timeline(points: list[dict], title: str, width: int = 760) -> Markup:
    """The sightings as dots on a date axis, one row an outlet in the order each first
    reported the quote (the first TIMELINE_OUTLETS; later ones share a row), each dot
    with a <title> giving the date, outlet and count. Undated sightings are not drawn."""
    dated = [(p, _day(p["date"])) for p in points]
    dated = [(p, d) for p, d in dated if d is not None]
    if not dated:
        return Markup(f'<p class="quotes-chart-empty">{escape(title)}: no dated sightings.</p>')
    order: list = []
    for p, _ in dated:
        if p["outlet_id"] not in order:
            order.append(p["outlet_id"])
    shown = order[:TIMELINE_OUTLETS]
    names = {p["outlet_id"]: p["outlet"] or NO_OUTLET for p, _ in dated}
    rows = [names[o] for o in shown] + (["other outlets"] if len(order) > len(shown) else [])
    first, last = min(d for _, d in dated), max(d for _, d in dated)
    span = max((last - first).days, 1)
    left, right, top, row_h, bottom = 150, 20, 10, 26, 34
    plot_w = width - left - right
    height = top + row_h * len(rows) + bottom
    parts = [f'<svg class="quotes-chart cluster-timeline" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">', f"<title>{escape(title)}</title>"]
    for i, name in enumerate(rows):
        y = top + row_h * i + row_h / 2
        label = name if len(name) <= 20 else name[:19] + "\u2026"
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" class="axis">{escape(label)}</text>')
    base = top + row_h * len(rows)
    ticks = [first, last] if first != last else [first]
    for k, day in enumerate(ticks):
        x = left + plot_w * (day - first).days / span if first != last else left + plot_w / 2
        anchor = "start" if k == 0 and len(ticks) > 1 else ("end" if len(ticks) > 1 else "middle")
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{base}" y2="{base + 5}" class="tick"/>')
        parts.append(f'<text x="{x:.1f}" y="{base + 20}" text-anchor="{anchor}" class="axis">{day.isoformat()}</text>')
    for p, day in dated:
        i = shown.index(p["outlet_id"]) if p["outlet_id"] in shown else len(shown)
        x = left + plot_w * (day - first).days / span if first != last else left + plot_w / 2
        y = top + row_h * i + row_h / 2
        r = min(4 + 2 * (p["n"] - 1), 10)
        what = f'{day.isoformat()}, {p["outlet"] or NO_OUTLET}: {p["n"]} sighting{"s" if p["n"] != 1 else ""}'
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="#0072B2"><title>{escape(what)}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))


def quote_cluster(conn, quote_id: int) -> dict:
    """For a quote's page: its cluster (how many articles and outlets reported it), or why
    it has none, and whether a correction touched it."""
    row = _rows(conn, f"""select q.corrected, c.id as cluster_id, c.sightings, c.outlets, c.speakers,
  substr(q.text, 1, {VARIANT_CHARS}) as text
from quotes q left join clusters c on c.id = q.cluster_id where q.id = ?""", [quote_id])
    cluster = row[0] if row and row[0]["cluster_id"] is not None else None
    short = bool(row) and len(clusters.words(row[0]["text"] or "")) < clusters.MIN_CLUSTER_WORDS
    return {"cluster": cluster, "corrected": bool(row and row[0]["corrected"]),
            "cluster_note": None if cluster else (
                f"too short to follow across articles (under {clusters.MIN_CLUSTER_WORDS} words)" if short
                else "not clustered yet (quotes relink clusters a whole database)")}


def speaker_aliases(conn, speaker_id: int) -> dict:
    """For a speaker's page: the names linked to this speaker, each with the reason the link
    was made, whether it was made by hand, and how many quotes were given under it (counted
    up to ALIAS_COUNT_CAP); and whether a correction touched the speaker."""
    aliases = _rows(conn, f"""select a.name, a.reason, a.corrected,
  (select count(*) from (select 1 from quotes where speaker_name = a.name and speaker_id = a.speaker_id
   limit {ALIAS_COUNT_CAP + 1})) as quotes
from speaker_aliases a join speakers s on s.id = a.speaker_id where a.speaker_id = ?
order by a.name = s.name desc, a.name limit ?""", [speaker_id, SPEAKER_ALIASES + 1])
    corrected = conn.execute("select corrected from speakers where id = ?", [speaker_id]).fetchone()
    return {"aliases": aliases[:SPEAKER_ALIASES], "aliases_cut": len(aliases) > SPEAKER_ALIASES,
            "alias_count_cap": ALIAS_COUNT_CAP, "speaker_corrected": bool(corrected and corrected[0])}
