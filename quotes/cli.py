"""The command line: parse options, call the Python API, format the output.

Commands stay thin: each one calls functions from quotes.sources, quotes.store,
quotes.extract, quotes.serve or quotes.evaluate, which tests call directly too.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from typing import Iterable

import click

from . import __doc__ as package_doc


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, help=package_doc)
@click.version_option(package_name="quotes")
def cli():
    pass


def output_options(fn):
    """--nl, --csv, -t/--table for every command that prints rows; JSON is the default."""
    fn = click.option("-t", "--table", "fmt", flag_value="table", help="Output as an aligned table")(fn)
    fn = click.option("--csv", "fmt", flag_value="csv", help="Output as CSV")(fn)
    fn = click.option("--nl", "fmt", flag_value="nl", help="Output newline-delimited JSON, one object a line")(fn)
    fn = click.option("--json", "fmt", flag_value="json", default=True, help="Output a JSON array (the default)")(fn)
    return fn


def write_rows(rows: Iterable[dict], fmt: str, out=None, columns: list[str] | None = None) -> int:
    """Stream rows in the chosen format; returns how many were written."""
    out = out or click.get_text_stream("stdout")
    n = 0
    if fmt == "nl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        writer = None
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=columns or list(row), extrasaction="ignore")
                writer.writeheader()
            writer.writerow(row)
            n += 1
    elif fmt == "table":
        rows = list(rows)
        n = len(rows)
        if rows:
            cols = columns or list(rows[0])
            cells = [[_cell(r.get(c)) for c in cols] for r in rows]
            widths = [min(60, max(len(c), *(len(r[i]) for r in cells))) for i, c in enumerate(cols)]
            out.write("  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip() + "\n")
            out.write("  ".join("-" * w for w in widths) + "\n")
            for r in cells:
                out.write("  ".join(v[:w].ljust(w) for v, w in zip(r, widths)).rstrip() + "\n")
    else:
        out.write("[")
        for row in rows:
            out.write((",\n " if n else "") + json.dumps(row, ensure_ascii=False))
            n += 1
        out.write("]\n")
    return n


def _cell(value) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


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

    def warn(msg: str) -> None:
        click.echo(msg, err=True)

    skipped = 0
    docs = []
    with open(gold, encoding="utf-8") as fp:
        for n, line in enumerate(fp, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
                doc["text"], doc["id"]
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                warn(f"{gold}:{n}: skipped, not a gold record ({type(e).__name__}: {e})")
                skipped += 1
                continue
            docs.append(doc)
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
