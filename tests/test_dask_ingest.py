"""Scale-out: the engine on a real Dask cluster (two worker processes on 127.0.0.1), and shard
databases merged into one. Either way the database must equal one process's, quote for quote."""
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from dbcheck import check_database
from test_parallel_ingest import QUOTES, ingest, snapshot, write_corpus, without_engine_warnings

distributed = pytest.importorskip("distributed")

PAGE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        "<p>{body}</p></article></body></html>")


def write_warc(path: Path, n: int) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for i in range(n):
            body = (f"\u201cWe will reopen the ferry line {i} in spring,\u201d Harbour master Ines Varga said on "
                    f"Monday. The council said that the crossing number {i} would be free for pupils.")
            html = PAGE.format(title=f"Ferry {i}", body=body).encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://harbour.example/ferry-{i}", "response",
                                                          payload=__import__("io").BytesIO(html),
                                                          http_headers=headers))
    return path


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """A JSONL dump with bad lines, a folder of text files and a WARC crawl, and a one-process reference."""
    folder = tmp_path_factory.mktemp("dask")
    dump = write_corpus(folder / "news.jsonl", 30, seed=8)
    texts = folder / "texts"
    texts.mkdir()
    for i in range(4):
        (texts / f"story{i}.txt").write_text(f'"The bridge {i} opens in May," Mayor Ana Ruiz said.\n')
    crawl = write_warc(folder / "crawl.warc.gz", 5)
    ref = folder / "ref.db"
    done = ingest(ref, dump, texts, crawl, workers=1)
    assert done.returncode == 1, done.stderr  # the dump's bad lines
    return [dump, texts, crawl], ref, done


def test_ingest_on_a_local_dask_cluster_equals_one_process(tmp_path, cluster, inputs):
    paths, ref, one = inputs
    db = tmp_path / "dask.db"
    done = ingest(db, *paths, workers=1, extra=["--scheduler", cluster.scheduler_address])
    assert done.returncode == 1, done.stderr
    assert done.stderr == one.stderr  # the same error lines in the same order, the same summary
    check_database(db)
    got, want = snapshot(db), snapshot(ref)
    assert len(want["quotes"]) > 300 and len(want["articles"]) == 39
    assert got == want


def test_without_dask_scheduler_is_one_line_naming_the_extra(tmp_path):
    code = ("import sys; sys.modules['distributed'] = None\n"
            "from quotes.cli import cli; cli(prog_name='quotes')")
    (tmp_path / "a.txt").write_text('"Yes," Ana Ruiz said.\n')
    done = subprocess.run([sys.executable, "-c", code, "ingest", str(tmp_path / "q.db"), str(tmp_path / "a.txt"),
                           "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert without_engine_warnings(done.stderr).strip().splitlines() == [
        "Error: --scheduler needs Dask: pip install 'quotes[dask]' (import of distributed halted; None in sys.modules)"]
    assert not (tmp_path / "q.db").exists()


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "a.txt").write_text('"Yes," Ana Ruiz said.\n')
    done = subprocess.run([*QUOTES, "ingest", str(tmp_path / "q.db"), str(tmp_path / "a.txt"),
                           "--scheduler", f"tcp://127.0.0.1:{port}"], capture_output=True, text=True, timeout=120)
    lines = without_engine_warnings(done.stderr).strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1, done.stderr
    assert lines[0].startswith(f"Error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}")


def test_shards_merged_in_order_equal_one_ingest_and_merging_again_adds_nothing(tmp_path, inputs):
    paths, ref, _ = inputs
    dump, texts, crawl = paths
    lines = dump.read_text().splitlines(keepends=True)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("".join(lines[:20]))
    second.write_text("".join(lines[20:]))
    shards = [tmp_path / "s1.db", tmp_path / "s2.db", tmp_path / "s3.db"]
    # three machines' worth: the first part of the dump; the rest; the texts and the crawl, plus an overlap
    ingest(shards[0], first, workers=1)
    ingest(shards[1], second, workers=2)
    ingest(shards[2], texts, crawl, first, workers=1)  # `first` again: already in shard 1
    whole = tmp_path / "whole.db"
    ingest(whole, first, second, texts, crawl, workers=1)
    out = tmp_path / "merged.db"
    done = subprocess.run([*QUOTES, "merge", str(out), *map(str, shards)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    n_whole = len(snapshot(whole)["articles"])
    assert without_engine_warnings(done.stderr).strip().startswith(f"Added {n_whole} articles")
    check_database(out)
    merged = snapshot(out)
    assert merged == snapshot(whole)  # ids, texts, sources, quotes, speakers, outlets
    in_shards = sum(len(snapshot(s)["articles"]) for s in shards)
    again = subprocess.run([*QUOTES, "merge", str(out), *map(str, shards)], capture_output=True, text=True,
                           timeout=120)
    assert f"Added 0 articles (0 quotes); {in_shards} already present." in again.stderr
    assert snapshot(out) == merged


def test_merge_refuses_a_file_that_is_not_a_database_and_goes_on(tmp_path, inputs):
    paths, ref, _ = inputs
    junk = tmp_path / "notes.db"
    junk.write_text("not a database " * 100)
    out = tmp_path / "out.db"
    done = subprocess.run([*QUOTES, "merge", str(out), str(junk), str(ref)], capture_output=True, text=True,
                          timeout=120)
    lines = without_engine_warnings(done.stderr).strip().splitlines()
    assert done.returncode == 1
    assert lines[0].startswith(f"{junk}: ") and len(lines) == 2
    assert lines[1].startswith(f"Added {len(snapshot(ref)['articles'])} articles") and "1 skipped" in lines[1]
    assert snapshot(out) == snapshot(ref)
