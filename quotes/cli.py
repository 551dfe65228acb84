"""The command line: parse options, call the Python API, format the output.

Commands stay thin: each one calls functions from quotes.sources, quotes.store,
quotes.extract, quotes.serve or quotes.evaluate, which tests call directly too.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import os
import sys
import textwrap
from typing import Iterable

import click

from . import __doc__ as package_doc
from .extract import ENGINE_BUILD, ENGINE_VERSION


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, help=package_doc)
@click.version_option(package_name="quotes",
                      message=f"%(prog)s, version %(version)s; engine {ENGINE_VERSION}, {ENGINE_BUILD}")
def cli():
    pass


# The row formats, each one flag: (flag, help). JSON is every command's default but export's.
OUTPUT_FORMATS = {
    "json": ("--json", "Output a JSON array"),
    "nl": ("--nl", "Output newline-delimited JSON, one object a line"),
    "csv": ("--csv", "Output as CSV"),
    "table": ("-t/--table", "Output as an aligned table, long cells wrapped"),
}

# export's older spelling of the same choice: --format jsonl is --nl, --format csv is --csv
EXPORT_FORMAT_NAMES = {"jsonl": "nl", "csv": "csv"}


class OneLineUsageError(click.UsageError):
    """A usage error (exit 2) told in one line, for a mistake the message alone explains."""

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


def output_options(fn=None, *, default: str = "json"):
    """--json, --nl, --csv, -t/--table for every command that prints rows, passed on as `fmt`.

    Two of them at once (or one against export's --format) is a usage error rather than a
    silent pick, since the user meant one and would get the other.
    """
    if fn is None:
        return lambda f: output_options(f, default=default)

    @functools.wraps(fn)
    def command(*args, **kwargs):
        chosen = [name for name in OUTPUT_FORMATS if kwargs.pop(f"as_{name}")]
        format_name = kwargs.get("format_name")
        if format_name and EXPORT_FORMAT_NAMES[format_name] not in chosen:
            chosen.insert(0, EXPORT_FORMAT_NAMES[format_name])
        if len(chosen) > 1:
            flags = [OUTPUT_FORMATS[name][0].split("/")[-1] for name in chosen]
            raise OneLineUsageError(f"choose one output format, not {' and '.join(flags)}")
        return fn(*args, fmt=chosen[0] if chosen else default, **kwargs)

    for name, (flags, help_text) in reversed(OUTPUT_FORMATS.items()):
        if name == default:
            help_text += " (the default)"
        command = click.option(*flags.split("/"), f"as_{name}", is_flag=True, help=help_text)(command)
    return command


# A table cell is wrapped at this many characters (at a space when it can be), so a quote is
# read whole on the lines below rather than cut: 60.
TABLE_CELL_WIDTH = 60


def write_rows(rows: Iterable[dict], fmt: str, out=None, columns: list[str] | None = None) -> int:
    """Stream rows in the chosen format; returns how many were written."""
    out = out or sys.stdout
    n = 0
    if fmt == "nl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        writer = None
        if columns:  # a header even when there are no rows
            writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row), extrasaction="ignore")
                writer.writeheader()
            writer.writerow({k: _csv_cell(v) for k, v in row.items()})
            n += 1
    elif fmt == "table":
        rows = list(rows)
        n = len(rows)
        if rows:
            _write_table(rows, columns or list(rows[0]), out)
    else:
        out.write("[")
        for row in rows:
            out.write((",\n " if n else "") + json.dumps(row, ensure_ascii=False))
            n += 1
        out.write("]\n")
    return n


def _write_table(rows: list[dict], cols: list[str], out) -> None:
    """Aligned columns; a cell over TABLE_CELL_WIDTH wraps onto lines of its own column, and
    rows are then parted by a blank line so each quote reads as one block."""
    cells = [[_wrapped(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(line) for r in cells for line in r[i])) for i, c in enumerate(cols)]
    out.write("  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    wraps = any(len(cell) > 1 for r in cells for cell in r)
    for number, r in enumerate(cells):
        if wraps and number:
            out.write("\n")
        for k in range(max(len(cell) for cell in r)):
            line = [(cell[k] if k < len(cell) else "").ljust(w) for cell, w in zip(r, widths)]
            out.write("  ".join(line).rstrip() + "\n")


def _wrapped(value) -> list[str]:
    """A cell's text on one line, or on several of at most TABLE_CELL_WIDTH characters."""
    text = _cell(value)
    if len(text) <= TABLE_CELL_WIDTH:
        return [text]
    return textwrap.wrap(text, TABLE_CELL_WIDTH, break_on_hyphens=False) or [""]


def _cell(value) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): quoted text can
# start with any of them, so a quote "-5 degrees" or "=HYPERLINK(...)" must not run.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    """A text cell that a spreadsheet would run as a formula gets a leading ' (as OWASP advises).

    Every such text is escaped, "-5" too; numbers stored as numbers (ids, offsets) are left alone.
    Leading whitespace does not hide a formula from every spreadsheet, so it is looked past.
    """
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS)):
        return "'" + value
    return value


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--predictions", type=click.Path(exists=True, dir_okay=False),
              help="Score these predictions (quotes extract --nl output) instead of running the engine")
@click.option("--errors", is_flag=True, help="List misses, false alarms and wrong speakers, each in its paragraph")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON")
def eval_(gold, predictions, errors, as_json):
    """Measure extraction quality against gold annotations (JSONL).

    \b
    Example:
        quotes eval gold/polnear/dev.jsonl --errors
    """
    from . import evaluate

    skipped = 0

    def warn(msg: str) -> None:
        nonlocal skipped
        skipped += 1
        click.echo(msg, err=True)

    docs = evaluate.load_gold(gold, warn)
    preds = evaluate.load_predictions(predictions, warn) if predictions else None
    scores, results = evaluate.evaluate(docs, predictions=preds)
    if errors:
        for block in evaluate.format_errors(results):
            click.echo(block)
        click.echo("")
    if as_json:
        click.echo(json.dumps(scores.to_dict(), indent=2))
    else:
        click.echo(evaluate.format_scores(scores))
    if skipped:
        sys.exit(1)


def source_options(fn):
    """What `ingest` and `extract` share: metadata that wins over the inputs', and how to read them."""
    from .ingest import MAX_ARTICLE_MB

    options = [
        click.option("--outlet", help="Outlet of every article (wins over the inputs' own)"),
        click.option("--date", help="Publication date of every article, e.g. 2024-03-05"),
        click.option("--url", help="URL of the article (for a single input)"),
        click.option("--title", help="Title of the article (for a single input)"),
        click.option("--author", help="Author of every article"),
        click.option("field_pairs", "--field", multiple=True, metavar="FIELD=COLUMN",
                     help="Read FIELD (text, title, url, outlet, date, author, id) from COLUMN of JSONL/CSV records"),
        click.option("--encoding", help="Encoding of text inputs (default UTF-8), or 'auto' to guess"),
        click.option("--urls", "urls_file", type=click.Path(exists=True, dir_okay=False),
                     help="File of URLs to fetch, one a line (# comments allowed)"),
        click.option("--concurrency", type=click.IntRange(1, 64), default=4, show_default=True,
                     help="Pages fetched at once"),
        click.option("--timeout", type=click.FloatRange(0.1), default=30.0, show_default=True,
                     help="Seconds to wait for a page"),
        click.option("--max-article-mb", type=click.FloatRange(0, min_open=True), default=MAX_ARTICLE_MB,
                     show_default=True, help="Refuse an article whose text is longer (MB of UTF-8)"),
        click.option("--include-stance", is_flag=True,
                     help="Keep beliefs, wishes, plans and perceptions too, marked stance (not quotes: left out by default)"),
        click.option("--silent", is_flag=True, help="No progress bar"),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _source_kwargs(inputs, outlet, date, url, title, author, field_pairs, encoding, urls_file, concurrency,
                   timeout) -> dict:
    """Check the options (bad ones are usage errors, exit 2) and turn them into iter_articles arguments."""
    import codecs

    from .sources import ArticleMeta, BadDate, normalize_date, parse_field_map, read_url_list, single_article

    try:
        published = normalize_date(date)
    except BadDate as e:
        raise click.BadParameter(str(e), param_hint="--date")
    try:
        field_map = parse_field_map(field_pairs)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--field")
    if encoding and encoding.lower() != "auto":
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise click.BadParameter(f"unknown encoding {encoding!r}", param_hint="--encoding")
    urls: list[str] = []
    if urls_file:
        listed = read_url_list(urls_file)
        if not isinstance(listed, list):
            raise click.BadParameter(str(listed), param_hint="--urls")
        urls = listed
    if not inputs and not urls:
        raise click.UsageError("Give at least one PATH or URL, or --urls FILE.")
    if (url or title) and (urls or not single_article(inputs)):
        # one URL on many articles would also make them duplicates of each other
        raise click.UsageError("--url and --title name one article: give a single text or HTML file, - or URL.")
    return dict(
        defaults=ArticleMeta(title=title, url=url, outlet=outlet, published=published, author=author),
        field_map=field_map, encoding=encoding, urls=urls, concurrency=concurrency, timeout=timeout,
    )


class OpenedOnFirstUse:
    """A database file that does not exist yet, created and migrated (store.open_db) when the
    ingest first looks an article up in it; until then nothing is on disk.

    Opening late keeps store.open_db's guarantees for writers that start together: the file is
    created and migrated under its lock, by whichever process gets there first.
    """

    def __init__(self, path: str):
        self._path = path
        self._db = None

    def _opened(self):
        if self._db is None:
            from . import store

            self._db = store.open_db(self._path)
        return self._db

    def __getattr__(self, name: str):
        return getattr(self._opened(), name)

    def __getitem__(self, table: str):
        return self._opened()[table]


def _default_workers() -> int:
    from .parallel import default_workers

    return default_workers()


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("inputs", nargs=-1, metavar="PATH_OR_URL...")
@source_options
@click.option("--workers", type=click.IntRange(1, 256), default=_default_workers, show_default="the cores",
              help="Processes that run the engine (1: all in this one)")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Run the engine on this Dask cluster instead (pip install 'quotes[dask]')")
def ingest(db_path, inputs, silent, max_article_mb, include_stance, workers, scheduler, **options):
    """Read articles, find their quotes and store both in a SQLite database.

    Inputs: text and Markdown files, folders (recursively), - for stdin, JSONL and
    CSV dumps (one record an article), HTML pages, WARC crawls and http(s) URLs.
    An article already stored (same text) is not added again; one stored under the
    same URL with another text is updated: new text, metadata and quotes.

    \b
    Example:
        quotes ingest quotes.db seeds/
        quotes ingest quotes.db dump.jsonl --field text=article_body
        quotes ingest quotes.db --urls urls.txt --concurrency 8
        quotes ingest quotes.db crawl.warc.gz --scheduler tcp://10.0.0.5:8786
    """
    from . import store
    from .ingest import EngineMismatch, ingest as run
    from .progress import ProgressLine
    from .sources import input_size

    import sqlite3

    from .ingest import IngestSummary

    kwargs = _source_kwargs(inputs, **options)
    pool = _cluster_pool(scheduler, include_stance) if scheduler else None
    try:  # a new file is made only for a first article: a run that reads none leaves no empty database
        db = store.open_db(db_path) if os.path.exists(db_path) else OpenedOnFirstUse(db_path)
    except sqlite3.DatabaseError as e:
        raise click.ClickException(_db_error(db_path, e, "cannot open as a SQLite database: "))
    progress = ProgressLine(None if kwargs["urls"] else input_size(inputs), enabled=not silent)
    summary = IngestSummary()
    try:
        run(db, inputs, on_error=progress.echo, progress=progress, summary=summary, workers=workers, pool=pool,
            max_article_mb=max_article_mb, include_stance=include_stance, **kwargs)
    except EngineMismatch as e:
        progress.clear()
        click.echo(summary.line(), err=True)
        raise click.ClickException(str(e))
    except KeyboardInterrupt:
        # every article stored so far is committed: say how far we got
        progress.clear()
        click.echo(summary.line() + " Interrupted.", err=True)
        sys.exit(130)
    except sqlite3.OperationalError as e:  # the disk, or a writer that never lets go: stop, keep what is stored
        progress.clear()
        click.echo(summary.line(), err=True)
        raise click.ClickException(_db_error(db_path, e))
    finally:
        if pool is not None:
            pool.close()
    progress.clear()
    click.echo(summary.line(), err=True)
    if not summary.ok:
        sys.exit(1)


def _cluster_pool(scheduler: str, include_stance: bool):
    """A client of a Dask scheduler, or one line saying why there is none (Dask is imported only here)."""
    try:
        from .cluster import ClusterUnavailable, DaskPool
    except ImportError as e:
        raise click.ClickException(f"--scheduler needs Dask: pip install 'quotes[dask]' ({e})")
    try:
        return DaskPool(scheduler, include_stance)
    except ClusterUnavailable as e:
        raise click.ClickException(str(e))


@cli.command()
@click.argument("inputs", nargs=-1, metavar="PATH_OR_URL...")
@source_options
@output_options
def extract(inputs, fmt, silent, max_article_mb, include_stance, **options):
    """Print the quotes of articles, without a database.

    Takes the same inputs as ingest. With --nl, one quote a line carrying doc_id
    (a JSONL/CSV record's id, else the path), offsets into that text, speaker, cue,
    addressee, venue, place and date: the format quotes eval --predictions reads.

    \b
    Example:
        quotes extract article.txt -t
        quotes extract docs.jsonl --nl > predictions.jsonl
    """
    from .ingest import QUOTE_COLUMNS, IngestSummary, quote_rows

    kwargs = _source_kwargs(inputs, **options)
    summary = IngestSummary()
    rows = quote_rows(inputs, summary, on_error=lambda err: click.echo(str(err), err=True),
                      max_article_mb=max_article_mb, include_stance=include_stance, **kwargs)
    try:
        print_rows(rows, fmt, columns=QUOTE_COLUMNS)
    except KeyboardInterrupt:
        click.echo(summary.line().replace("Added", "Found", 1) + " Interrupted.", err=True)
        sys.exit(130)
    if not silent:
        click.echo(summary.line().replace("Added", "Found", 1), err=True)
    if not summary.ok:
        sys.exit(1)


# --- reading: serve, search, speakers, export (logic in quotes.serve and quotes.queries) ---

DB_ARG = click.Path(exists=True, dir_okay=False)


@cli.command()
@click.argument("db_path", metavar="OUT", type=click.Path(dir_okay=False))
@click.argument("shards", nargs=-1, required=True, metavar="SHARD...", type=click.Path(exists=True, dir_okay=False))
def merge(db_path, shards):
    """Combine shard databases into one: every article once, with its quotes.

    Shards are quotes databases ingested apart. Their articles are added in the order
    given (an article already in OUT, same text, is not added again), so shards of
    consecutive parts of a corpus, merged in order, give the ids one ingest would.

    \b
    Example:
        quotes merge quotes.db part1.db part2.db
    """
    import sqlite3

    from . import store
    from .ingest import IngestSummary
    from .merge import merge as run

    if any(os.path.exists(db_path) and os.path.samefile(db_path, s) for s in shards):
        raise click.UsageError("OUT cannot be one of the shards.")
    try:
        db = store.open_db(db_path)
    except sqlite3.DatabaseError as e:
        raise click.ClickException(_db_error(db_path, e, "cannot open as a SQLite database: "))
    summary = IngestSummary()
    try:
        run(db, shards, on_error=lambda err: click.echo(str(err), err=True), summary=summary)
    except KeyboardInterrupt:
        click.echo(summary.line() + " Interrupted.", err=True)
        sys.exit(130)
    except sqlite3.OperationalError as e:
        click.echo(summary.line(), err=True)
        raise click.ClickException(_db_error(db_path, e))
    click.echo(summary.line(), err=True)
    if not summary.ok:
        sys.exit(1)


@cli.command(name="re-extract")
@click.argument("db_path", metavar="DB", type=click.Path(exists=True, dir_okay=False))
@click.option("--all", "everything", is_flag=True, help="Every article, not only those read by an older engine")
@click.option("--silent", is_flag=True, help="No progress bar")
def re_extract(db_path, everything, silent):
    """Find the quotes of stored articles again with this version of the engine.

    Articles that an older engine version read get their quotes replaced, one
    transaction an article; articles already read by this version are left alone.

    \b
    Example:
        quotes re-extract quotes.db
        quotes re-extract quotes.db --all
    """
    import sqlite3

    from . import store
    from .ingest import ReextractSummary, reextract

    try:
        db = store.open_db(db_path)
    except sqlite3.DatabaseError as e:
        raise click.ClickException(_db_error(db_path, e, "cannot open as a SQLite database: "))
    show = not silent and sys.stderr.isatty()
    summary = ReextractSummary()
    try:
        with click.progressbar(length=1, label="Re-extracting", file=sys.stderr, hidden=not show) as bar:
            def progress(summary, total):
                bar.length = total
                bar.update(1)

            reextract(db, everything=everything, progress=progress, summary=summary)
    except KeyboardInterrupt:  # each article is wholly old or wholly new: say how far we got
        click.echo(summary.line() + " Interrupted.", err=True)
        sys.exit(130)
    except sqlite3.OperationalError as e:
        click.echo(summary.line(), err=True)
        raise click.ClickException(_db_error(db_path, e))
    click.echo(summary.line(), err=True)


def _db_error(db_path: str, error: Exception, otherwise: str = "") -> str:
    """One line for a database that cannot be opened or written; a lock is explained, not blamed on the file."""
    from .store import BUSY_TIMEOUT_S

    if "locked" in str(error) or "busy" in str(error):
        return (f"{db_path}: {error} (another process kept it for over {BUSY_TIMEOUT_S:g} s; "
                "try again when it is done)")
    return f"{db_path}: {otherwise}{error}"


def _read_db(db_path: str):
    """A read-only connection, or one clear line naming the file."""
    from . import queries

    try:
        return queries.connect(db_path)
    except queries.NotAQuotesDatabase as e:
        raise click.ClickException(str(e))


@cli.command()
@click.argument("db_path", metavar="DB", type=DB_ARG)
@click.option("--host", default="127.0.0.1", show_default=True, help="Host to listen on")
@click.option("-p", "--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on")
@click.option("-m", "--metadata", type=click.Path(exists=True, dir_okay=False),
              help="Datasette metadata JSON to use instead of the project's metadata.json")
@click.option("--get", "get_path", metavar="PATH", help="Print the response for this path and exit, like datasette --get")
def serve(db_path, host, port, metadata, get_path):
    """Browse a quotes database in Datasette: facets, search, quote and speaker pages, charts.

    \b
    Example:
        quotes serve quotes.db
        quotes serve quotes.db --get /-/speaker/1
    """
    from . import queries, serve as serving

    try:
        ds = serving.make_datasette(db_path, metadata)
    except queries.NotAQuotesDatabase as e:
        raise click.ClickException(str(e))
    except (json.JSONDecodeError, OSError) as e:
        raise click.ClickException(f"{metadata}: not valid metadata JSON ({e})")
    if get_path:
        status, body = serving.get(ds, get_path)
        click.echo(body)
        sys.exit(1 if status >= 400 else 0)
    try:
        serving.check_port(host, port)
    except serving.PortInUse as e:
        raise click.ClickException(str(e))
    click.echo(f"Serving {db_path} on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    serving.run(ds, host=host, port=port)


def filter_options(fn):
    """Which quotes search and export keep, passed on as `filters` (the arguments of
    queries.quote_filters), so both commands take the same options with the same meaning."""
    options = [
        click.option("--speaker", help="Only quotes by a speaker whose name contains this"),
        click.option("--outlet", help="Only quotes from an outlet whose name contains this"),
        click.option("--kind", type=click.Choice(["direct", "indirect", "mixed"]), help="Only quotes of this kind"),
        click.option("--since", metavar="DATE", help="Only quotes from this date on (2024, 2024-03 or 2024-03-15)"),
        click.option("--until", metavar="DATE",
                     help="Only quotes up to this date, inclusive (2024-03 is the whole month)"),
        click.option("--min-confidence", type=click.FloatRange(0, 1), metavar="P",
                     help="Only quotes whose confidence is at least P (0 to 1)"),
    ]
    names = ("speaker", "outlet", "kind", "since", "until", "min_confidence")

    @functools.wraps(fn)
    def command(*args, **kwargs):
        filters = {name: kwargs.pop(name) for name in names}
        return fn(*args, filters=filters, **kwargs)

    for option in reversed(options):
        command = option(command)
    return command


def print_rows(rows: Iterable[dict], fmt: str, columns: list[str] | None = None) -> int:
    """write_rows to stdout. A reader that stops early (`quotes export db | head -1`) has all it
    wants: the command ends quietly with exit 0, as `cat` and `grep` do under a shell pipe."""
    try:
        n = write_rows(rows, fmt, columns=columns)
        sys.stdout.flush()  # inside the try: a closed pipe is often found only here
    except BrokenPipeError:
        # as the Python docs advise: stdout on /dev/null, so the flush at exit cannot fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    return n


def _bad_date(error: Exception) -> click.BadParameter:
    return click.BadParameter(str(error), param_hint="--since/--until")


@cli.command()
@click.argument("db_path", metavar="DB", type=DB_ARG)
@click.argument("query")
@filter_options
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=0), help="How many results; 0 for all")
@output_options
def search(db_path, query, filters, limit, fmt):
    """Full-text search of quote texts, best match first; "protests" also finds "protest".

    Matches are shown in [brackets] in the snippet column. Only the quote's own
    words are searched: a speaker, outlet or date is an option.

    \b
    Example:
        quotes search quotes.db "freedom of speech" --speaker Toqaev -t
    """
    from . import queries

    conn = _read_db(db_path)
    try:
        rows = queries.search(conn, query, limit=limit or None, **filters)
    except queries.BadDate as e:
        raise _bad_date(e)
    print_rows(rows, fmt)


@cli.command()
@click.argument("db_path", metavar="DB", type=DB_ARG)
@output_options
def speakers(db_path, fmt):
    """List speakers with their number of quotes, the outlets that quoted them, their type
    and the names (aliases) they were quoted under across articles.

    \b
    Example:
        quotes speakers quotes.db -t
    """
    from . import queries

    print_rows(_flat(queries.speakers(_read_db(db_path)), fmt), fmt)


@cli.command()
@click.argument("db_path", metavar="DB", type=DB_ARG)
@filter_options
@click.option("--format", "format_name", type=click.Choice(list(EXPORT_FORMAT_NAMES)),
              help="jsonl (the same as --nl) or csv (the same as --csv)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file, not stdout")
@output_options(default="nl")
def export(db_path, filters, format_name, output, fmt):
    """Export quotes with speaker, outlet and article joined in.

    Every quote, or those the filters keep (the same filters as search).

    \b
    Example:
        quotes export quotes.db --csv -o quotes.csv
        quotes export quotes.db --speaker Toqaev --kind direct -t
    """
    from . import queries

    conn = _read_db(db_path)
    try:
        rows = queries.export(conn, **filters)
    except queries.BadDate as e:
        raise _bad_date(e)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as out:
            n = write_rows(rows, fmt, out=out, columns=queries.EXPORT_COLUMNS)
        click.echo(f"Exported {n} quotes to {output}", err=True)
    else:
        print_rows(rows, fmt, columns=queries.EXPORT_COLUMNS)


# --- across articles: one speaker per person, quote clusters, corrections by hand ---
# (logic in quotes.link, quotes.clusters and quotes.corrections)

def _flat(rows: Iterable[dict], fmt: str) -> Iterable[dict]:
    """Lists and objects as they are in JSON; for CSV and tables, one readable cell each."""
    if fmt in ("json", "nl"):
        yield from rows
        return
    for row in rows:
        yield {k: _flat_cell(v) for k, v in row.items()}


def _flat_cell(value):
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v is not None)
    if isinstance(value, list):
        return "; ".join(str(_flat_cell(v)) for v in value)
    return value


def _write_db(db_path: str):
    """A quotes database opened for writing; a file that is not one is refused, never migrated."""
    import sqlite3

    from . import store

    _read_db(db_path).close()
    try:
        return store.open_db(db_path)
    except sqlite3.DatabaseError as e:
        raise click.ClickException(_db_error(db_path, e, "cannot open as a SQLite database: "))


def _correct(db_path: str, action, *args) -> None:
    """Run one correction; a name or quote that does not exist is one line, exit 1."""
    import sqlite3

    from .corrections import CorrectionError

    db = _write_db(db_path)
    try:
        action(db, *args)
    except CorrectionError as e:
        raise click.ClickException(str(e))
    except sqlite3.OperationalError as e:
        raise click.ClickException(_db_error(db_path, e))


@cli.command(name="merge-speakers")
@click.argument("db_path", metavar="DB", type=DB_ARG)
@click.argument("name")
@click.argument("other")
def merge_speakers(db_path, name, other):
    """Make two speakers one: OTHER's names and quotes go to NAME.

    The correction is stored and applied again after every ingest, re-extract and relink.

    \b
    Example:
        quotes merge-speakers quotes.db "Barack Obama" "Obama"
    """
    from . import corrections

    _correct(db_path, corrections.merge_speakers, name, other)
    click.echo(f"Merged {other!r} into {name!r}.", err=True)


@cli.command(name="rename-speaker")
@click.argument("db_path", metavar="DB", type=DB_ARG)
@click.argument("name")
@click.argument("new")
def rename_speaker(db_path, name, new):
    """Give a speaker another name (shown everywhere; their aliases stay).

    \b
    Example:
        quotes rename-speaker quotes.db "Toqaev" "Kassym-Jomart Tokayev"
    """
    from . import corrections

    _correct(db_path, corrections.rename_speaker, name, new)
    click.echo(f"Renamed {name!r} to {new!r}.", err=True)


@cli.command(name="split-speaker")
@click.argument("db_path", metavar="DB", type=DB_ARG)
@click.argument("name")
@click.argument("alias")
def split_speaker(db_path, name, alias):
    """Take ALIAS off speaker NAME: the quotes given under ALIAS get a speaker of their own.

    \b
    Example:
        quotes split-speaker quotes.db "Hillary Clinton" "Clinton"
    """
    from . import corrections

    _correct(db_path, corrections.split_speaker, name, alias)
    click.echo(f"Split {alias!r} off {name!r}.", err=True)


@cli.command()
@click.argument("db_path", metavar="DB", type=DB_ARG)
@click.argument("quote_id", type=int)
@click.option("--speaker", "name", metavar="NAME", help="Give the quote this speaker (any of their names, or a new one)")
@click.option("--reject", is_flag=True, help="Mark it as not a quote: removed, now and after every re-extract")
def correct(db_path, quote_id, name, reject):
    """Correct one quote: give it another speaker, or mark it as not a quote.

    The quote is remembered by its article and its words, not its id, so the
    correction holds after quotes re-extract --all.

    \b
    Example:
        quotes correct quotes.db 42 --speaker "Ana Ruiz"
        quotes correct quotes.db 43 --reject
    """
    from . import corrections

    if bool(name) == reject:
        raise click.UsageError("Give either --speaker NAME or --reject.")
    if reject:
        _correct(db_path, corrections.reject_quote, quote_id)
        click.echo(f"Quote {quote_id} marked as not a quote.", err=True)
    else:
        _correct(db_path, corrections.correct_speaker, quote_id, name)
        click.echo(f"Quote {quote_id} given to {name!r}.", err=True)


@cli.command(name="corrections")
@click.argument("db_path", metavar="DB", type=DB_ARG)
@output_options
def corrections_(db_path, fmt):
    """List the corrections made by hand, oldest first.

    \b
    Example:
        quotes corrections quotes.db -t
    """
    from . import corrections

    print_rows(corrections.corrections(_read_db(db_path)), fmt)


@cli.command()
@click.argument("db_path", metavar="DB", type=DB_ARG)
@click.option("--min-sightings", type=click.IntRange(min=1), default=2, show_default=True,
              help="Only clusters seen in at least this many articles (1 for every quote)")
@click.option("--limit", type=click.IntRange(min=0), default=0, help="How many clusters; 0 (the default) for all")
@output_options
def clusters(db_path, min_sightings, limit, fmt):
    """List quote clusters: the same words reported by several articles, most sighted first.

    Each row: text (the fullest wording), sightings (articles), outlets, first_seen
    (date, outlet, article id), speakers (more than one: misattributed) and variants
    (other wordings, with a word diff: [-taken out-] {+put in+}).

    \b
    Example:
        quotes clusters quotes.db -t
        quotes clusters quotes.db --min-sightings 5 --nl
    """
    from . import clusters as clustering

    print_rows(_flat(clustering.clusters(_read_db(db_path), min_sightings, limit or None), fmt), fmt)


@cli.command()
@click.argument("db_path", metavar="DB", type=DB_ARG)
@click.option("--silent", is_flag=True, help="No progress bar")
def relink(db_path, silent):
    """Link every speaker across articles and cluster every quote again, from scratch.

    Ingest and re-extract do this as they go, article by article; run it once after
    upgrading a database made by an older quotes. Corrections are applied again.

    \b
    Example:
        quotes relink quotes.db
    """
    import sqlite3

    from . import clusters as clustering, link

    db = _write_db(db_path)
    show = not silent and sys.stderr.isatty()
    try:
        speakers_n = link.relink(db)
        with click.progressbar(length=1, label="Clustering", file=sys.stderr, hidden=not show) as bar:
            def progress(done, total):
                bar.length = total
                bar.update(done - bar.pos)

            clusters_n = clustering.rebuild(db, progress)
    except sqlite3.OperationalError as e:
        raise click.ClickException(_db_error(db_path, e))
    shared = db.execute("select count(*) from clusters where sightings > 1").fetchone()[0]
    click.echo(f"Linked {speakers_n:,} speakers; {clusters_n:,} quote clusters, "
               f"{shared:,} of them seen in more than one article.", err=True)

