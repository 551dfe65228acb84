"""Facet classes for Datasette (registered by quotes.datasette_plugin).

Datasette drops a facet that takes longer than facet_time_limit_ms (200 ms), and a facet on
ten million quotes is a scan of ten million rows. `{"counted": "speaker"}` in metadata.json
is a column facet that reads its counts from the summary tables quote_counts and
quote_kind_counts (quotes.summary) when the page selects all quotes, or one speaker's, or one
outlet's (a facet value clicked), or one kind of any of these, and from quote_venue_counts
when it selects one venue's quotes, alone or with one kind, speaker or outlet;
otherwise it counts the selected rows, on the quotes table when the filters read only its
columns (no join per row), else on the view as Datasette's column facet does. The values,
counts, order, links and time limit are a column facet's either way. `{"chronological": "month"}` is the same
with the values newest first.
"""
from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import time
from collections import Counter

from datasette.database import QueryInterrupted
from datasette.facets import Facet, load_facet_configs
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args, sqlite_timelimit

from . import summary
from .store import FACETS_BY_ID_COLUMNS, FACETS_BY_ID_INDEX, NO_ID

COUNTED_TABLES = ("quotes", "quotes_view")
# Query-string arguments that change what a page shows, not which rows it selects.
NOT_SELECTING = {"_size", "_col", "_nocol", "_columns", "_sort", "_sort_desc", "_next", "_labels", "_nolabels",
                 "_shape", "_json", "_json_infinity", "_nl", "_nocount", "_nosuggest", "_nofacet", "_trace",
                 "_stream", "_dl", "_facet_size", "_extra", "_header"}
# The filters a selection of one speaker or one outlet may come as: the view's names, or ids.
_SELECTORS = {
    "quotes_view": {"speaker": ("speaker_id", "speakers"), "outlet": ("outlet_id", "outlets"),
                    "speaker_id": ("speaker_id", None), "outlet_id": ("outlet_id", None)},
    "quotes": {"speaker_id": ("speaker_id", None), "outlet_id": ("outlet_id", None)},
}
# Besides one speaker or outlet, a page may select one kind and one venue (their names).
_PARTS = ("kind", "venue")
NO_ROW = -1  # a name that names no speaker: the selection is empty
# Columns whose name means another thing on that table than on quotes (the view's date is
# the article's when the quote has none; the table has no names): counted from the rows.
_NOT_COUNTED = {"quotes_view": ("date",), "quotes": ("speaker", "outlet")}


def selection_filter(table: str | None, args) -> tuple | None:
    """What a page's query string selects, when the summary tables can count it: a tuple of
    (by, value, names table) for one speaker or outlet (value a list for several: `__in`),
    and/or ("kind", value, None) for one kind, ("venue", value, None) for one venue ((): all
    quotes); None for anything else (a speaker and an outlet, several speakers of one kind, a
    search, a _where, an operator other than exact or in)."""
    if table not in _SELECTORS:
        return None
    filters = [key for key in args if key not in NOT_SELECTING and not key.startswith("_facet")]
    found = []
    for key in filters:
        several = key.endswith("__in")
        column = key.removesuffix("__in") if several else key.removesuffix("__exact")
        if len(args.getlist(key)) != 1 or (column not in _PARTS and column not in _SELECTORS[table]):
            return None
        if column in _PARTS:
            if several:
                return None
            found.append((column, args.get(key), None))
        else:
            by, names = _SELECTORS[table][column]
            found.append((by, _in_values(args.get(key)) if several else args.get(key), names))
    parts = [part[0] if part[0] in _PARTS else "by" for part in found]
    if len(parts) != len(set(parts)):
        return None
    if any(isinstance(part[1], list) for part in found) and len(found) > 1:
        return None  # several speakers (outlets) of one kind or venue: counted from the rows
    return tuple(sorted(found, key=lambda part: part[0] in _PARTS))  # the speaker or outlet first


def _in_values(value: str) -> list[str]:
    """An `__in` filter's values as Datasette reads them: a JSON list, or comma-separated."""
    if value.startswith("["):
        try:
            values = json.loads(value)
        except ValueError:
            values = None
        if isinstance(values, list):
            return [str(v) for v in values]
    return value.split(",")


def _id(value: str) -> int:
    """An id given in the query string, NO_ROW for one no quote has (NO_ID counts no speaker's)."""
    number = int(value) if value.lstrip("-").isdigit() and len(value) < 19 else NO_ROW
    return NO_ROW if number == NO_ID else number


def resolve_selection(conn, found: tuple) -> tuple | None:
    """selection_filter's answer for quotes.summary: None (all quotes), (by, id) for one speaker
    or outlet ((by, a sorted tuple of ids) for several), (by, id, kind) for one kind of them, (None, None, kind) for one kind, and
    (by, id, kind, venue) for one venue of any of these (by, id and kind may be None); False for a
    venue's when the database has no quote_venue_counts (served as it is: `quotes` commands that
    write upgrade it)."""
    if not found:
        return None
    by, by_value, kind, venue = None, None, None, None
    for column, value, names in found:
        if column == "kind":
            kind = value
        elif column == "venue":
            if not conn.execute("select 1 from sqlite_master where name = 'quote_venue_counts'").fetchone():
                return False
            venue = value
        elif isinstance(value, list):  # several: a sorted tuple of their ids
            if names:
                rows = conn.execute(f"select id from {names} where name in (select value from json_each(?))",
                                    [json.dumps(value)]).fetchall()
                ids = {row[0] for row in rows}
            else:
                ids = {_id(v) for v in value}
            by, by_value = column, tuple(sorted(ids - {NO_ROW})) or (NO_ROW,)
        elif names:
            row = conn.execute(f"select id from {names} where name = ?", [value]).fetchone()
            by, by_value = column, row[0] if row else NO_ROW
        else:
            by, by_value = column, _id(value)
    if venue is not None:
        return by, by_value, kind, venue
    return (by, by_value) if kind is None else (by, by_value, kind)


# The columns of quotes_view that are the quote's own column of the same name.
QUOTE_COLUMNS_OF_VIEW = {"id", "text", "kind", "speaker_mention", "role", "cue", "addressee", "venue", "place",
                         "month", "article_id", "speaker_id", "outlet_id", "start", "end", "rule", "speaker_type",
                         "confidence", "stance", "cluster_id", "seen_in_outlets"}
# The view's name columns, and the quote's id column and table they come from.
_NAMED = {"speaker": ("speaker_id", "speakers"), "outlet": ("outlet_id", "outlets")}
# A column filter as datasette.filters builds it: "column" operator ...
_COLUMN_FILTER = re.compile(r'^"([^"]+)" (.*)$', re.DOTALL)
_EXACT = re.compile(r"^= (:p\d+)$")
# ?_search= on a view with an fts_table, as Datasette builds it (escaped, or raw with _searchmode=raw)
_SEARCH_CLAUSES = {"id in (select rowid from quotes_fts where quotes_fts match escape_fts(:search))",
                   "id in (select rowid from quotes_fts where quotes_fts match :search)"}


def clauses_on_quotes(where: list[str]) -> list[str] | None:
    """All quotes' where-clauses rewritten for the quotes table, or None when one of them
    reads a column the table does not have (the article's date or title, a name matched
    partly, a _where of the user's)."""
    out = []
    for clause in where:
        if clause in _SEARCH_CLAUSES:
            out.append(clause)
            continue
        match = _COLUMN_FILTER.match(clause)
        if not match or '"' in match.group(2):
            return None
        column, rest = match.groups()
        if column in QUOTE_COLUMNS_OF_VIEW:
            out.append(clause)
        elif column in _NAMED and _EXACT.match(rest):
            by, names = _NAMED[column]
            out.append(f"{by} = (select id from {names} where name = {_EXACT.match(rest).group(1)})")
        else:
            return None
    return out


# The time one pass over the selected rows may take, in facet time limits. It does the work of a
# page's facets, which Datasette 0.65 runs one after the other (its issue 2189), each given the
# limit: eight of them may take eight limits. Four (800 ms) leave the rest of a 1 s page for its
# rows; the pass also does the work of the chart's and the row count's queries (the SQL limit each).
ONE_PASS_LIMITS = 4
# Where a request keeps its pass (in its ASGI scope, which its facets and its template hooks share).
_PASS_KEY = "quotes.selection_pass"


def _by_id_index(clauses: list[str], read: list[str]) -> str:
    """"indexed by" the facet columns' index by id (store migration 014) for a search's pass, whose
    matches it reads by id, when every column the pass reads and every other filter is in it: a
    compact index, not the quotes' rows scattered over the file (4.2 s against 0.7 to 1.2 s for
    33,000 matches at ten million quotes, cold). Else "" (the planner's choice)."""
    if not any(c in _SEARCH_CLAUSES for c in clauses) or not set(read) <= set(FACETS_BY_ID_COLUMNS):
        return ""
    for clause in clauses:
        match = _COLUMN_FILTER.match(clause)
        column = match.group(1) if match else clause.split(" = (select id from ", 1)[0]
        if clause not in _SEARCH_CLAUSES and column not in FACETS_BY_ID_COLUMNS:
            return ""
    return f" indexed by {FACETS_BY_ID_INDEX}"


def _read(column: str) -> str:
    """The quotes table's column a column of the view is counted from."""
    return _NAMED[column][0] if column in _NAMED else column


async def selection_pass(ds, request, database: str, table: str, columns: list[str]) -> tuple[dict, int] | None:
    """The selected rows of All quotes read once from the quotes table: a Counter of the values
    of each of `columns` (ids for the view's names) and the number of rows, or None when a
    filter reads what the table does not have. Done once a request: the page's facets of both
    classes (CountedFacet, ChronologicalFacet) and its chart and row count
    (quotes.datasette_plugin) take theirs from the same pass, a search's matches read once instead
    of four times. Raises QueryInterrupted past ONE_PASS_LIMITS facet time limits."""
    passes = request.scope.setdefault(_PASS_KEY, {})
    key = (database, table)
    if key in passes and set(columns) <= set(passes[key][0]):
        return await passes[key][1]
    passes[key] = (list(columns), asyncio.ensure_future(_count_pass(ds, request, database, table, columns)))
    return await passes[key][1]


def passed(request, database: str, table: str) -> tuple[dict, int] | None:
    """The pass this request already made (selection_pass), when it made one and it finished in time."""
    done = request.scope.get(_PASS_KEY, {}).get((database, table))
    if done is None or not done[1].done() or done[1].cancelled() or done[1].exception() is not None:
        return None
    return done[1].result()


async def _count_pass(ds, request, database: str, table: str, columns: list[str]) -> tuple[dict, int] | None:
    from .datasette_plugin import selection_where  # imported late: the plugin imports this module

    where, params = await selection_where(ds, request, database, table)
    clauses = clauses_on_quotes(where)
    if clauses is None:
        return None
    read = list(dict.fromkeys(_read(c) for c in columns))
    indexed = _by_id_index(clauses, read)
    select = "select {} from quotes".format(", ".join(escape_sqlite(c) for c in read))
    where_sql = " where " + (" and ".join(f"({c})" for c in clauses) or "1")
    sql = select + where_sql
    ms = ds.setting("facet_time_limit_ms") * ONE_PASS_LIMITS

    def count(conn) -> tuple[list[Counter], int]:
        nonlocal sql
        if indexed and conn.execute("select 1 from sqlite_master where type = 'index' and name = ?",
                                    [FACETS_BY_ID_INDEX]).fetchone():
            sql = select + indexed + where_sql
        counters, rows = [Counter() for _ in read], 0
        deadline = time.perf_counter() + ms / 1000
        try:
            with sqlite_timelimit(conn, ms):
                for row in conn.execute(sql, params):  # streamed: no list of a million rows
                    rows += 1
                    for counter, value in zip(counters, row):
                        if value is not None:
                            counter[value] += 1
        except sqlite3.OperationalError as e:
            # interrupted while FTS5 opens its table, SQLite says "vtable constructor failed"
            if "interrupted" in str(e) or time.perf_counter() >= deadline:
                raise QueryInterrupted(e, sql, params)
            raise
        return counters, rows

    counters, rows = await ds.get_database(database).execute_fn(count)
    return dict(zip(read, counters)), rows


class CountedFacet(Facet):
    """A column facet answered from quote_counts where it can be (see the module's docstring)."""

    type = "counted"
    order = "count desc, value"

    async def facet_results(self):
        results, timed_out = [], []
        selected_pairs = set(self.get_querystring_pairs())
        size = self.get_facet_size()
        selection = await self._selection()
        configs = self.get_configs()
        columns = [found["config"].get("column") or found["config"]["simple"] for found in configs]
        try:
            passed = await self._one_pass([c for c in columns if self._summary_sql(c, selection, size) is None],
                                          selection, size)
        except QueryInterrupted:
            passed = dict.fromkeys(c for c in columns if self._summary_sql(c, selection, size) is None)
        for found, column in zip(configs, columns):
            try:
                rows = passed[column] if column in passed else await self._counts(column, selection, size)
            except QueryInterrupted:
                rows = None
            if rows is None:
                timed_out.append(column)
                continue
            shown = rows[:size]
            labels = {}
            if self.table:  # a foreign key (quotes.speaker_id) is labelled with the name, as Datasette does
                labels = await self.ds.expand_foreign_keys(self.database, self.table, column,
                                                           [r["value"] for r in shown])
            results.append({
                "name": column, "type": self.type, "hideable": found["source"] != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {f"_facet_{self.type}": column})),
                "results": [self._value(column, row, labels, selected_pairs) for row in shown],
                "truncated": len(rows) > size,
            })
        return results, timed_out

    async def _selection(self):
        """"all" or resolve_selection's tuple when the summary tables can count this page's rows, else False."""
        found = selection_filter(self.table, self.request.args)
        if found is None:
            return False
        db = self.ds.get_database(self.database)
        if not await db.table_exists("quote_counts"):
            return False
        resolved = await db.execute_fn(lambda conn: resolve_selection(conn, found))
        return "all" if resolved is None else resolved  # (False: counted from the rows)

    def _summary_sql(self, column: str, selection, size: int) -> tuple[str, dict] | None:
        if selection is False or column in _NOT_COUNTED.get(self.table, ()):
            return None
        return summary.named_facet_sql(column, None if selection == "all" else selection, self.order, size + 1)

    def _passable(self, columns: list[str]) -> list[str]:
        return [c for c in columns if self.table == "quotes_view" and (c in QUOTE_COLUMNS_OF_VIEW or c in _NAMED)]

    async def _one_pass(self, columns: list[str], selection, size: int) -> dict[str, list]:
        """The facets of `columns` counted in one read of the selected rows of the quotes table
        (selection_pass), when the page has several such facets, of this class and the other
        (the month's), and the page's filters allow it ({} otherwise): eight facets of a search
        read its 33,000 quotes once, not eight times. The pass is given ONE_PASS_LIMITS times
        facet_time_limit_ms; past that every facet of the pass is reported timed out."""
        columns = self._passable(columns)
        configs = load_facet_configs(self.request, self.metadata)
        on_page = [found["config"].get("column") or found["config"]["simple"]
                   for kind in (CountedFacet.type, ChronologicalFacet.type) for found in configs.get(kind) or []]
        page = list(dict.fromkeys(c for c in self._passable(on_page) if self._summary_sql(c, selection, size) is None))
        if not columns or len(page) < 2:
            return {}
        # month too: the page's chart counts the same rows by month (quotes.datasette_plugin)
        found = await selection_pass(self.ds, self.request, self.database, self.table,
                                     list(dict.fromkeys(page + ["month"])))
        if found is None:
            return {}
        counters = found[0]
        out = {}
        for column in columns:
            counts = counters[_read(column)]
            if column in _NAMED:
                names = await self._names(_NAMED[column][1], list(counts))
                counts = Counter({names[k]: n for k, n in counts.items() if k in names})
            if self.order == "value desc":
                ranked = sorted(counts.items(), key=lambda kv: kv[0], reverse=True)
            else:
                ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            out[column] = [{"value": v, "count": n} for v, n in ranked[:size + 1]]
        return out

    async def _names(self, table: str, ids: list) -> dict:
        rows = await self.ds.execute(self.database, f"select id, name from {table} where id in "
                                     "(select value from json_each(:ids))", {"ids": json.dumps(ids)})
        return {r[0]: r[1] for r in rows.rows}

    async def _counts(self, column: str, selection, size: int) -> list:
        limit = size + 1
        counted = self._summary_sql(column, selection, size)
        if counted is not None:
            return (await self.ds.execute(self.database, counted[0], counted[1], truncate=False,
                                          custom_time_limit=self.ds.setting("facet_time_limit_ms"))).rows
        sql, params = await self._on_quotes(column, limit) or (None, None)
        if sql is None:
            col = escape_sqlite(column)
            sql, params = (f"select {col} as value, count(*) as count from ({self.sql}) where {col} is not null "
                           f"group by {col} order by {self.order} limit {limit}"), self.params
        return (await self.ds.execute(self.database, sql, params, truncate=False,
                                      custom_time_limit=self.ds.setting("facet_time_limit_ms"))).rows

    async def _on_quotes(self, column: str, limit: int) -> tuple[str, dict] | None:
        """The rows of All quotes counted on the quotes table itself, when the page's filters and
        the facet's column are all quotes' own columns (or a speaker's or outlet's exact name, or
        the search): the view joins three tables for every row it counts, the table none."""
        if self.table != "quotes_view" or (column not in QUOTE_COLUMNS_OF_VIEW and column not in _NAMED):
            return None
        from .datasette_plugin import selection_where  # imported late: the plugin imports this module

        where, params = await selection_where(self.ds, self.request, self.database, self.table)
        clauses = clauses_on_quotes(where)
        if clauses is None:
            return None
        where_sql = " and ".join(f"({c})" for c in clauses) or "1"
        if column in _NAMED:
            by, names = _NAMED[column]
            return (f"select t.name as value, c.count from (select {by} as value, count(*) as count from quotes "
                    f"where {where_sql} and {by} is not null group by {by}) c join {names} t on t.id = c.value "
                    f"order by {self.order} limit {limit}"), params
        col = escape_sqlite(column)
        return (f"select {col} as value, count(*) as count from quotes where {where_sql} and {col} is not null "
                f"group by {col} order by {self.order} limit {limit}"), params

    def _value(self, column: str, row, labels: dict, selected_pairs: set) -> dict:
        column_qs = f"{column}__exact" if column.startswith("_") else column
        value = str(row["value"])
        selected = (column_qs, value) in selected_pairs
        toggle = path_with_removed_args if selected else path_with_added_args
        return {
            "value": row["value"], "label": labels.get((column, row["value"]), row["value"]),
            "count": row["count"], "selected": selected,
            "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle(self.request, {column_qs: value}))),
        }


class ChronologicalFacet(CountedFacet):
    """A facet on a date or month column that lists its values newest first.

    Datasette's column facet lists by count (2019-10, 2021-12, 2016-09...), and its
    metadata cannot change that; this one is set in metadata.json as
    `{"chronological": "month"}`, and is counted like CountedFacet.
    """

    type = "chronological"
    order = "value desc"
