"""Plain text and Markdown files, and stdin, one article each.

A file's metadata may sit beside it in a sidecar: ``article.txt`` + ``article.meta.json``
holding any of title, url, outlet, date, author. Without one, the article has no
outlet and no date: we never invent them.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from .common import ArticleMeta, DecodeError, InputError, build_article, decode

SIDECAR_SUFFIX = ".meta.json"
STDIN = "-"  # the source name of stdin
SIDECAR_KEYS = {"title": "title", "url": "url", "outlet": "outlet", "date": "published",
                "published": "published", "author": "author"}


def sidecar_path(path: Path) -> Path:
    """``story.txt`` -> ``story.meta.json``; ``story.html.gz`` -> ``story.meta.json``."""
    name = path.name
    for suffix in (".gz",):
        name = name.removesuffix(suffix)
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return path.with_name(stem + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict | InputError:
    """The metadata beside `path`, {} when there is none, or an error naming the sidecar."""
    meta_path = sidecar_path(path)
    if not meta_path.is_file():
        return {}
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return InputError(str(meta_path), None, f"bad metadata sidecar, article skipped: {e}", "bad sidecar")
    if not isinstance(data, dict):
        return InputError(str(meta_path), None, "bad metadata sidecar, article skipped: not a JSON object", "bad sidecar")
    unknown = sorted(set(data) - set(SIDECAR_KEYS))
    if unknown:
        return InputError(
            str(meta_path), None,
            f"bad metadata sidecar, article skipped: unknown keys {', '.join(unknown)} "
            f"(expected {', '.join(SIDECAR_KEYS)})", "bad sidecar",
        )
    return {SIDECAR_KEYS[k]: v for k, v in data.items()}


def text_article(data: bytes, source: str, defaults: ArticleMeta, encoding: str | None,
                 meta: dict | None = None) -> Iterator:
    try:
        text = decode(data, encoding)
    except DecodeError as e:
        yield InputError(source, None, str(e), e.reason)
        return
    if source == STDIN and not text.strip():  # `printf '' | quotes extract -`: say where nothing came from
        yield InputError(source, None, "no text on stdin", "empty")
        return
    yield build_article(text.replace("\r\n", "\n"), source, None, meta or {}, defaults)

