"""Datasette hooks: the quote and speaker pages, the monthly chart, and links between them.

A Datasette plugin (the `datasette` entry point in pyproject.toml), so a plain
`datasette quotes.db -m metadata.json` has the pages too; make_datasette() registers
it only when the package is not installed. Every hook first finds the quotes
database, so other databases served alongside (even one with its own `quotes` or
`speakers` table) are left alone.
"""
from __future__ import annotations

import sqlite3
import weakref
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.filters import Filters
from datasette.utils import await_me_maybe, escape_fts
from datasette.utils.asgi import NotFound, Request, Response, asgi_static
from jinja2 import FileSystemLoader
from markupsafe import Markup, escape

from . import charts, pages, queries

QUOTE_TABLES = {"quotes", "quotes_view"}
PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES = PACKAGE_DIR / "templates"
STATIC = PACKAGE_DIR / "static"
STATIC_PATH = "/-/static-plugins/quotes/"

_found: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Datasette -> name of its quotes database
# The FTS5 expression of the page being rendered (?_search=), for render_cell, which sees no request.
_page_search: ContextVar[str | None] = ContextVar("quotes_page_search", default=None)


def _is_quotes_schema(conn) -> bool:
    names = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    return queries.REQUIRED <= names


async def quotes_database(datasette):
    """The first served database with our schema (a lone `quotes` table is someone else's).

    Remembered per Datasette: every cell of a table page asks.
    """
    name = _found.get(datasette)
    if name in datasette.databases:
        return datasette.databases[name]
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue
        try:
            ours = await db.execute_fn(_is_quotes_schema)
        except sqlite3.Error:
            continue
        if ours:
            _found[datasette] = name
            return db
    raise NotFound("No quotes database is being served")


async def _quotes_db_name(datasette) -> str | None:
    try:
        return (await quotes_database(datasette)).name
    except NotFound:
        return None


def _links(datasette, db_name: str) -> dict:
    """URL builders the templates share."""
    urls = datasette.urls
    return {
        "quote_url": lambda id: urls.path(f"/-/quote/{id}"),
        "article_url": lambda id: urls.path(f"/-/article/{id}"),
        "speaker_url": lambda id: urls.path(f"/-/speaker/{id}"),
        "row_url": lambda table, id: urls.row(db_name, table, str(id)),
        "view_url": lambda **params: urls.table(db_name, "quotes_view")
        + ("?" + urlencode(params) if params else ""),
        "database_url": urls.database(db_name),
    }


async def _fetch(datasette, request, query, what: str):
    """The served quotes database, the id in the URL and its row; a 404 when there is none."""
    db = await quotes_database(datasette)
    item_id = int(request.url_vars["id"])
    row = await db.execute_fn(lambda conn: query(conn, item_id))
    if row is None:
        raise NotFound(f"{what} {item_id} not found")
    return db, item_id, row


async def _render(datasette, request, db, template: str, context: dict) -> Response:
    context = {**context, "database": db.name, **_links(datasette, db.name)}
    return Response.html(await datasette.render_template(template, context, request=request))


async def quote_page(datasette, request):
    db, quote_id, row = await _fetch(datasette, request, queries.quote, "Quote")
    siblings = await db.execute_fn(lambda conn: queries.article_quotes(conn, row["article_id"]))
    text = row["article_text"] or ""
    spans, problems = pages.quote_spans(row, text)
    start, end = pages.paragraph_bounds(text, spans)
    index = next((i for i, s in enumerate(siblings) if s["id"] == quote_id), 0)
    context = {
        "q": row,
        "context_html": pages.mark(text, spans, start, end),
        "article_html": pages.mark(text, spans),
        "problems": problems,
        "siblings": siblings,
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
    }
    return await _render(datasette, request, db, "quotes_quote.html", context)


async def speaker_page(datasette, request):
    db, _, profile = await _fetch(datasette, request, queries.speaker, "Speaker")
    context = {
        "s": profile,
        "chart": charts.bars(profile["months"], f"Quotes by {profile['name']} per month"),
    }
    return await _render(datasette, request, db, "quotes_speaker.html", context)


async def article_page(datasette, request):
    db, _, article = await _fetch(datasette, request, queries.article, "Article")
    links = _links(datasette, db.name)
    text = article["text"] or ""
    spans, problems = [], []
    for q in article["quotes"]:
        found, wrong = pages.quote_spans(q, text, href=links["quote_url"](q["id"]))
        spans += found
        problems += [f"Quote {q['id']}: {w}" for w in wrong]
    context = {"a": article, "article_html": pages.mark(text, spans), "problems": problems}
    return await _render(datasette, request, db, "quotes_article.html", context)


@hookimpl
def register_routes():
    return [
        (r"^/-/article/(?P<id>\d+)$", article_page),
        (r"^/-/quote/(?P<id>\d+)$", quote_page),
        (r"^/-/speaker/(?P<id>\d+)$", speaker_page),
        # where Datasette would serve a packaged plugin's static/ (it cannot find ours in a module)
        (r"^" + STATIC_PATH + r"(?P<path>.*)$", asgi_static(STATIC)),
    ]


@hookimpl
def prepare_jinja2_environment(env, datasette):
    """Our templates, found as a packaged plugin's would be: after --template-dir, before Datasette's.

    Datasette looks for a plugin's templates/ beside a package, not a module like this one.
    """
    loader = env.loader.loaders[0] if hasattr(env.loader, "loaders") else None
    if isinstance(loader, FileSystemLoader):
        if str(TEMPLATES) not in loader.searchpath:
            loader.searchpath.insert(max(len(loader.searchpath) - 1, 0), str(TEMPLATES))
    else:  # a layout we do not know: our page templates at least, after everything else
        from jinja2 import ChoiceLoader

        env.loader = ChoiceLoader([env.loader, FileSystemLoader(str(TEMPLATES))])


@hookimpl
def menu_links(datasette):
    """Shortcuts in Datasette's menu to the pages people come for."""

    async def inner():
        try:
            db = await quotes_database(datasette)
        except NotFound:
            return []
        urls = datasette.urls
        return [
            {"href": urls.table(db.name, "quotes_view"), "label": "All quotes"},
            {"href": urls.database(db.name) + "/search", "label": "Search quotes"},
            {"href": urls.table(db.name, "speakers"), "label": "Speakers"},
        ]

    return inner


@hookimpl
def extra_css_urls(database, datasette):
    """On the quotes database's pages (and ours) only: other databases keep their looks."""

    async def inner():
        if database is not None and database != await _quotes_db_name(datasette):
            return []
        return [datasette.urls.path(STATIC_PATH + "quotes.css")]

    return inner


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    """The monthly charts: by speaker and outlet on the database page, and on the
    All quotes page one for the rows the current filters and search select."""
    if view_name == "database" and database:
        return _database_charts(datasette, database)
    if view_name == "table" and table == "quotes_view" and request is not None:
        return _selection_chart(datasette, database, request)
    return {}


def _database_charts(datasette, database):
    async def inner():
        if database != await _quotes_db_name(datasette):
            return {}
        db = datasette.get_database(database)

        def build(conn):
            counts = queries.monthly_counts(conn)
            return [
                charts.stacked_bars(
                    *queries.per_month_by(conn, by, counts=counts), f"Quotes per month, by {by}", width=520, height=220
                )
                for by in ("speaker", "outlet")
            ]

        return {"quotes_charts": await db.execute_fn(build)}

    return inner


async def selection_where(datasette, request, database: str, table: str) -> tuple[list[str], dict]:
    """The where-clauses Datasette's table page builds from its query string.

    Column filters through datasette.filters.Filters, then the filters_from_request
    hooks (_search, _where, _through and any plugin's), as the table view does, so
    the chart counts exactly the rows the page shows.
    """
    filter_args = [
        (key, value)
        for key in request.args
        if not (key.startswith("_") and "__" not in key)
        for value in request.args.getlist(key)
    ]
    # Not imported at the top: importing datasette.plugins loads the entry points, this
    # module among them, and a module registered half-imported would have no hooks.
    from datasette.plugins import pm

    where, params = Filters(sorted(filter_args)).build_where_clauses(table)
    for hook in pm.hook.filters_from_request(request=request, table=table, database=database, datasette=datasette):
        arguments = await await_me_maybe(hook)
        if arguments:
            where.extend(arguments.where_clauses)
            params.update(arguments.params)
    return where, params


def _selection_chart(datasette, database, request):
    async def inner():
        if database != await _quotes_db_name(datasette):
            return {}
        try:
            where, params = await selection_where(datasette, request, database, "quotes_view")
            sql = "select month, count(*) as n from quotes_view {} group by month order by month".format(
                f"where {' and '.join(where)}" if where else "")
            results = await datasette.get_database(database).execute(sql, params)
        except (sqlite3.Error, QueryInterrupted, ValueError):  # the page itself reports bad filters
            return {}
        series = [{"month": r["month"], "n": r["n"]} for r in results.rows if r["month"]]
        title = "Quotes per month in this selection" if where else "Quotes per month"
        return {"quotes_selection_chart": charts.bars(series, title, height=170)}

    return inner


def _get(row, key):
    try:
        return row[key]
    except (IndexError, KeyError):
        return None


def search_expression(args) -> str | None:
    """The FTS5 expression Datasette's table page builds from ?_search= (or ?_search_text=)."""
    search = args.get("_search") or args.get("_search_text")
    if not search or not search.strip():
        return None
    return search if args.get("_searchmode") == "raw" else escape_fts(search)


@hookimpl
def asgi_wrapper(datasette):
    """Remember each request's table search while its page renders (a context variable
    follows the request through Datasette's awaits, so concurrent requests do not mix)."""

    def wrap(app):
        async def with_search(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            token = _page_search.set(search_expression(Request(scope, receive).args))
            try:
                return await app(scope, receive, send)
            finally:
                _page_search.reset(token)

        return with_search

    return wrap


def _highlight(conn, quote_id: int, expression: str) -> str | None:
    """The quote's text with what the search matched between \x01 and \x02, as FTS5 sees it (porter stems)."""
    row = conn.execute(
        "select highlight(quotes_fts, 0, char(1), char(2)) from quotes_fts where quotes_fts match ? and rowid = ?",
        [expression, quote_id],
    ).fetchone()
    return row[0] if row else None


async def _searched_quote_link(datasette, database: str, row, value: str, expression: str) -> Markup | None:
    quote_id = _get(row, "id")
    if quote_id is None:
        return None
    try:
        marked = await datasette.get_database(database).execute_fn(lambda conn: _highlight(conn, quote_id, expression))
    except sqlite3.Error:  # a raw-mode expression FTS5 rejects: the page reports it
        return None
    if marked is None:
        return None
    inner = str(escape(marked)).replace("\x01", "<mark>").replace("\x02", "</mark>")
    return Markup(f'<a class="quote-link" href="{datasette.urls.path(f"/-/quote/{quote_id}")}">{inner}</a>')


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Make quote texts, speaker names and article titles open their pages, in the quotes database;
    on a page searched with ?_search=, mark in each quote what the search matched."""
    link = _cell_link(row, value, column, table, datasette.urls)
    if link is None:
        return None
    expression = _page_search.get() if table in QUOTE_TABLES and column == "text" else None

    async def inner():
        if database != await _quotes_db_name(datasette):
            return None
        if expression:
            return await _searched_quote_link(datasette, database, row, value, expression) or link
        return link

    return inner


def _cell_link(row, value, column, table, urls) -> Markup | None:
    if table in QUOTE_TABLES and column == "text" and value is not None:
        quote_id = _get(row, "id")
        if quote_id is not None:
            return Markup(f'<a class="quote-link" href="{urls.path(f"/-/quote/{quote_id}")}">{escape(value)}</a>')
    if table == "quotes_view" and column == "speaker" and value:
        speaker_id = _get(row, "speaker_id")
        if speaker_id is not None:
            return Markup(f'<a href="{urls.path(f"/-/speaker/{speaker_id}")}">{escape(value)}</a>')
    if table == "quotes_view" and column == "article_title" and value:
        article_id = _get(row, "article_id")
        if article_id is not None:
            return Markup(f'<a href="{urls.path(f"/-/article/{article_id}")}">{escape(value)}</a>')
    if table == "articles" and column == "title" and value:
        article_id = _get(row, "id")
        return Markup(f'<a href="{urls.path(f"/-/article/{article_id}")}">{escape(value)}</a>')
    if table == "speakers" and column == "name" and value:
        speaker_id = _get(row, "id")
        return Markup(f'<a href="{urls.path(f"/-/speaker/{speaker_id}")}">{escape(value)}</a>')
    if table is None:
        # Canned queries name their columns so that these become links.
        if column == "quote_id" and isinstance(value, int):
            return Markup(f'<a href="{urls.path(f"/-/quote/{value}")}">{value}</a>')
        if column == "speaker_id" and isinstance(value, int):
            return Markup(f'<a href="{urls.path(f"/-/speaker/{value}")}">{value}</a>')
        if column == "snippet" and isinstance(value, str):
            # snippet() wrapped the matches in <mark>: keep those tags, escape the rest.
            safe = str(escape(value)).replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
            return Markup(safe)
    return None
