"""The plugin in a plain Datasette (as `datasette quotes.db` runs it), beside a database that is not ours."""
import asyncio
import sqlite3

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

from quotes import datasette_plugin
from quotes.serve import make_datasette


def get(ds, path):
    async def fetch():
        await ds.invoke_startup()
        return await ds.client.get(path)

    return asyncio.run(fetch())


@pytest.fixture
def other_db(tmp_path):
    """Someone else's database, with tables named like ours: stock quotes and conference speakers."""
    path = tmp_path / "market.db"
    conn = sqlite3.connect(path)
    conn.executescript("""
        create table quotes (id integer primary key, text text, price real);
        insert into quotes values (1, 'ACME', 12.5);
        create table speakers (id integer primary key, name text);
        insert into speakers values (1, 'Keynote guest');
        create table articles (id integer primary key, title text);
        insert into articles values (1, 'Quarterly results');
    """)
    conn.commit()
    conn.close()
    return path


def test_the_entry_point_registers_the_plugin_once():
    distinfo = dict(pm.list_plugin_distinfo())
    assert pm.get_plugin("quotes") is datasette_plugin
    assert distinfo[datasette_plugin].project_name == "quotes"  # loaded from the installed entry point


def test_make_datasette_does_not_register_it_again(serve_db):
    make_datasette(serve_db)
    make_datasette(serve_db)
    ours = [impl for impl in pm.hook.render_cell.get_hookimpls() if impl.plugin is datasette_plugin]
    assert len(ours) == 1
    assert [p for p in pm.get_plugins() if p is datasette_plugin] == [datasette_plugin]


def test_plain_datasette_serves_the_pages_templates_and_css(serve_db):
    ds = Datasette([str(serve_db)])
    quote = get(ds, "/-/quote/1")
    assert quote.status_code == 200
    assert '<mark class="q-quote"' in quote.text and "We will not accept these cuts" in quote.text
    assert '/-/static-plugins/quotes/quotes.css' in quote.text
    assert get(ds, "/-/static-plugins/quotes/quotes.css").status_code == 200
    assert get(ds, "/-/speaker/3").status_code == 200 and "Ada Quill" in get(ds, "/-/speaker/3").text
    assert get(ds, "/-/article/1").status_code == 200
    # the database page's charts come from our template, found without --template-dir
    assert get(ds, "/news").text.count('class="quotes-chart"') == 2
    assert 'href="/-/quote/1"' in get(ds, "/news/quotes_view").text


@pytest.mark.parametrize("order", ["ours first", "theirs first"])
def test_another_database_served_alongside_is_left_alone(serve_db, other_db, order):
    paths = [str(serve_db), str(other_db)]
    ds = Datasette(paths if order == "ours first" else paths[::-1])
    # the pages still find the quotes database, whichever comes first
    assert "We will not accept these cuts" in get(ds, "/-/quote/1").text
    assert 'href="/-/speaker/1"' in get(ds, "/news/speakers").text
    # their tables named quotes, speakers and articles get no links into our pages, nor our CSS
    for path in ("/market/quotes", "/market/speakers", "/market/articles"):
        response = get(ds, path)
        assert response.status_code == 200
        assert "/-/quote/" not in response.text and "/-/speaker/" not in response.text
        assert "/-/article/" not in response.text and "static-plugins/quotes" not in response.text
    page = get(ds, "/market")
    assert page.status_code == 200 and "quotes-chart" not in page.text and "quotes-search" not in page.text


def test_only_another_database(other_db):
    ds = Datasette([str(other_db)])
    assert get(ds, "/-/quote/1").status_code == 404
    home = get(ds, "/")
    assert home.status_code == 200 and "All quotes" not in home.text
    assert get(ds, "/market/quotes").status_code == 200


def test_importing_the_plugin_first_still_registers_every_hook(serve_db):
    """Importing datasette.plugins loads the entry points; if that happened while this module was
    half-imported, it would be registered with no hooks. A fresh interpreter shows it does not."""
    import subprocess
    import sys

    script = (
        "import asyncio, sys\n"
        "import quotes.datasette_plugin\n"
        "from datasette.app import Datasette\n"
        "async def main():\n"
        "    ds = Datasette([sys.argv[1]])\n"
        "    await ds.invoke_startup()\n"
        "    print((await ds.client.get('/-/quote/1')).status_code)\n"
        "asyncio.run(main())\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(serve_db)], capture_output=True, text=True)
    assert result.stdout.strip() == "200", result.stderr


# --- issue 13: the first page, untitled articles, default columns, chronological facets ---

def test_untitled_article_and_overview(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    db_path = tmp_path / "quotes.db"
    subprocess.run([sys.executable, "-m", "quotes", "ingest", str(db_path), str(root / "seeds"), "--silent"],
                   check=True, capture_output=True)
    ds = make_datasette(db_path)

    async def get(path):
        return await ds.client.get(path)

    def fetch(path):
        return asyncio.run(get(path))

    quotes_table = (fetch("/quotes/quotes")).text
    assert "None&nbsp;" not in quotes_table and "untitled article 1" in quotes_table
    first = (fetch("/quotes")).text
    assert "Qasym-Zhomart Toqaev" in first and "press conference" in first and "no dated quotes" not in first
    view = fetch("/quotes/quotes_view")
    assert view.status_code == 200 and 'data-column="stance"' not in view.text and "show all columns" in view.text
    every = fetch("/quotes/quotes_view?_columns=all")
    assert 'data-column="stance"' in every.text
    data = (fetch("/quotes/quotes_view.json")).json()
    assert "stance" in data["columns"]  # JSON is left whole
    canned = (fetch("/quotes/top_speakers_by_outlet.json?_shape=array")).json()
    assert canned and canned[0]["outlet"] == "(no outlet)"
