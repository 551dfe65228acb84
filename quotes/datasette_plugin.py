"""Datasette hooks: the quote and speaker pages, the monthly chart, and links between them.

A Datasette plugin (the `datasette` entry point in pyproject.toml), so a plain
`datasette quotes.db -m metadata.json` has the pages too; make_datasette() registers
it only when the package is not installed. Every hook first finds the quotes
database, so other databases served alongside (even one with its own `quotes` or
`speakers` table) are left alone.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import re
import sqlite3
import weakref
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.filters import Filters
from datasette.utils import await_me_maybe, escape_fts, tilde_decode
from datasette.utils.asgi import NotFound, Request, Response, asgi_static
from jinja2 import FileSystemLoader
from markupsafe import Markup, escape

from . import across_pages, charts, facets, pages, queries, summary

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
        "cluster_url": lambda id: urls.path(f"/-/cluster/{id}"),
        "http_url": pages.http_url,
        "article_label": pages.article_label,
        "row_url": lambda table, id: urls.row(db_name, table, str(id)),
        "view_url": lambda **params: urls.table(db_name, "quotes_view")
        + ("?" + urlencode(params) if params else ""),
        "database_url": urls.database(db_name),
    }


# SQLite's largest integer: a bigger id in a URL names no row (and must not reach sqlite3).
MAX_ID = 2**63 - 1
# The number in ?page= has at most this many digits (an article has far fewer pages).
MAX_PAGE_DIGITS = 9
# Quotes listed on a speaker's page; all of them are a click away as a table.
SPEAKER_PAGE_QUOTES = 500
READ_METHODS = ("GET", "HEAD")
# Our pages need our CSS and Datasette's (which uses data: images), inline styles (the
# chart legends) and one inline script of Datasette's (closing the menu), allowed by its
# hash; nothing else loads, so a stored link or text can never run script.
CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src {scripts}; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_csp_header: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Datasette -> its CSP


def _id(request, what: str) -> int:
    """The id in the URL; one too big for SQLite is a 404 like any id with no row."""
    raw = request.url_vars["id"]
    if len(raw) > len(str(MAX_ID)) or int(raw) > MAX_ID:
        raise NotFound(f"{what} {raw[:40]}{'...' if len(raw) > 40 else ''} not found")
    return int(raw)


def _page_number(request) -> int:
    raw = request.args.get("page") or "1"
    if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_PAGE_DIGITS or int(raw) < 1:
        raise NotFound(f"No page {raw[:40]!r}: pages are numbered from 1")
    return int(raw)


async def content_security_policy(datasette) -> str:
    """The CSP of our pages, with the hash of the inline script Datasette's base.html includes."""
    policy = _csp_header.get(datasette)
    if policy is None:
        html = await datasette.jinja_env.get_template("_close_open_menus.html").render_async()
        hashes = [
            "'sha256-{}'".format(base64.b64encode(hashlib.sha256(script.encode()).digest()).decode())
            for script in re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
        ]
        policy = _csp_header[datasette] = CSP.format(scripts=" ".join(hashes) or "'none'")
    return policy


async def _render(datasette, request, db, template: str, context: dict) -> Response:
    context = {**context, "database": db.name, **_links(datasette, db.name)}
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, headers={
        "Content-Security-Policy": await content_security_policy(datasette),
        "X-Content-Type-Options": "nosniff",
    })


def _not_allowed() -> Response:
    return Response.text("Method not allowed", status=405, headers={"Allow": ", ".join(READ_METHODS)})


def _read_only(page):
    """Our pages only show things: another method is a 405, as on Datasette's own pages."""
    @functools.wraps(page)  # Datasette passes the arguments the signature names
    async def view(datasette, request):
        if request.method not in READ_METHODS:
            return _not_allowed()
        return await page(datasette, request)

    return view


@_read_only
async def quote_page(datasette, request):
    db = await quotes_database(datasette)
    quote_id = _id(request, "Quote")
    article_url = _links(datasette, db.name)["article_url"]
    context = await db.execute_fn(lambda conn: pages.quote_page(conn, quote_id, article_url))
    if context is None:
        raise NotFound(f"Quote {quote_id} not found")
    context.update(await db.execute_fn(lambda conn: across_pages.quote_cluster(conn, quote_id)))
    return await _render(datasette, request, db, "quotes_quote.html", context)


@_read_only
async def cluster_page(datasette, request):
    db = await quotes_database(datasette)
    cluster_id = _id(request, "Quote cluster")
    context = await db.execute_fn(lambda conn: across_pages.cluster_page(conn, cluster_id))
    if context is None:
        raise NotFound(f"Quote cluster {cluster_id} not found")
    return await _render(datasette, request, db, "quotes_cluster.html", context)


@_read_only
async def clusters_index(datasette, request):
    """All quotes grouped by cluster: the clusters seen more than once, most sighted first
    (a fixed path, so metadata.json can link to it whatever the database is called). Not
    counted: counting them through the view took 0.5 s at 1M quotes, the page 4 ms without."""
    db = await quotes_database(datasette)
    return Response.redirect(datasette.urls.table(db.name, "clusters_view")
                             + "?_sort_desc=sightings&sightings__gte=2&_nocount=1")


@_read_only
async def speaker_page(datasette, request):
    db = await quotes_database(datasette)
    speaker_id = _id(request, "Speaker")
    profile = await db.execute_fn(lambda conn: queries.speaker(conn, speaker_id, limit=SPEAKER_PAGE_QUOTES))
    if profile is None:
        raise NotFound(f"Speaker {speaker_id} not found")
    details = await db.execute_fn(lambda conn: pages.speaker_details(conn, profile))
    profile["roles"] = details["roles"]
    context = {
        "s": profile,
        "addressee_full": details["addressee_full"],
        "listed": profile["quotes"],
        "chart": charts.bars(profile["months"], f"Quotes by {profile['name']} per month"),
        **await db.execute_fn(lambda conn: across_pages.speaker_aliases(conn, speaker_id)),
    }
    return await _render(datasette, request, db, "quotes_speaker.html", context)


@_read_only
async def article_page(datasette, request):
    db = await quotes_database(datasette)
    article_id = _id(request, "Article")
    page = _page_number(request)
    quote_url = _links(datasette, db.name)["quote_url"]
    try:
        context = await db.execute_fn(lambda conn: pages.article_page(conn, article_id, page, quote_url))
    except pages.NoSuchPage as e:
        raise NotFound(str(e))
    if context is None:
        raise NotFound(f"Article {article_id} not found")
    return await _render(datasette, request, db, "quotes_article.html", context)


@hookimpl
def register_routes():
    return [
        # [0-9], not \d: int() would read other scripts' digits too (Arabic-Indic one as 1)
        (r"^/-/article/(?P<id>[0-9]+)$", article_page),
        (r"^/-/quote/(?P<id>[0-9]+)$", quote_page),
        (r"^/-/speaker/(?P<id>[0-9]+)$", speaker_page),
        (r"^/-/cluster/(?P<id>[0-9]+)$", cluster_page),
        (r"^/-/clusters$", clusters_index),
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
            {"href": urls.path("/-/clusters"), "label": "Quote clusters"},
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
    if view_name == "table" and table == "quotes" and request is not None \
            and request.args.get("_nocount") == OUR_NOCOUNT:
        return _quotes_table_total(datasette, database, request)
    return {}


def _quotes_table_total(datasette, database, request):
    """The quotes table's row count from the summary tables, Datasette's own turned off
    (_with_counted_total): 1.1 s for the most-quoted speaker's direct quotes at ten million."""
    async def inner():
        if database != await _quotes_db_name(datasette):
            return {}
        total = await _counted_total(datasette.get_database(database), request, None, {}, "quotes")
        return {} if total is None else {"filtered_table_rows_count": total}

    return inner


def _database_charts(datasette, database):
    async def inner():
        if database != await _quotes_db_name(datasette):
            return {}
        db = datasette.get_database(database)

        def build(conn):
            if not summary.per_month(conn):  # no quote has a date: no charts, the overview says so once
                return [], pages.overview(conn)
            return [
                charts.stacked_bars(*summary.per_month_by(conn, by), f"Quotes per month, by {by}", width=520, height=220)
                for by in ("speaker", "outlet")
            ], pages.overview(conn)

        quotes_charts, overview = await db.execute_fn(build)
        links = _links(datasette, database)
        return {"quotes_charts": quotes_charts, "quotes_overview": overview,
                **{k: links[k] for k in ("speaker_url", "article_url", "view_url", "article_label")}}

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
        db = datasette.get_database(database)
        try:
            where, params = await selection_where(datasette, request, database, "quotes_view")
            series = await _counted_months(db, request)
            on_quotes = facets.clauses_on_quotes(where)
            done = facets.passed(request, database, "quotes_view") if series is None else None
            if done is not None:  # the facets read the selected rows (a search's): their months and number
                series = [{"month": m, "n": n} for m, n in sorted(done[0]["month"].items()) if m]
            elif series is None:
                # the quotes table when the filters read only its columns: the view joins a row's names
                table, clauses = ("quotes", on_quotes) if on_quotes is not None else ("quotes_view", where)
                sql = "select month, count(*) as n from {} {} group by month order by month".format(
                    table, f"where {' and '.join(f'({c})' for c in clauses)}" if clauses else "")
                results = await db.execute(sql, params)
                series = [{"month": r["month"], "n": r["n"]} for r in results.rows if r["month"]]
        except (sqlite3.Error, QueryInterrupted, ValueError):  # the page itself reports bad filters
            return columns_links(request)
        title = "Quotes per month in this selection" if where else "Quotes per month"
        extra = {"quotes_selection_chart": charts.bars(series, title, height=170), **columns_links(request)}
        if request.args.get("_nocount") == OUR_NOCOUNT:  # Datasette's count turned off by _with_counted_total
            total = done[1] if done is not None else await _counted_total(db, request, on_quotes, params)
            if total is not None:
                extra["filtered_table_rows_count"] = total
        return extra

    return inner


async def _counted_months(db, request) -> list[dict] | None:
    """The selection chart's months from quote_counts, when the page selects all quotes or
    one speaker's or one outlet's (None otherwise: the rows are counted)."""
    found = facets.selection_filter("quotes_view", request.args)
    if found is None:
        return None

    def months(conn):
        selection = facets.resolve_selection(conn, found)
        if selection is False:
            return None
        return summary.per_month(conn) if selection is None else summary.per_month(conn, *selection)

    return await db.execute_fn(months)


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
    follows the request through Datasette's awaits, so concurrent requests do not mix),
    and answer a POST that Datasette would fail on with a 405."""

    def wrap(app):
        async def with_search(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            if scope.get("method") == "POST" and await _post_not_allowed(datasette, scope, receive):
                return await _not_allowed().asgi_send(send)
            scope = await _with_default_columns(datasette, scope)
            scope = await _with_counted_total(datasette, scope)
            token = _page_search.set(search_expression(Request(scope, receive).args))
            try:
                return await app(scope, receive, send)
            finally:
                _page_search.reset(token)

        return with_search

    return wrap


# A table, view or canned query: /<database>/<name>, with an optional .json-like format.
TABLE_PATH = re.compile(r"^/(?P<database>[^/.]+)/(?P<name>[^/.]+)(\.\w+)?$")

# The columns All quotes shows by default, in this order: what a reader needs (about 1,250 px
# wide at a 1,400 px window); the rest are a click away. speaker_id and article_id are there
# for the links of the speaker and article cells, and hidden by the CSS.
DEFAULT_COLUMNS = ("id", "text", "speaker", "kind", "outlet", "date", "article_title", "confidence",
                   "speaker_id", "article_id")
# ?_columns=all shows every column; the default view's own links carry _columns=default, so
# that Datasette's "Show all columns" (which drops _col) shows them all too.
COLUMNS_ARG = "_columns"


def _path(datasette, scope) -> str:
    path = scope.get("path", "")
    base_url = datasette.setting("base_url")
    if base_url != "/" and path.startswith(base_url):
        path = "/" + path[len(base_url):]
    return path


async def _all_quotes_read(datasette, scope, tables=("quotes_view",)):
    """(route match, database, table) when the request reads All quotes (quotes_view), or
    another of `tables`, of the quotes database, else None: the requests the two rewrites below
    may change."""
    if scope.get("method") not in READ_METHODS:
        return None
    match = TABLE_PATH.match(_path(datasette, scope))
    if not match or tilde_decode(match["name"]) not in tables:
        return None
    try:
        db = datasette.get_database(route=tilde_decode(match["database"]))
    except KeyError:
        return None
    if db.name != await _quotes_db_name(datasette):
        return None
    return match, db, tilde_decode(match["name"])


async def _with_default_columns(datasette, scope):
    """The request for All quotes' HTML page with the default columns (?_col=...) added
    when it chooses none: its 24 columns are 2,200 px wide. Any _col, _nocol or _columns
    in the URL is left as it is."""
    query = scope.get("query_string", b"")
    if any(k in ("_col", "_nocol", COLUMNS_ARG) for k, _ in parse_qsl(query.decode("latin-1"), keep_blank_values=True)):
        return scope
    found = await _all_quotes_read(datasette, scope)
    if found is None or found[0].group(3):  # (not its JSON or CSV)
        return scope
    db = found[1]
    present = set(await db.table_columns("quotes_view"))
    added = [("_col", c) for c in DEFAULT_COLUMNS if c in present] + [(COLUMNS_ARG, "default")]
    return {**scope, "query_string": query + (b"&" if query else b"") + urlencode(added).encode("ascii")}


# The value of _nocount that says this plugin turned Datasette's count off (and counts itself);
# a link that carries it along is decided again, a user's own _nocount=1 is left alone.
OUR_NOCOUNT = "quote_counts"


async def _with_counted_total(datasette, scope):
    """All quotes, and the quotes table, with Datasette's count turned off (_nocount) when this
    plugin can count the selection cheaper: from the summary tables (every quote, one speaker's,
    outlet's or venue's, or one kind of them), or for All quotes on the quotes table when the
    filters read only its columns. SQLite joins the view's tables for a count: 892 ms at a
    million quotes, 9 s at ten million; on the table, the most-quoted speaker's direct quotes
    took 1.1 s to count at ten million (the page shows our count: _selection_chart,
    _quotes_table_total)."""
    found = await _all_quotes_read(datasette, scope, tables=("quotes_view", "quotes"))
    if found is None:
        return scope
    db, table = found[1], found[2]
    pairs = [(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
             if (k, v) != ("_nocount", OUR_NOCOUNT)]
    scope = {**scope, "query_string": urlencode(pairs).encode("latin-1")}
    request = Request(scope, None)
    if "_nocount" in request.args:
        return scope
    if facets.selection_filter(table, request.args) is None:
        if table == "quotes":  # Datasette counts the table as we would
            return scope
        try:
            where, _ = await selection_where(datasette, request, db.name, "quotes_view")
        except Exception:  # a bad filter: the page reports it
            return scope
        if facets.clauses_on_quotes(where) is None:
            return scope
    return {**scope, "query_string": urlencode(pairs + [("_nocount", OUR_NOCOUNT)]).encode("latin-1")}


async def _counted_total(db, request, on_quotes: list[str] | None, params: dict,
                         table: str = "quotes_view") -> int | None:
    """The number of rows of All quotes' (or the quotes table's) selection: from the summary
    tables, or counted on the quotes table (`on_quotes`, its where-clauses) within the SQL time
    limit; None when neither can."""
    found = facets.selection_filter(table, request.args)
    if found is not None:
        def count(conn):
            selection = facets.resolve_selection(conn, found)
            return None if selection is False else summary.selection_total(conn, selection)

        total = await db.execute_fn(count)
        if total is not None:
            return total
    if on_quotes is None:
        return None
    where = " and ".join(f"({c})" for c in on_quotes) or "1"
    try:
        return (await db.execute(f"select count(*) from quotes where {where}", params)).rows[0][0]
    except QueryInterrupted:
        return None


def columns_links(request) -> dict:
    """On All quotes: which columns are shown, and the links to all of them or the default few."""
    pairs = [(k, v) for k, v in parse_qsl(request.query_string, keep_blank_values=True)
             if k not in ("_col", "_nocol", COLUMNS_ARG, "_next")]
    default = request.args.get(COLUMNS_ARG) == "default" and "_nocol" not in request.args \
        and "_col" in request.args
    return {
        "quotes_columns_default": default,
        "quotes_all_columns_url": request.path + "?" + urlencode(pairs + [(COLUMNS_ARG, "all")]),
        "quotes_default_columns_url": request.path + ("?" + urlencode(pairs) if pairs else ""),
    }


async def _post_not_allowed(datasette, scope, receive) -> bool:
    """Whether a POST goes to a table, a view or a canned query that does not write.

    Datasette 0.65 takes a POST there as one to a writable canned query and fails
    (an assertion for a table, a tuple where a response should be for a read-only
    query): a 500 for what is the client's mistake. The canned query is looked up
    for the request's actor, as Datasette does, so a query shown only to some still writes.
    """
    path = scope.get("path", "")
    base_url = datasette.setting("base_url")
    if base_url != "/" and path.startswith(base_url):
        path = "/" + path[len(base_url):]
    match = TABLE_PATH.match(path)
    if not match:
        return False
    try:
        db = datasette.get_database(route=tilde_decode(match["database"]))
    except KeyError:
        return False
    actor = scope.get("actor") or None
    for found in pm_hook().actor_from_request(datasette=datasette, request=Request(scope, receive)):
        found = await await_me_maybe(found)
        if found:
            actor = found
            break
    query = await datasette.get_canned_query(db.name, tilde_decode(match["name"]), actor)
    return not (query and query.get("write"))


def pm_hook():
    """Datasette's plugin hooks; imported late, as in selection_where()."""
    from datasette.plugins import pm

    return pm.hook


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


def _article_link(urls, article_id, title: str | None) -> Markup:
    """An article's title opening its page; an untitled one says so (never "None")."""
    label = pages.article_label(title, article_id)
    css = "" if title else ' class="untitled"'
    return Markup(f'<a{css} href="{urls.path(f"/-/article/{article_id}")}">{escape(label)}</a>')


def _cell_link(row, value, column, table, urls) -> Markup | None:
    if table in QUOTE_TABLES and column == "text" and value is not None:
        quote_id = _get(row, "id")
        if quote_id is not None:
            return Markup(f'<a class="quote-link" href="{urls.path(f"/-/quote/{quote_id}")}">{escape(value)}</a>')
    if table == "quotes_view" and column == "speaker" and value:
        speaker_id = _get(row, "speaker_id")
        if speaker_id is not None:
            return Markup(f'<a href="{urls.path(f"/-/speaker/{speaker_id}")}">{escape(value)}</a>')
    if table == "quotes_view" and column == "article_title":
        article_id = _get(row, "article_id")
        if article_id is not None:
            return _article_link(urls, article_id, value)
    if table == "articles" and column == "title":
        article_id = _get(row, "id")
        if article_id is not None:
            return _article_link(urls, article_id, value)
    if table == "quotes" and column == "article_id" and isinstance(value, dict) and not value.get("label"):
        # an expanded foreign key whose article has no title: Datasette would print "None 1"
        return Markup(f'{_article_link(urls, value["value"], None)}&nbsp;<em>{escape(value["value"])}</em>')
    if table in QUOTE_TABLES | {None} and column == "cluster_id" and isinstance(value, int):
        return Markup(f'<a href="{urls.path(f"/-/cluster/{value}")}">{value}</a>')
    if table == "clusters_view" and column in ("id", "text") and value is not None:
        cluster_id = _get(row, "id")
        if isinstance(cluster_id, int):
            return Markup(f'<a href="{urls.path(f"/-/cluster/{cluster_id}")}">{escape(value)}</a>')
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


@hookimpl
def register_facet_classes():
    return [facets.CountedFacet, facets.ChronologicalFacet]
