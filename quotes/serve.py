"""Serve a quotes database with Datasette: the project's metadata, pages and chart.

The pages, templates, CSS and chart come from the plugin (quotes.datasette_plugin),
which a plain `datasette` loads too; this module adds the project's metadata.

`make_datasette()` is the one place a Datasette instance is built, so `quotes
serve`, `quotes serve --get` and the tests all see the same site.
"""
from __future__ import annotations

import asyncio
import copy
import json
import socket
from pathlib import Path

from datasette.app import Datasette
from datasette.plugins import pm

from . import datasette_plugin, queries
from .queries import NotAQuotesDatabase  # noqa: F401  (re-exported for callers)

PACKAGE_DIR = Path(__file__).resolve().parent
# Shipped as package data, so an installed `quotes serve` finds it too; the repo's
# top-level metadata.json is a link to this file.
DEFAULT_METADATA = PACKAGE_DIR / "metadata.json"
# metadata.json describes the database under this name; it is applied to whatever
# the file is called (news.db is served as "news").
METADATA_DB_KEY = "quotes"


def load_metadata(path: str | Path | None = None) -> dict:
    """Read Datasette metadata from JSON; the project's own file when no path is given."""
    path = Path(path) if path else DEFAULT_METADATA
    with open(path, encoding="utf-8") as fp:
        return json.load(fp)


def retarget_metadata(metadata: dict, db_name: str) -> dict:
    """Apply the "quotes" database block to the served database's actual name."""
    metadata = copy.deepcopy(metadata)
    databases = metadata.get("databases") or {}
    if db_name not in databases and METADATA_DB_KEY in databases:
        databases[db_name] = databases.pop(METADATA_DB_KEY)
    return metadata


def check_database(db_path: str | Path) -> None:
    """Refuse files that are not quotes databases, before Datasette fails on them less clearly."""
    queries.connect(db_path).close()


def make_datasette(db_path: str | Path, metadata: dict | str | Path | None = None) -> Datasette:
    """A Datasette for one quotes database, with our metadata, templates, CSS and pages.

    `metadata` may be a dict, a path to a JSON file, or None for the project's metadata.json.
    """
    db_path = Path(db_path)
    check_database(db_path)
    if not isinstance(metadata, dict):
        metadata = load_metadata(metadata)
    # Installed, the package registers the plugin through its entry point; run from
    # a source tree it may not have: register it here then, and never twice.
    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="quotes")
    return Datasette(
        [str(db_path)],
        metadata=retarget_metadata(metadata, db_path.stem),
        # The facets are chosen in metadata.json; suggesting more costs most of a
        # table page's time on a large database (bench/bench_serve.py).
        settings={"suggest_facets": False},
    )


async def _get(ds: Datasette, path: str):
    await ds.invoke_startup()
    return await ds.client.get(path)


def get(ds: Datasette, path: str) -> tuple[int, str]:
    """Fetch one page without a server (like `datasette --get`): (status, body)."""
    response = asyncio.run(_get(ds, path))
    return response.status_code, response.text


class PortInUse(Exception):
    """Something already listens where we were asked to serve."""


def check_port(host: str, port: int) -> None:
    """Fail with a remedy before uvicorn fails with a log line and exit status 3."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            s.bind((host, port))
        except OSError as e:
            raise PortInUse(f"cannot listen on {host}:{port} ({e.strerror}); try another --port") from e


def run(ds: Datasette, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve until interrupted."""
    import uvicorn

    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
