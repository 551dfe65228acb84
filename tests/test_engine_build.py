"""The engine as installed: compiled by mypyc (setup.py), the same quotes as its Python source.

`quotes.extract.native` picks the compiled modules only when they were built from the source as
it is now; these tests check that choice, and that both builds give the same quotes.
"""
import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quotes.extract import ENGINE_BUILD, ENGINE_VERSION, extract_quotes, native

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

compiled = pytest.mark.skipif(ENGINE_BUILD != "compiled (mypyc)", reason=f"engine runs as {ENGINE_BUILD}")


def _run(code: str, env_extra: dict, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "QUOTES_PURE_PYTHON"} | env_extra
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=cwd)


def test_install_compiles_the_engine():
    """`make test` installs the package, which compiles the engine; only an edit since then
    (the source newer than the build) may leave the source running."""
    if "older than the source" in ENGINE_BUILD:
        pytest.skip("engine source edited since the last install; `make test` compiles it again")
    if os.environ.get("QUOTES_PURE_PYTHON"):
        pytest.skip("QUOTES_PURE_PYTHON is set: the source runs on purpose")
    assert ENGINE_BUILD == "compiled (mypyc)", ENGINE_BUILD
    import quotes.extract.engine

    assert not quotes.extract.engine.__file__.endswith(".py")


TEXTS = [a.text for a in corpus.articles(150, seed=3)] + [
    corpus.stress(kind, 4000) for kind in corpus.STRESS_UNITS
] + [corpus.pathological(30_000)]


def _dump(quotes) -> list[dict]:
    return [dataclasses.asdict(q) for q in quotes]


@compiled
def test_compiled_and_source_engines_give_the_same_quotes(tmp_path):
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps(TEXTS))
    code = (
        "import dataclasses, json, sys; from quotes.extract import ENGINE_BUILD, extract_quotes\n"
        "assert ENGINE_BUILD.startswith('Python source'), ENGINE_BUILD\n"
        f"texts = json.load(open({str(texts)!r}))\n"
        "print(json.dumps([[dataclasses.asdict(q) for q in extract_quotes(t, '2024-03-05')] for t in texts]))"
    )
    result = _run(code, {"QUOTES_PURE_PYTHON": "1"})
    assert result.returncode == 0, result.stderr
    from_source = json.loads(result.stdout)
    from_compiled = [_dump(extract_quotes(t, "2024-03-05")) for t in TEXTS]
    assert sum(map(len, from_compiled)) > 1000
    assert from_compiled == from_source


def test_pure_python_on_request():
    result = _run("import quotes.extract as e, quotes.extract.engine as g; print(e.ENGINE_BUILD); print(g.__file__)",
                  {"QUOTES_PURE_PYTHON": "1"})
    assert result.returncode == 0, result.stderr
    build, engine_file = result.stdout.splitlines()
    assert build == "Python source (QUOTES_PURE_PYTHON is set)"
    assert engine_file.endswith("engine.py")
    assert result.stderr == ""  # asked for: no warning


@compiled
def test_a_build_older_than_its_source_is_not_used(tmp_path):
    """An edit after the install must run, not the compiled modules of the old source."""
    package = Path(native.__file__).parent.parent
    copy = tmp_path / "quotes"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    engine = copy / "extract" / "engine.py"
    engine.write_text(engine.read_text() + "\nEDITED = True\n")
    result = _run("import quotes.extract as e, quotes.extract.engine as g; print(e.ENGINE_BUILD); print(g.EDITED);"
                  "print(len(e.extract_quotes('Ana Ruiz said the plan would fail.')))", {}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    build, edited, found = result.stdout.splitlines()
    assert build.startswith("Python source (the compiled modules are older than the source")
    assert (edited, found) == ("True", "1")
    assert "reinstall" in result.stderr  # the developer is told why it runs slower


def test_source_digest_covers_every_engine_module():
    modules = {p.stem for p in Path(native.__file__).parent.glob("*.py")} - {"__init__", "native", "_built"}
    assert modules == set(native.ENGINE_MODULES)


def test_version_says_which_engine_runs():
    from click.testing import CliRunner

    from quotes.cli import cli

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip().endswith(f"engine {ENGINE_VERSION}, {ENGINE_BUILD}")
