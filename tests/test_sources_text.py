"""Text files, folders, stdin, sidecars, encodings and dates, read through the plain API."""
import io

import pytest

from quotes.model import Article
from quotes.sources import ArticleMeta, InputError, Skipped, iter_articles, normalize_date
from quotes.sources.dates import BadDate

STORY = "The council met on Monday.\n\nIt voted to repair the old library.\n"


def read(inputs, **kw):
    return list(iter_articles([str(i) for i in inputs], **kw))


def test_text_file_without_metadata_invents_none(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    [article] = read([path])
    assert isinstance(article, Article)
    assert article.text == STORY
    assert article.source == str(path)
    assert (article.outlet, article.published, article.url, article.title) == (None, None, None, None)


def test_sidecar_metadata_and_command_line_wins(tmp_path):
    (tmp_path / "story.md").write_text(STORY, encoding="utf-8")
    (tmp_path / "story.meta.json").write_text(
        '{"title": "Library", "outlet": "Valley Gazette", "date": "3 May 2024", "url": "https://example.org/lib"}'
    )
    [article] = read([tmp_path / "story.md"])
    assert (article.title, article.outlet, article.published, article.url) == (
        "Library", "Valley Gazette", "2024-05-03", "https://example.org/lib")
    [article] = read([tmp_path / "story.md"], defaults=ArticleMeta(outlet="Hill Times", published="2024-06-01"))
    assert (article.title, article.outlet, article.published) == ("Library", "Hill Times", "2024-06-01")


def test_bad_sidecar_skips_the_article_and_names_the_sidecar(tmp_path):
    (tmp_path / "story.txt").write_text(STORY)
    (tmp_path / "story.meta.json").write_text('{"title": "x", "colour": "red"}')
    [err] = read([tmp_path / "story.txt"])
    assert isinstance(err, InputError)
    assert str(err).startswith(str(tmp_path / "story.meta.json") + ": ")
    assert "colour" in str(err)


def test_folder_recursive_sorted_hidden_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second story text.")
    (tmp_path / "a.markdown").write_text("First story text.")
    (tmp_path / "NOTES").write_text("A file with no extension is text too.")
    (tmp_path / ".hidden.txt").write_text("hidden")
    (tmp_path / ".git" / "HEAD.txt").write_text("hidden too")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\x00")
    (tmp_path / "a.meta.json").write_text('{"title": "First"}')
    items = read([tmp_path])
    articles = [i for i in items if isinstance(i, Article)]
    assert [a.text for a in articles] == [
        "A file with no extension is text too.", "First story text.", "Second story text."]
    assert articles[1].title == "First"
    assert [i.source for i in items if isinstance(i, Skipped)] == [str(tmp_path / "photo.jpg")]
    assert not [i for i in items if isinstance(i, InputError)]


def test_stdin():
    [article] = read(["-"], stdin=io.BytesIO(STORY.encode()))
    assert article.text == STORY and article.source == "-"


@pytest.mark.parametrize(
    "name, data, reason, words",
    [
        ("empty.txt", b"  \n\n", "empty", "empty text"),
        ("blob.txt", b"abc\x00\x01\x02", "binary", "binary file"),
        ("latin.txt", "Caf\u00e9 owners said no.".encode("latin-1"), "not UTF-8", "--encoding latin-1"),
        ("doc.pdf", b"%PDF-1.4", "unsupported", "unsupported file type '.pdf'"),
    ],
)
def test_bad_files_give_one_error_each(tmp_path, name, data, reason, words):
    (tmp_path / name).write_bytes(data)
    [err] = read([tmp_path / name])
    assert isinstance(err, InputError)
    assert err.reason == reason and words in str(err)
    assert str(err).startswith(f"{tmp_path / name}: ") and "\n" not in str(err)


def test_missing_path_and_the_rest_goes_on(tmp_path):
    (tmp_path / "ok.txt").write_text(STORY)
    items = read([tmp_path / "nope.txt", tmp_path / "ok.txt"])
    assert str(items[0]) == f"{tmp_path / 'nope.txt'}: no such file or folder"
    assert isinstance(items[1], Article)


def test_encodings_named_and_guessed(tmp_path):
    # charset-normalizer needs a few lines to tell cp1252 from its neighbours
    text = (
        "Le maire a déclaré que l'école rouvrira à la rentrée, après des travaux très coûteux.\n"
        "Les élèves étaient déçus, mais leurs parents ont salué une décision « raisonnable ».\n"
        "Selon la préfecture, le chantier a coûté près de deux millions d'euros à la commune.\n"
        "Le député a répondu qu'il défendrait le budget de l'éducation à l'Assemblée.\n"
    )
    (tmp_path / "fr.txt").write_bytes(text.encode("cp1252"))
    [article] = read([tmp_path / "fr.txt"], encoding="latin-1")
    assert article.text == text
    [article] = read([tmp_path / "fr.txt"], encoding="auto")
    assert article.text == text
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode())
    [article] = read([tmp_path / "bom.txt"])
    assert article.text == text


@pytest.mark.parametrize(
    "raw, iso",
    [
        ("2024-03-05", "2024-03-05"),
        ("5 March 2024", "2024-03-05"),
        ("March 5, 2024 10:30", "2024-03-05T10:30:00"),
        ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05T10:00:00+00:00"),
        ("2024-03-05T10:00:00+02:00", "2024-03-05T10:00:00+02:00"),
        ("05.03.2024", "2024-03-05"),
        ("03/05/2024", "2024-03-05"),
        ("", None),
    ],
)
def test_dates_normalised(raw, iso):
    assert normalize_date(raw) == iso


@pytest.mark.parametrize("raw", ["yesterday", "May 2024", "2024", "32/13/2024"])
def test_incomplete_or_bad_dates_refused(raw):
    with pytest.raises(BadDate):
        normalize_date(raw)


@pytest.mark.parametrize(
    "given, stored",
    [
        ("https://News.Example.com/a/story?utm_source=feed&utm_medium=rss#comments", "https://news.example.com/a/story"),
        ("https://example.com/story?id=3&fbclid=abc", "https://example.com/story?id=3"),
        ("https://example.com/search?q=a%20b", "https://example.com/search?q=a%20b"),
        ("http://example.com", "http://example.com/"),
    ],
)
def test_urls_lose_fragments_and_tracking_so_duplicates_match(tmp_path, given, stored):
    (tmp_path / "s.txt").write_text(STORY)
    [article] = read([tmp_path / "s.txt"], defaults=ArticleMeta(url=given))
    assert article.url == stored
