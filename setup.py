"""Build the extraction engine as C with mypyc: the same Python source, two to three times faster.

Everything else about the package lives in pyproject.toml. The engine stays plain Python that
runs as it is: when mypyc or a C compiler is missing, or QUOTES_PURE_PYTHON=1 is set at build
time, the package installs without the compiled modules and `quotes` runs the source instead
(see quotes/extract/native.py, which also refuses compiled modules older than their source).
"""
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

sys.path.insert(0, str(Path(__file__).parent / "quotes" / "extract"))
from native import ENGINE_MODULES, GROUP, source_digest  # noqa: E402  (no package import: no deps yet)

HERE = Path(__file__).parent
PACKAGE = HERE / "quotes" / "extract"


class optional_build_ext(build_ext):
    """A failed compile leaves the pure Python engine in place instead of failing the install."""

    def run(self):
        try:
            super().run()
        except Exception as e:  # no compiler, no Python headers ...
            print(f"quotes: engine not compiled ({e}); the Python source will run", file=sys.stderr)

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as e:
            print(f"quotes: {ext.name} not compiled ({e}); the Python source will run", file=sys.stderr)


def engine_extensions():
    if os.environ.get("QUOTES_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("quotes: mypyc is not installed; the engine will run as Python source", file=sys.stderr)
        return []
    # the other modules the engine imports (quotes.model) are read for their types, not checked
    paths = ["--follow-imports=silent"] + [str(Path("quotes") / "extract" / f"{name}.py") for name in ENGINE_MODULES]
    extensions = mypycify(paths, opt_level="3", group_name=GROUP)
    # what the compiled modules were built from, so a later edit of the source is noticed
    (PACKAGE / "_built.py").write_text(
        '"""Written by setup.py: the digest of the engine source that was compiled."""\n'
        f"SOURCE_DIGEST = {source_digest()!r}\n"
    )
    return extensions


setup(ext_modules=engine_extensions(), cmdclass={"build_ext": optional_build_ext})
