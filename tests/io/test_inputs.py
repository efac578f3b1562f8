"""Planning inputs: what is read, what is skipped, what is reported; counting and cancelling."""

from __future__ import annotations

from pathlib import Path

from app.io.readers import (
    FILE_DIALOG_FILTER,
    SUPPORTED_SUFFIXES,
    InputItem,
    expand_inputs,
    plan_inputs,
    read_inputs,
)
from tests.io.corpus import write, zip_bytes


def _tree(root: Path) -> None:
    write(root / "b.txt", "B")
    write(root / "a" / "a.md", "A")
    write(root / "a" / "notes.odt", b"PK")
    write(root / ".git" / "x.txt", "hidden folder")
    write(root / ".hidden.txt", "hidden file")
    write(root / "~$lock.docx", b"\x00lock")
    write(root / "c.zip", zip_bytes({"m1.txt": b"M1", "m2.txt": b"M2"}))


def test_folders_recurse_skipping_hidden_lock_and_unsupported_files(tmp_path: Path) -> None:
    _tree(tmp_path)
    items = plan_inputs([tmp_path])
    assert [i.origin for i in items] == [
        str(tmp_path / "a" / "a.md"), str(tmp_path / "b.txt"), f"{tmp_path / 'c.zip'}!m1.txt", f"{tmp_path / 'c.zip'}!m2.txt"]
    assert all(i.error is None for i in items)
    assert list(expand_inputs([tmp_path])) == [tmp_path / "a" / "a.md", tmp_path / "b.txt", tmp_path / "c.zip"]


def test_files_named_directly_are_reported_when_not_readable(tmp_path: Path) -> None:
    _tree(tmp_path)
    named = [tmp_path / "a" / "notes.odt", tmp_path / "missing.txt", tmp_path / ".hidden.txt", tmp_path / "b.txt",
             tmp_path / "b.txt"]
    results = [(r.origin, r.error) for r in read_inputs(named)]
    assert results == [
        (str(named[0]), "unsupported file type '.odt' (supported: .txt .md, .docx, .pdf, .rtf, .html .htm, .csv .tsv, .jsonl .json, .zip)"),
        (str(named[1]), "no such file or folder"),
        (str(named[2]), None),
        (str(named[3]), None),  # named twice, read once
    ]


def test_a_folder_without_articles_says_so(tmp_path: Path) -> None:
    write(tmp_path / "x.odt", b"PK")
    [result] = read_inputs([tmp_path])
    assert result.error is not None and result.error.startswith("no files to import in this folder")


def test_the_plan_gives_the_total_and_can_be_read_as_is(tmp_path: Path) -> None:
    for i in range(5):
        write(tmp_path / f"{i}.txt", f"Article {i}")
    items = plan_inputs([str(tmp_path)])
    assert len(items) == 5 and all(isinstance(i, InputItem) for i in items)
    assert [r.documents[0].text for r in read_inputs(items)] == [f"Article {i}" for i in range(5)]


def test_results_are_lazy_and_cancelling_stops_before_the_next_file(tmp_path: Path) -> None:
    for i in range(5):
        write(tmp_path / f"{i}.txt", f"Article {i}")
    stop = False
    seen = []
    for result in read_inputs([tmp_path], cancelled=lambda: stop):
        seen.append(result.origin)
        stop = len(seen) == 2
    assert len(seen) == 2


def test_cancelling_inside_a_big_table_yields_nothing_for_it(tmp_path: Path) -> None:
    table = write(tmp_path / "big.csv", "text\n" + "row\n" * 5000)
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 1  # not before the file, but at the first check inside it

    assert list(read_inputs([table], cancelled=cancelled)) == []


def test_an_unexpected_reader_error_becomes_a_message_not_a_crash(tmp_path: Path, monkeypatch) -> None:
    import app.io.readers.text as text_reader

    def broken(*args: object, **kwargs: object) -> list[object]:
        raise ZeroDivisionError

    monkeypatch.setattr(text_reader, "read_text", broken)
    write(tmp_path / "a.txt", "x")
    write(tmp_path / "b.csv", "text\nfine\n")
    results = [(r.error, len(r.documents)) for r in read_inputs([tmp_path])]
    assert results == [("could not be read (internal error: ZeroDivisionError)", 0), (None, 1)]


def test_the_dialog_filter_lists_every_supported_suffix() -> None:
    first = FILE_DIALOG_FILTER.split(";;")[0]
    assert all(f"*{suffix}" in first for suffix in SUPPORTED_SUFFIXES)
    assert FILE_DIALOG_FILTER.endswith("All files (*)")
