"""Ingest on every core: worker processes run the engine, the main process stores in input
order, in batches. Real `quotes ingest` processes, real worker processes, a real SQLite file.

What must hold: `--workers 2` gives the database `--workers 1` gives (same ids, same quotes),
errors in input order; after SIGKILL at any moment the database is whole (every article
with all its quotes or absent, the FTS index consistent) and a rerun completes it; Ctrl-C
counts exactly what is stored and leaves no worker behind.
"""
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from dbcheck import check_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

QUOTES = [sys.executable, "-m", "quotes"]
ADDED = re.compile(r"^Added ([\d,]+) articles? \(([\d,]+) quotes?\)", re.M)


def write_corpus(path: Path, n: int, *, seed: int = 0, bad_lines: bool = True, chars: int = 1500) -> Path:
    """`n` synthetic news articles as JSONL, with a malformed line, a record without text and a
    duplicate among them when `bad_lines`, so errors have an order to keep."""
    with path.open("w", encoding="utf-8") as f:
        for i, a in enumerate(corpus.articles(n, seed=seed, target_chars=chars)):
            f.write(json.dumps({"text": a.text, "title": a.title, "outlet": a.outlet, "date": a.published}) + "\n")
            if bad_lines and i % 7 == 3:
                f.write("{not json\n")
            if bad_lines and i % 11 == 5:
                f.write(json.dumps({"title": "no text here"}) + "\n")
            if bad_lines and i == 9:
                f.write(json.dumps({"text": a.text, "title": a.title}) + "\n")  # the same text again
    return path


def ingest(db: Path, *inputs, workers: int, timeout: float = 300, extra=()) -> subprocess.CompletedProcess:
    done = subprocess.run([*QUOTES, "ingest", str(db), *map(str, inputs), "--silent", "--workers", str(workers),
                           *extra], capture_output=True, text=True, timeout=timeout)
    done.stderr = without_engine_warnings(done.stderr)
    return done


def without_engine_warnings(stderr: str) -> str:
    """stderr less the warning that the engine runs as source (each worker process prints it too)."""
    return re.sub(r".*UserWarning: quotes engine: .*\n.*ENGINE_BUILD = choose\(\)\n", "", stderr)


def snapshot(db: Path) -> dict:
    """Everything a user sees of a database, with ids: articles, quotes with their speakers' names, outlets."""
    conn = sqlite3.connect(db)
    return {
        "articles": conn.execute("select a.id, a.hash, a.text, a.title, a.url, o.name, a.published, a.source "
                                 "from articles a left join outlets o on o.id = a.outlet_id order by a.id").fetchall(),
        "quotes": conn.execute('select q.id, q.article_id, q.start, q."end", q.kind, q.text, s.name, q.speaker_mention, '
                               "q.role, q.cue, q.cue_start, q.addressee, q.venue, q.place, q.date, q.rule, q.confidence "
                               "from quotes q left join speakers s on s.id = q.speaker_id order by q.id").fetchall(),
        "speakers": sorted(n for (n,) in conn.execute("select name from speakers")),
        "outlets": conn.execute("select id, name from outlets order by id").fetchall(),
    }


def session_processes(sid: int) -> list[int]:
    """Pids of live processes in session `sid` (an ingest started with start_new_session and its workers)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            pids.append(int(entry.name))
    return pids


def wait_gone(sid: int, timeout: float = 10) -> list[int]:
    deadline = time.monotonic() + timeout
    while session_processes(sid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return session_processes(sid)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """40 articles with bad lines among them, and the reference database of one process."""
    folder = tmp_path_factory.mktemp("parallel")
    dump = write_corpus(folder / "news.jsonl", 40)
    ref = folder / "ref.db"
    done = ingest(ref, dump, workers=1)
    assert done.returncode == 1, done.stderr  # the bad lines were skipped
    return dump, ref, done


def test_two_workers_store_what_one_process_stores_errors_in_input_order(tmp_path, small):
    dump, ref, one = small
    db = tmp_path / "two.db"
    two = ingest(db, dump, workers=2)
    assert two.returncode == 1
    assert "Traceback" not in two.stderr
    assert two.stderr == one.stderr  # every error line, in input order, and the same summary
    lines = one.stderr.strip().splitlines()
    numbers = [int(re.match(rf"{re.escape(str(dump))}:(\d+): ", line).group(1)) for line in lines[:-1]]
    assert numbers == sorted(numbers) and len(numbers) == 10
    assert lines[-1].startswith("Added 40 articles") and "1 already present" in lines[-1]
    assert snapshot(db) == snapshot(ref)
    check_database(db)
    again = ingest(db, dump, workers=2)
    assert "Added 0 articles (0 quotes); 41 already present" in again.stderr
    assert snapshot(db) == snapshot(ref)


def test_sigkill_at_random_moments_leaves_whole_articles_and_a_rerun_completes(tmp_path):
    """A real `quotes ingest --workers 2`, killed with SIGKILL five times at random moments."""
    dump = write_corpus(tmp_path / "news.jsonl", 300, seed=3, bad_lines=False, chars=1200)
    ref = tmp_path / "ref.db"
    began = time.monotonic()
    assert ingest(ref, dump, workers=1).returncode == 0
    whole_run = time.monotonic() - began  # the kills fall inside a run, however fast ingest has become
    expected = dict(sqlite3.connect(ref).execute(
        "select a.hash, count(q.id) from articles a left join quotes q on q.article_id = a.id group by a.id"))
    db = tmp_path / "killed.db"
    rng = random.Random(11)
    kills = 0
    for attempt in range(5):
        proc = subprocess.Popen([*QUOTES, "ingest", str(db), str(dump), "--silent", "--workers", "2"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        time.sleep(rng.uniform(0.15, 0.85) * whole_run)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=60)
        assert wait_gone(proc.pid) == [], "a worker outlived the killed ingest"
        if not db.exists():
            continue
        conn = check_database(db)
        stored = dict(conn.execute(
            "select a.hash, count(q.id) from articles a left join quotes q on q.article_id = a.id group by a.id"))
        assert {h: expected[h] for h in stored} == stored  # every article stored has all its quotes
        ids = [i for (i,) in conn.execute("select id from articles order by id")]
        assert ids == list(range(1, len(ids) + 1))  # a prefix of the input, in order
        check_linking(conn)
        conn.close()
    assert kills >= 1
    rerun = ingest(db, dump, workers=2)
    assert rerun.returncode == 0, rerun.stderr
    check_linking(check_database(db))
    assert snapshot(db) == snapshot(ref)
    assert linked(db) == linked(ref)


def check_linking(conn) -> None:
    """Linking across articles is whole for every article stored: each named quote points at its
    alias's speaker, every speaker has quotes, every long quote has a cluster that counts it."""
    assert conn.execute("""select count(*) from quotes q left join speaker_aliases a on a.name = q.speaker_name
where q.speaker_name is not null and (a.name is null or a.speaker_id is not q.speaker_id)""").fetchone()[0] == 0
    assert conn.execute("select count(*) from speakers s where not exists "
                        "(select 1 from quotes q where q.speaker_id = s.id)").fetchone()[0] == 0
    assert conn.execute("""select count(*) from clusters c
where c.quotes != (select count(*) from quotes q where q.cluster_id = c.id)""").fetchone()[0] == 0
    assert conn.execute("select count(*) from quotes where cluster_id is null and length(text) > 200").fetchone()[0] == 0


def linked(db: Path) -> dict:
    """Speakers with their aliases and reasons, and clusters by their quotes (article, offset)."""
    conn = sqlite3.connect(db)
    return {
        "aliases": sorted(conn.execute("select s.name, a.name, a.reason from speaker_aliases a "
                                       "join speakers s on s.id = a.speaker_id")),
        "clusters": sorted(tuple(conn.execute("""select a.hash, q.start from quotes q join articles a on a.id = q.article_id
where q.cluster_id = ? order by a.hash, q.start""", [cid]).fetchall()) for (cid,) in conn.execute("select id from clusters")),
    }


def test_ctrl_c_to_the_process_group_counts_what_is_stored_and_stops_every_worker(tmp_path):
    """Ctrl-C in a terminal reaches the ingest and its workers alike."""
    dump = write_corpus(tmp_path / "news.jsonl", 400, seed=5, bad_lines=False, chars=1200)
    for trial in range(2):
        db = tmp_path / f"q{trial}.db"
        proc = subprocess.Popen([*QUOTES, "ingest", str(db), str(dump), "--silent", "--workers", "2"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        deadline = time.monotonic() + 120
        while not _articles(db) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        time.sleep(random.Random(trial).uniform(0, 0.8))
        os.killpg(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
        assert wait_gone(proc.pid) == []
        assert "Traceback" not in stderr
        assert proc.returncode == 130, stderr
        last = stderr.strip().splitlines()[-1]
        assert last.endswith("Interrupted."), last
        conn = check_database(db)
        articles, quotes = (int(g.replace(",", "")) for g in ADDED.search(last).groups())
        assert (articles, quotes) == conn.execute(
            "select (select count(*) from articles), (select count(*) from quotes)").fetchone()
        assert 0 < articles < 400


def _articles(db: Path) -> int:
    try:
        return sqlite3.connect(db, timeout=5).execute("select count(*) from articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_an_engine_failure_in_a_worker_fails_that_article_only():
    from quotes.parallel import ProcessPool, result

    pool = ProcessPool(2)
    try:
        ok = '"We will rebuild the bridge," Mayor Ana Ruiz said.'
        version, outcomes = result(pool.submit([(ok, None, []), (12345, None, []), (ok, "2024-05-01", [])]))  # not a text: TypeError
    finally:
        pool.close()
    from quotes import ENGINE_VERSION

    assert version == ENGINE_VERSION
    assert [type(o) for o in outcomes] == [list, str, list]
    assert outcomes[1].startswith("extraction failed: TypeError: ")
    assert outcomes[0][0].text.startswith("We will rebuild the bridge")


def test_a_worker_killed_mid_chunk_is_one_error_and_the_pool_goes_on():
    from quotes.parallel import ProcessPool, WorkerDied, result

    pool = ProcessPool(1)
    try:
        slow = corpus.scaled(1000)  # 4 MB: seconds of work even compiled, so the worker is busy when killed
        future = pool.submit([(slow, None, [])])
        [pid] = [p.pid for p in pool._executor._processes.values()]
        time.sleep(0.3)
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(WorkerDied, match="worker process died"):
            result(future)
        _, [quotes] = result(pool.submit([('"Yes," Ana Ruiz said.', None, [])]))
        assert quotes and quotes[0].speaker_name == "Ana Ruiz"
    finally:
        pool.close(kill=True)


class ShuffledPool:
    """Chunks come back in a random order (a thread finishes them), as workers of unequal speed do."""

    def __init__(self, rng: random.Random, chunk: int, workers: int):
        import concurrent.futures

        from quotes.parallel import extract_chunk

        self.rng, self.chunk_articles, self.workers = rng, chunk, workers
        self.waiting: list = []
        self.lock = threading.Lock()
        self.extract, self.Future = extract_chunk, concurrent.futures.Future
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._finish, daemon=True)
        self.thread.start()

    def submit(self, jobs):
        future = self.Future()
        with self.lock:
            self.waiting.append((future, self.extract(jobs)))
        return future

    def _finish(self):
        while not self.stop.is_set():
            with self.lock:
                if self.waiting:
                    future, value = self.waiting.pop(self.rng.randrange(len(self.waiting)))
                    future.set_result(value)
            time.sleep(0.0005)

    def close(self, kill=False):
        self.stop.set()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), chunk=st.integers(1, 5), workers=st.integers(1, 4),
       batch=st.integers(1, 7), n=st.integers(1, 25))
def test_results_are_stored_in_input_order_whatever_order_chunks_finish(tmp_path_factory, seed, chunk, workers,
                                                                          batch, n):
    import quotes.ingest as pipeline
    from quotes.store import open_db

    folder = tmp_path_factory.mktemp("order")
    lines = [json.dumps({"text": f'"Bridge {i} opens in May," Mayor Ana Ruiz{i % 3} said.'}) if i % 4 else "{bad"
             for i in range(n)]
    (folder / "d.jsonl").write_text("\n".join(lines) + "\n")
    errors = []
    db = open_db(folder / "q.db")
    old = pipeline.BATCH_ARTICLES
    pipeline.BATCH_ARTICLES = batch
    pool = ShuffledPool(random.Random(seed), chunk, workers)
    try:
        summary = pipeline.ingest(db, [str(folder / "d.jsonl")], pool=pool, on_error=errors.append)
    finally:
        pipeline.BATCH_ARTICLES = old
        pool.close()
    assert [e.line for e in errors] == [i + 1 for i in range(n) if not i % 4]
    stored = [t for (t,) in db.execute("select text from articles order by id")]
    assert stored == [json.loads(line)["text"] for line in lines if line != "{bad"]
    assert summary.added == len(stored)
    assert summary.quotes == db.execute("select count(*) from quotes").fetchone()[0]
