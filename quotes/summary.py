"""Counts read from the summary table quote_counts, so no page scans the quotes.

quote_counts (store.COUNTED_PAIRS, kept by triggers) holds the quotes of each speaker per
kind, month, outlet, speaker type, venue, addressee and role, and of each outlet per kind,
month, speaker type, venue and addressee; quote_kind_counts (store.KIND_PAIRS) the same per
kind, for a page that selects one kind; quote_venue_counts (store.VENUE_PAIRS) the quotes of
each venue and kind, and of each speaker and outlet of them, for a page that selects one venue.
A facet of All quotes, the database page's charts and a speaker's page are sums of a few
thousand of its rows, whatever the number of quotes: these functions are those sums.
A quote with no speaker (or no outlet) is counted under store.NO_ID.
"""
from __future__ import annotations

import json

from .store import NO_ID

MISSING = {"speaker": "(unresolved)", "outlet": "(no outlet)"}
# Columns whose values are counted per speaker (and "month" per outlet too).
VALUE_COLUMNS = ("kind", "month", "speaker_type", "venue", "addressee", "role")
# ...and per outlet (role is counted per speaker only).
OUTLET_COLUMNS = ("kind", "month", "speaker_type", "venue", "addressee")
# Columns of quotes not in quote_counts whose facets are counted on the table itself, through
# an index that holds only their non-null values' part to read (a view's count would join
# every row); SELECTABLE_DIRECT ones also per speaker, per outlet and per kind (store
# migrations 008, 010 and 011).
DIRECT_COLUMNS = ("seen_in_outlets", "date")
SELECTABLE_DIRECT = ("seen_in_outlets", "date")


def _rows(conn, sql: str, params) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


# The columns quote_venue_counts counts (store.VENUE_PAIRS): over a venue's quotes, and per
# speaker or outlet of them; the first of each is counted for every quote (NO_ID for none).
VENUE_FACETS = {None: ("speaker_id", "outlet_id", "speaker_type", "addressee", "month"),
                "speaker_id": ("outlet_id", "speaker_type", "addressee", "month"),
                "outlet_id": ("speaker_id", "speaker_type", "addressee", "month")}


def _parts(selection) -> tuple[str | None, int | None, str | None, str | None]:
    """A selection as (by, by_value, kind, venue): None (all quotes), (by, id) for one speaker
    or outlet, (by, id, kind) with by and id None for one kind alone, and a fourth part, a
    venue, for the quotes of one venue of any of these."""
    if selection is None:
        return None, None, None, None
    by, by_value, *rest = selection
    rest += [None] * (2 - len(rest))
    return by, by_value, rest[0], rest[1]


def facet_sql(column: str, selection) -> tuple[str, dict] | None:
    """SQL giving (value, count) for a column of quotes, over all quotes (`selection` None) or
    those of one speaker (("speaker_id", id)) or one outlet (("outlet_id", id)), or of one kind
    ((None, None, kind)) or one kind of one speaker or outlet ((by, id, kind)); None when the
    summary tables cannot answer it. `column` is speaker_id, outlet_id or a VALUE_COLUMNS one;
    values are ids for the first two."""
    by, by_value, kind, venue = _parts(selection)
    if isinstance(by_value, tuple):
        return _several_facet_sql(column, by, by_value)
    if venue is not None:
        return _venue_facet_sql(column, by, by_value, kind, venue)
    if kind is not None:
        return _kind_facet_sql(column, by, by_value, kind)
    params = {"by_value": by_value, "no_id": NO_ID}
    if column in VALUE_COLUMNS:
        if by == "outlet_id":
            if column not in OUTLET_COLUMNS:
                return None
            return ("select value, n as count from quote_counts where by = 'outlet_id' and facet = :facet "
                    "and by_value = :by_value and n > 0", {**params, "facet": column})
        if by == "speaker_id":
            return ("select value, n as count from quote_counts where by = 'speaker_id' and facet = :facet "
                    "and by_value = :by_value and n > 0", {**params, "facet": column})
        # every quote is counted once in each pair: the outlets' months are the fewest rows
        source = "'outlet_id'" if column == "month" else "'speaker_id'"
        return (f"select value, sum(n) as count from quote_counts where by = {source} and facet = :facet "
                "group by value having count > 0", {**params, "facet": column})
    if column in DIRECT_COLUMNS:
        if by is not None and column not in SELECTABLE_DIRECT:
            return None
        where = f"and {by} = :by_value" if by else ""
        return (f"select {column} as value, count(*) as count from quotes where {column} is not null {where} "
                f"group by {column}", params)
    if column == "speaker_id":
        if by == "outlet_id":
            return ("select by_value as value, n as count from quote_counts where by = 'speaker_id' "
                    "and facet = 'outlet_id' and value = :by_value and by_value != :no_id and n > 0", params)
        where = "and by_value = :by_value" if by == "speaker_id" else ""
        return ("select by_value as value, sum(n) as count from quote_counts where by = 'speaker_id' "
                f"and facet = 'kind' and by_value != :no_id {where} group by by_value having count > 0", params)
    if column == "outlet_id":
        where = {"speaker_id": "and by_value = :by_value", "outlet_id": "and value = :by_value"}.get(by, "")
        return ("select value, sum(n) as count from quote_counts where by = 'speaker_id' and facet = 'outlet_id' "
                f"{where} group by value having count > 0", params)
    return None


_IDS = "(select value from json_each(:ids))"


def _several_facet_sql(column: str, by: str, ids: tuple) -> tuple[str, dict] | None:
    """facet_sql for the quotes of several speakers or outlets (?speaker__in=A,B): the sums of
    each one's rows of quote_counts, as for one."""
    params = {"ids": json.dumps(list(ids)), "no_id": NO_ID}
    if column in VALUE_COLUMNS:
        if by == "outlet_id" and column not in OUTLET_COLUMNS:
            return None
        return (f"select value, sum(n) as count from quote_counts where by = :by and facet = :facet "
                f"and by_value in {_IDS} group by value having count > 0", {**params, "by": by, "facet": column})
    if column in DIRECT_COLUMNS:
        return (f"select {column} as value, count(*) as count from quotes where {column} is not null "
                f"and {by} in {_IDS} group by {column}", params)
    if column == "speaker_id":
        if by == "outlet_id":
            return ("select by_value as value, sum(n) as count from quote_counts where by = 'speaker_id' "
                    f"and facet = 'outlet_id' and value in {_IDS} and by_value != :no_id group by by_value "
                    "having count > 0", params)
        return ("select by_value as value, sum(n) as count from quote_counts where by = 'speaker_id' "
                f"and facet = 'kind' and by_value in {_IDS} and by_value != :no_id group by by_value "
                "having count > 0", params)
    if column == "outlet_id":
        where = f"by_value in {_IDS}" if by == "speaker_id" else f"value in {_IDS}"
        return ("select value, sum(n) as count from quote_counts where by = 'speaker_id' and facet = 'outlet_id' "
                f"and {where} group by value having count > 0", params)
    return None


def _kind_facet_sql(column: str, by: str | None, by_value: int | None, kind: str) -> tuple[str, dict] | None:
    """facet_sql for the quotes of one kind (of one speaker or outlet, when `by` is given): the
    kind pairs of quote_counts for the speaker, outlet and kind facets, quote_kind_counts
    (store.KIND_PAIRS) for the others."""
    params = {"by_value": by_value, "no_id": NO_ID, "kind": kind}
    if column == "kind":  # the one kind selected, with its number of quotes
        source, where = ("'speaker_id'", "") if by is None else (f"'{by}'", "and by_value = :by_value")
        return (f"select value, sum(n) as count from quote_counts where by = {source} and facet = 'kind' "
                f"and value = :kind {where} group by value having count > 0", params)
    if column in VALUE_COLUMNS:
        if by == "outlet_id" and column not in OUTLET_COLUMNS:
            return None
        if by is not None:
            return ("select value, n as count from quote_kind_counts where kind = :kind and by = :by "
                    "and facet = :facet and by_value = :by_value and n > 0", {**params, "by": by, "facet": column})
        source = "'outlet_id'" if column == "month" else "'speaker_id'"  # the fewest rows, as in facet_sql
        return (f"select value, sum(n) as count from quote_kind_counts where kind = :kind and by = {source} "
                "and facet = :facet group by value having count > 0", {**params, "facet": column})
    if column in DIRECT_COLUMNS:
        if column not in SELECTABLE_DIRECT:
            return None
        # the index of the clustered (or dated) quotes by kind, or the speaker's or outlet's
        where = f"and {by} = :by_value" if by else ""
        return (f"select {column} as value, count(*) as count from quotes where {column} is not null "
                f"and kind = :kind {where} group by {column}", params)
    if column == "speaker_id":
        if by == "outlet_id":  # the speaker-outlet pair, of this kind
            return ("select by_value as value, n as count from quote_kind_counts where kind = :kind "
                    "and by = 'speaker_id' and facet = 'outlet_id' and value = :by_value and by_value != :no_id "
                    "and n > 0", params)
        where = "and by_value = :by_value" if by == "speaker_id" else ""
        return ("select by_value as value, n as count from quote_counts where by = 'speaker_id' and facet = 'kind' "
                f"and value = :kind and by_value != :no_id {where} and n > 0", params)
    if column == "outlet_id":
        if by == "speaker_id":
            return ("select value, n as count from quote_kind_counts where kind = :kind and by = 'speaker_id' "
                    "and facet = 'outlet_id' and by_value = :by_value and n > 0", params)
        where = "and by_value = :by_value" if by == "outlet_id" else ""
        return ("select by_value as value, n as count from quote_counts where by = 'outlet_id' and facet = 'kind' "
                f"and value = :kind and by_value != :no_id {where} and n > 0", params)
    return None


def _venue_where(by: str | None, by_value: int | None, kind: str | None) -> tuple[str, dict]:
    """The rows of quote_venue_counts of a venue's quotes (of one speaker or outlet, of one kind)."""
    params = {"by": by or "all", "by_value": NO_ID if by is None else by_value, "kind": kind, "no_id": NO_ID}
    return "venue = :venue and by = :by and by_value = :by_value" + (" and kind = :kind" if kind else ""), params


def _venue_facet_sql(column: str, by: str | None, by_value: int | None, kind: str | None,
                     venue: str) -> tuple[str, dict] | None:
    """facet_sql for the quotes of one venue (of one speaker or outlet, of one kind): sums of
    quote_venue_counts, whose first facet of each `by` counts every quote, so that its sums
    per kind are the kind and venue facets (and the speaker's or outlet's own); seen_in_outlets
    and date read the indexes of the venue's clustered (or dated) quotes (store migration 012)."""
    where, params = _venue_where(by, by_value, kind)
    params["venue"] = venue
    every = VENUE_FACETS[by][0]
    if column in ("kind", "venue") or column == by:
        value = ":by_value" if column == by else column
        return (f"select {value} as value, sum(n) as count from quote_venue_counts where {where} "
                f"and facet = '{every}' group by {value} having count > 0", params)
    if column in VENUE_FACETS[by]:
        return (f"select value, sum(n) as count from quote_venue_counts where {where} and facet = :facet "
                "and value != :no_id group by value having count > 0", {**params, "facet": column})
    if column in SELECTABLE_DIRECT:
        # +: the speaker's (or outlet's) own index of these quotes is not the one to read (10 s
        # for the most-quoted speaker's rallies at 10M, cold), the venue's covering one is
        of = (" and kind = :kind" if kind else "") + (f" and +{by} = :by_value" if by else "")
        return (f"select {column} as value, count(*) as count from quotes where {column} is not null "
                f"and venue = :venue{of} group by {column}", params)
    return None


def named_facet_sql(column: str, selection, order: str, limit: int) -> tuple[str, dict] | None:
    """facet_sql for the view's columns, with names for speaker and outlet, ordered and cut
    as Datasette's facets are ("count desc, value", or "value desc" for chronological ones)."""
    names = {"speaker": ("speaker_id", "speakers"), "outlet": ("outlet_id", "outlets")}
    counted = facet_sql(names[column][0] if column in names else column, selection)
    if counted is None:
        return None
    sql, params = counted
    if column in names:
        sql = f"select t.name as value, c.count from ({sql}) c join {names[column][1]} t on t.id = c.value"
    return f"select value, count from ({sql}) order by {order} limit {int(limit)}", params


def selection_total(conn, selection) -> int:
    """The quotes of a selection as facet_sql takes it: all, one speaker's or one outlet's,
    of one kind or of every kind."""
    if selection is None:
        return total(conn)
    by, by_value, kind, venue = _parts(selection)
    if isinstance(by_value, tuple):  # several speakers or outlets: every quote has a kind
        return conn.execute(f"select coalesce(sum(n), 0) from quote_counts where by = :by and facet = 'kind' "
                            f"and by_value in {_IDS}", {"by": by, "ids": json.dumps(list(by_value))}).fetchone()[0]
    if venue is not None:
        where, params = _venue_where(by, by_value, kind)
        return conn.execute(f"select coalesce(sum(n), 0) from quote_venue_counts where {where} "
                            f"and facet = '{VENUE_FACETS[by][0]}'", {**params, "venue": venue}).fetchone()[0]
    if kind is not None:
        sql = "select coalesce(sum(n), 0) from quote_counts where by = ? and facet = 'kind' and value = ?"
        if by is None:
            return conn.execute(sql, ["speaker_id", kind]).fetchone()[0]
        return conn.execute(sql + " and by_value = ?", [by, kind, by_value]).fetchone()[0]
    if by == "speaker_id":
        return total(conn, by_value)
    return conn.execute("select coalesce(sum(n), 0) from quote_counts where by = 'speaker_id' "
                        "and facet = 'outlet_id' and value = ?", [by_value]).fetchone()[0]


def total(conn, speaker_id: int | None = None) -> int:
    """All quotes, or one speaker's (every quote has a kind, so the kinds add up to them all)."""
    sql = "select coalesce(sum(n), 0) from quote_counts where by = 'speaker_id' and facet = 'kind'"
    if speaker_id is None:
        return conn.execute(sql).fetchone()[0]
    return conn.execute(sql + " and by_value = ?", [speaker_id]).fetchone()[0]


def speaker_counts(conn, speaker_id: int, column: str, limit: int | None = None) -> list[dict]:
    """One speaker's quotes per value of a column, most first ({"value", "n"}; outlets with "id")."""
    cut = f" limit {int(limit)}" if limit else ""
    if column == "outlet_id":
        return _rows(conn, f"""select o.id, o.name as value, c.n from quote_counts c join outlets o on o.id = c.value
where c.by = 'speaker_id' and c.facet = 'outlet_id' and c.by_value = ? and c.n > 0
order by c.n desc, o.name{cut}""", [speaker_id])
    return _rows(conn, f"""select value, n from quote_counts where by = 'speaker_id' and facet = ? and by_value = ?
and n > 0 order by n desc, value{cut}""", [column, speaker_id])


def per_month(conn, by: str | None = None, by_value: int | None = None, kind: str | None = None,
              venue: str | None = None) -> list[dict]:
    """Quotes per month ({"month", "n"}, oldest first) of all quotes, a speaker's or an outlet's,
    or those of one kind of them, or of one venue of any of these; of several speakers or
    outlets when by_value is a tuple of ids."""
    if isinstance(by_value, tuple):
        return _rows(conn, f"""select value as month, sum(n) as n from quote_counts where by = :by
and facet = 'month' and by_value in {_IDS} group by value having n > 0 order by value""",
                     {"by": by, "ids": json.dumps(list(by_value))})
    if venue is not None:
        where, params = _venue_where(by, by_value, kind)
        return _rows(conn, f"""select value as month, sum(n) as n from quote_venue_counts where {where}
and facet = 'month' group by value having n > 0 order by value""", {**params, "venue": venue})
    if kind is not None:
        if by is None:
            return _rows(conn, """select value as month, sum(n) as n from quote_kind_counts
where kind = ? and by = 'outlet_id' and facet = 'month' group by value having n > 0 order by value""", [kind])
        return _rows(conn, """select value as month, n from quote_kind_counts where kind = ? and by = ?
and facet = 'month' and by_value = ? and n > 0 order by value""", [kind, by, by_value])
    if by is None:
        return _rows(conn, """select value as month, sum(n) as n from quote_counts
where by = 'outlet_id' and facet = 'month' group by value having n > 0 order by value""", [])
    return _rows(conn, """select value as month, n from quote_counts where by = ? and facet = 'month'
and by_value = ? and n > 0 order by value""", [by, by_value])


def ranked(conn, by: str, column: str = "kind", limit: int | None = None) -> list[dict]:
    """Speakers or outlets by their number of quotes, most first: {"id", "value" (the name), "n"}.

    An outlet's total is the sum of its speakers' counts (the speaker-outlet pair); a quote
    with no speaker or no outlet is left out.
    """
    cut = f" limit {int(limit)}" if limit else ""
    if by == "speaker_id":
        return _rows(conn, f"""select s.id, s.name as value, c.n from (
  select by_value as id, sum(n) as n from quote_counts where by = 'speaker_id' and facet = '{column}'
  and by_value != {NO_ID} group by by_value having n > 0) c
join speakers s on s.id = c.id order by c.n desc, s.name{cut}""", [])
    return _rows(conn, f"""select o.id, o.name as value, c.n from (
  select value as id, sum(n) as n from quote_counts where by = 'speaker_id' and facet = 'outlet_id'
  group by value having n > 0) c
join outlets o on o.id = c.id order by c.n desc, o.name{cut}""", [])


def values(conn, column: str, limit: int | None = None) -> list[dict]:
    """The values of a VALUE_COLUMNS column over all quotes, most first ({"value", "n"})."""
    cut = f" limit {int(limit)}" if limit else ""
    return _rows(conn, f"""select value, sum(n) as n from quote_counts where by = 'speaker_id' and facet = ?
group by value having n > 0 order by n desc, value{cut}""", [column])


def per_month_by(conn, by: str, top: int = 6) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    """Quotes per month split by speaker or outlet: the `top` names, the rest as "others".

    Returns (months, series names, {(month, name): count}) ready for a stacked chart. The
    ranking counts dated quotes only, as the chart shows them; unresolved speakers and
    articles with no outlet are a series of their own ("(unresolved)", "(no outlet)").
    """
    key = f"{by}_id"
    table = {"speaker": "speakers", "outlet": "outlets"}[by]
    leaders = conn.execute(f"""select c.by_value, coalesce(t.name, :missing) as name from (
  select by_value, sum(n) as n from quote_counts where by = :by and facet = 'month' group by by_value having n > 0) c
left join {table} t on t.id = c.by_value and c.by_value != :no_id
order by c.n desc, name limit :top""", {"by": key, "missing": MISSING[by], "no_id": NO_ID, "top": top}).fetchall()
    names = {by_value: name for by_value, name in leaders}
    cells: dict[tuple[str, str], int] = {}
    if names:
        marks = ", ".join("?" * len(names))
        for by_value, month, n in conn.execute(f"""select by_value, value, n from quote_counts
where by = ? and facet = 'month' and by_value in ({marks}) and n > 0""", [key, *names]):
            cells[(month, names[by_value])] = n
    series = [name for _, name in leaders]
    for row in per_month(conn):
        rest = row["n"] - sum(cells.get((row["month"], name), 0) for name in series)
        if rest > 0:
            cells[(row["month"], "others")] = rest
    if any(name == "others" for _, name in cells):
        series.append("others")
    months = sorted({month for month, _ in cells})
    return months, series, cells
