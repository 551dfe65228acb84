"""Whatever bytes a file holds, reading it never raises: an Article or one InputError per input."""
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.model import Article
from quotes.sources import InputError, iter_articles

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".md", ".html", ""]))
def test_any_bytes_in_a_file_give_exactly_one_item(tmp_path, data, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    items = list(iter_articles([str(path)]))
    assert len(items) == 1
    [item] = items
    assert isinstance(item, (Article, InputError))
    if isinstance(item, InputError):
        assert str(item).startswith(f"{path}: ") and "\n" not in str(item)
    else:
        assert item.text.strip()


@SETTINGS
@given(lines=st.lists(st.one_of(st.binary(max_size=60), st.text(max_size=60).map(str.encode)), max_size=8))
def test_any_jsonl_gives_one_item_per_non_blank_line(lines):
    lines = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    data = b"\n".join(lines)
    if data.lstrip()[:1] != b"{":
        data = b'{"text": "First."}\n' + data
    items = list(iter_articles(["-"], stdin=io.BytesIO(data)))
    expected = [n for n, line in enumerate(data.split(b"\n"), 1) if line.strip()]
    # a line with a NUL byte is one error like any other bad line: the lines after it are read
    assert [int(i.source.rsplit(":", 1)[1]) if isinstance(i, Article) else i.line for i in items] == expected
    assert all(isinstance(i, (Article, InputError)) for i in items)
