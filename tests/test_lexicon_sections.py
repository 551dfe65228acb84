"""The engine's small word sets live in lexicons/grammar_*.txt: read as written, every one there."""
import ast
from pathlib import Path

import pytest

import quotes
from quotes.extract import lexicon

PACKAGE = Path(quotes.__file__).resolve().parent  # (not lexicon's: the compiled build's file lives elsewhere)


def _section_calls():
    """Every lexicon.section("file", "name") the package's source makes."""
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "lexicon.section":
                yield path.name, node.args[0].value, node.args[1].value


def test_every_section_the_code_reads_exists_and_has_words():
    calls = list(_section_calls())
    assert len(calls) >= 60
    for module, name, title in calls:
        assert lexicon.section(name, title), (module, name, title)


def test_every_section_in_the_files_is_read_by_the_code():
    read = {(name, title) for _, name, title in _section_calls()}
    for path in sorted((PACKAGE / "lexicons").glob("grammar_*.txt")):
        for title in lexicon.sections(path.name):
            assert (path.name, title) in read, f"{path.name} [{title}] is read by no module"


def test_words_are_kept_as_written():
    contracted = lexicon.section("grammar_cues.txt", "contracted")
    assert {"he’s", "he's", "what’s"} <= contracted  # the curly and the straight apostrophe both
    assert "—" in lexicon.section("grammar_engine.txt", "dashes") and "--" in lexicon.section("grammar_engine.txt", "dashes")
    assert "mr." in lexicon.section("grammar_resolve.txt", "male") and "mr" in lexicon.section("grammar_resolve.txt", "male")
    assert "#" not in "".join(lexicon.section("grammar_engine.txt", "aux"))


def test_engine_constants_are_the_files_words():
    from quotes.extract import engine, speakers

    assert engine._AUX == lexicon.section("grammar_engine.txt", "aux")
    assert "also" in engine._AUX and "candidly" in engine._AUX and "said" not in engine._AUX
    assert engine._VERBISH == engine._BE | lexicon.section("grammar_engine.txt", "auxiliaries")
    assert "the" in speakers.DETERMINERS and "mayor" not in speakers.DETERMINERS


def test_a_missing_section_names_file_and_section():
    with pytest.raises(KeyError, match=r"grammar_engine.txt has no \[no_such_words\]"):
        lexicon.section("grammar_engine.txt", "no_such_words")
