"""What a database must be after any crash, kill or race: shared by the tests that make them."""
import sqlite3
from pathlib import Path


def check_database(db: Path) -> sqlite3.Connection:
    """integrity_check ok, and the full-text index consistent and as long as the quotes table."""
    conn = sqlite3.connect(db)
    assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
    conn.execute("insert into quotes_fts(quotes_fts) values ('integrity-check')")  # raises if inconsistent
    [(indexed,)] = conn.execute("select count(*) from quotes_fts").fetchall()
    [(stored,)] = conn.execute("select count(*) from quotes").fetchall()
    assert indexed == stored
    return conn
