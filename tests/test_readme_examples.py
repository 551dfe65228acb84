"""Every command of the README's worked example, and the search/speakers/export examples under
"Browsing", prints what it promises: run as written (in a shell, from a folder holding the seeds
and the venv) against the seed, each exits 0 and prints rows (issue 13, item 1).
"""
from __future__ import annotations

import csv
import io
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
VENV = Path(sys.executable).parent.parent  # the venv these tests run in: .venv/bin/python
PROMPT = ".venv/bin/quotes "


def section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def example_commands() -> list[str]:
    """The indented `.venv/bin/quotes ...` lines of the two sections, without comments or `serve`."""
    text = README.read_text(encoding="utf-8")
    commands = []
    for heading in ("A worked example", "Browsing"):
        for line in section(text, heading).splitlines():
            if line.startswith("    " + PROMPT):
                command = line.split("#", 1)[0].strip()
                if shlex.split(command)[1] != "serve":
                    commands.append(command)
    return commands


COMMANDS = example_commands()


def test_the_readme_has_its_examples():
    names = [shlex.split(c)[1] for c in COMMANDS]
    assert names[0] == "ingest"
    assert {"speakers", "search", "export", "extract"} <= set(names)
    assert len(COMMANDS) >= 8


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A fresh folder as after a clone: seeds/ and .venv/, nothing else, so the ingest starts from no database."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / "seeds").mkdir()
    for seed in (ROOT / "seeds").iterdir():
        (folder / "seeds" / seed.name).write_bytes(seed.read_bytes())
    (folder / ".venv").symlink_to(VENV)
    return folder


def rows_in(output: str, args: list[str]) -> int:
    """How many data rows the output holds, read as the format the command was asked for."""
    if not output.strip():
        return 0
    if "-t" in args or "--table" in args:
        lines = output.splitlines()
        assert lines[1].startswith("--"), output  # a header and its rule
        return sum(1 for line in lines[2:] if re.match(r"\S", line))  # a row starts in the first column
    if "--csv" in args or ("--format" in args and args[args.index("--format") + 1] == "csv"):
        return len(list(csv.DictReader(io.StringIO(output))))
    if "--nl" in args or (args[0] == "export" and "--json" not in args):  # JSON Lines: export's default
        return len([json.loads(line) for line in output.splitlines() if line.strip()])
    return len(json.loads(output))


@pytest.mark.parametrize("command", COMMANDS, ids=[c[len(PROMPT):] for c in COMMANDS])
def test_readme_example_prints_what_it_says(workdir, command):
    # the ingest, listed first, makes the database the others read (run here too when a test is picked alone)
    if shlex.split(command)[1] != "ingest" and not (workdir / "quotes.db").exists():
        subprocess.run(["bash", "-c", COMMANDS[0]], cwd=workdir, capture_output=True, timeout=300, check=True)
    result = subprocess.run(["bash", "-c", command], cwd=workdir, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{command}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    args = shlex.split(command)[1:]
    if args[0] == "ingest":
        assert "Added 1 article (13 quotes)." in result.stderr
        return
    if "-o" in args:
        written = (workdir / args[args.index("-o") + 1]).read_text(encoding="utf-8")
        assert result.stdout == ""
        assert re.search(r"Exported [1-9]\d* quotes", result.stderr), result.stderr
        assert rows_in(written, args) >= 1
        return
    assert rows_in(result.stdout, args) >= 1, f"{command} printed no row:\n{result.stdout}"


def test_the_worked_example_prints_what_its_prose_says(workdir):
    def run(command: str) -> str:
        return subprocess.run(["bash", "-c", command], cwd=workdir, capture_output=True, text=True,
                              timeout=300, check=True).stdout

    if not (workdir / "quotes.db").exists():
        run(f"{PROMPT}ingest quotes.db seeds/")
    speakers = json.loads(run(f"{PROMPT}speakers quotes.db"))
    assert len(speakers) == 6 and (speakers[0]["name"], speakers[0]["quotes"]) == ("Qasym-Zhomart Toqaev", 5)
    [found] = json.loads(run(f'{PROMPT}search quotes.db "freedom of speech"'))
    assert found["speaker"] == "Qasym-Zhomart Toqaev" and "respects freedom of speech" in found["text"]
    [direct] = [json.loads(line) for line in run(f"{PROMPT}export quotes.db --speaker Toqaev --kind direct").splitlines()]
    assert direct["venue"] == "press conference"
    table = run(f"{PROMPT}export quotes.db --speaker Toqaev --kind direct --table")
    assert all(word in table for word in direct["text"].split())  # whole, not cut
