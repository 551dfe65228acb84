"""Several writers at once, and Ctrl-C: real `quotes ingest` processes on one real SQLite file.

Every process must wait its turn for the write lock (none dies with "database is locked"),
a fresh database must be migrated once, and after SIGINT the summary line must count
exactly what was committed.
"""
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dbcheck import check_database

QUOTES = [sys.executable, "-m", "quotes"]
WRITERS = 4
TRIALS = 3
ADDED = re.compile(r"^Added ([\d,]+) articles? \(([\d,]+) quotes?\)", re.M)


def article_text(n: int) -> str:
    """A short article the engine finds one quote in; every n gives another text."""
    return (f'"We will rebuild bridge number {n}," Mayor Ana Ruiz{n} said on Monday.\n\n'
            f"The river rose {n} centimetres overnight, officials said.\n")


def write_dump(path: Path, numbers) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for n in numbers:
            f.write(json.dumps({"id": str(n), "text": article_text(n), "outlet": f"Outlet {n % 3}"}) + "\n")
    return path


def added(stderr: str) -> tuple[int, int]:
    found = ADDED.search(stderr)
    assert found, stderr
    return tuple(int(g.replace(",", "")) for g in found.groups())


def start_ingest(db: Path, *inputs: Path) -> subprocess.Popen:
    return subprocess.Popen([*QUOTES, "ingest", str(db), *map(str, inputs), "--silent"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("trial", range(TRIALS))
def test_four_ingests_into_one_fresh_database_all_succeed(tmp_path, trial):
    # each writer has 30 articles of its own and 10 shared with its neighbour
    dumps = [write_dump(tmp_path / f"w{w}.jsonl", range(w * 30, w * 30 + 40)) for w in range(WRITERS)]
    expected = {article_text(n) for w in range(WRITERS) for n in range(w * 30, w * 30 + 40)}
    db = tmp_path / "q.db"  # fresh: all four race on creating and migrating it
    procs = [start_ingest(db, dump) for dump in dumps]
    results = [p.communicate(timeout=180) for p in procs]
    for proc, (_, stderr) in zip(procs, results):
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr
    conn = check_database(db)
    texts = [t for (t,) in conn.execute("select text from articles")]
    assert sorted(texts) == sorted(expected)  # every article once, none lost, none twice
    # what the processes said they added is what is stored; the overlap was "already present"
    assert sum(added(stderr)[0] for _, stderr in results) == len(expected)
    assert sum(added(stderr)[1] for _, stderr in results) == conn.execute("select count(*) from quotes").fetchone()[0]
    assert sum(int(m) for _, e in results for m in re.findall(r"(\d+) already present", e)) == (WRITERS - 1) * 10
    from quotes.store import MIGRATIONS

    assert conn.execute("select count(*) from _migrations").fetchone()[0] == len(MIGRATIONS)  # each once
    assert conn.execute("pragma journal_mode").fetchone() == ("wal",)


def test_open_db_in_four_processes_at_once_migrates_once(tmp_path):
    """Only the migration race: four processes open one fresh file at the same moment."""
    db = tmp_path / "fresh.db"
    code = ("import sys, time; from quotes.store import open_db\n"
            "t = float(sys.argv[2])\n"
            "while time.time() < t: pass\n"
            "db = open_db(sys.argv[1]); print(db['_migrations'].count)")
    at = time.time() + 1.5
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db), str(at)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(WRITERS)]
    outs = [p.communicate(timeout=60) for p in procs]
    from quotes.store import MIGRATIONS

    for proc, (out, err) in zip(procs, outs):
        assert proc.returncode == 0, err
        assert out.strip() == str(len(MIGRATIONS))
    conn = check_database(db)
    assert conn.execute("select count(*) from _migrations").fetchone()[0] == len(MIGRATIONS)


def wait_for_articles(db: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Until the ingest has committed its first article (so SIGINT lands mid-run)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if sqlite3.connect(db, timeout=5).execute("select count(*) from articles").fetchone()[0]:
                return
        except sqlite3.OperationalError:  # not created yet
            pass
        time.sleep(0.02)
    raise AssertionError("the ingest stored nothing in time")


@pytest.mark.parametrize("trial", range(5))
def test_sigint_summary_counts_exactly_what_is_stored(tmp_path, trial):
    rng = random.Random(trial)
    dump = write_dump(tmp_path / "many.jsonl", range(3000))
    db = tmp_path / "q.db"
    proc = start_ingest(db, dump)
    wait_for_articles(db, proc)
    time.sleep(rng.uniform(0, 1.0))
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    last = stderr.strip().splitlines()[-1]
    assert last.endswith("Interrupted."), last
    conn = check_database(db)
    articles, quotes = added(last)
    assert articles == conn.execute("select count(*) from articles").fetchone()[0]
    assert quotes == conn.execute("select count(*) from quotes").fetchone()[0]


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_sigint_in_process_at_random_moments(tmp_path):
    """The same promise through the Python API, many times over: SIGINT sent to the main thread
    at random moments while `ingest` runs; the summary always matches the database."""
    import threading

    from quotes.ingest import IngestSummary, ingest
    from quotes.store import open_db

    dump = write_dump(tmp_path / "d.jsonl", range(400))
    rng = random.Random(5)
    for trial in range(20):
        db_path = tmp_path / f"q{trial}.db"
        db = open_db(db_path)
        summary = IngestSummary()
        main = threading.get_ident()
        timer = threading.Timer(rng.uniform(0.05, 0.6), signal.pthread_kill, [main, signal.SIGINT])
        timer.start()
        try:
            ingest(db, [str(dump)], summary=summary)
            timer.join()
            time.sleep(0.05)  # a signal sent after the run ended lands here
        except KeyboardInterrupt:
            pass
        timer.cancel()
        stored = db.execute("select count(*) from articles").fetchone()[0]
        assert summary.added == stored, (trial, summary.added, stored)
        assert summary.quotes == db.execute("select count(*) from quotes").fetchone()[0]
        db.close()


@pytest.mark.parametrize("trial", range(3))
def test_sigint_during_re_extract_counts_what_was_swapped(tmp_path, trial):
    from quotes import ENGINE_VERSION
    from quotes.model import Article
    from quotes.store import open_db, save_article

    db = tmp_path / "q.db"
    store = open_db(db)
    for n in range(2000):
        save_article(store, Article(text=article_text(n)), [], "0.0-old")
    store.close()
    proc = subprocess.Popen([*QUOTES, "re-extract", str(db), "--silent"], stderr=subprocess.PIPE, text=True)
    current = "select count(*) from articles where engine_version = ?"
    deadline = time.monotonic() + 60
    while not sqlite3.connect(db, timeout=5).execute(current, [ENGINE_VERSION]).fetchone()[0]:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.02)
    time.sleep(random.Random(trial).uniform(0, 1.0))
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    last = stderr.strip().splitlines()[-1]
    found = re.match(rf"Re-extracted ([\d,]+) articles? with engine {re.escape(ENGINE_VERSION)}: .* Interrupted\.$", last)
    assert found, last
    conn = check_database(db)
    assert int(found.group(1).replace(",", "")) == conn.execute(current, [ENGINE_VERSION]).fetchone()[0]
