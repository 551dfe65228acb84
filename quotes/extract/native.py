"""Which engine runs: the modules mypyc compiled from this source (see setup.py), or the source.

The compiled modules give the same quotes two to three times faster. They are used only when they
were built from the engine's files as they are now (setup.py writes the digest of the source it
compiled), so an edit to the engine is never hidden behind an older build.
QUOTES_PURE_PYTHON=1 in the environment runs the source on purpose: to compare, or to debug.

This module imports nothing of the package: setup.py reads it before anything is installed.
"""
from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import sys
import warnings
from pathlib import Path

# every module mypyc compiles; they call each other in C, so all of them or none are used
ENGINE_MODULES = ("lexicon", "spans", "sentences", "cues", "resolve", "speakers", "context", "furniture", "engine")
# mypyc's shared library of those modules: quotes/extract/_compiled__mypyc.<abi>.so
GROUP = "quotes.extract._compiled"
HERE = Path(__file__).resolve().parent


def source_digest() -> str:
    """A digest of the engine's source files, as compiled or as they are now."""
    digest = hashlib.sha256()
    for name in ENGINE_MODULES:
        digest.update(name.encode())
        digest.update((HERE / f"{name}.py").read_bytes())
    return digest.hexdigest()


def _extension(name: str) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = HERE / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def compiled_state() -> tuple[bool, str]:
    """(whether to import the compiled modules, why not if not)."""
    if os.environ.get("QUOTES_PURE_PYTHON"):
        return False, "QUOTES_PURE_PYTHON is set"
    shared_library = GROUP.rsplit(".", 1)[1] + "__mypyc"
    if any(_extension(name) is None for name in (*ENGINE_MODULES, shared_library)):
        return False, "not compiled (mypyc or a C compiler was missing at install)"
    try:
        from ._built import SOURCE_DIGEST  # written by setup.py next to what it compiled
    except ImportError:
        SOURCE_DIGEST = ""
    if SOURCE_DIGEST != source_digest():
        return False, "the compiled modules are older than the source: reinstall to compile them again"
    return True, ""


class _SourceFinder:
    """Import the engine modules from their .py files although compiled ones sit beside them."""

    @staticmethod
    def find_spec(fullname: str, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package == __package__ and name in ENGINE_MODULES:
            return importlib.util.spec_from_file_location(fullname, HERE / f"{name}.py")
        return None


def choose() -> str:
    """Decide, before any engine module is imported, which engine runs; say which in a few words."""
    use_compiled, why = compiled_state()
    if use_compiled:
        return "compiled (mypyc)"
    if any(_extension(name) is not None for name in ENGINE_MODULES):
        if _SourceFinder not in sys.meta_path:
            sys.meta_path.insert(0, _SourceFinder)
        if not os.environ.get("QUOTES_PURE_PYTHON"):
            warnings.warn(f"quotes engine: {why}", stacklevel=2)
    return f"Python source ({why})"
