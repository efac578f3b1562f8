"""ZIP archives: members as files of their own, and every trick an archive can play."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

from app.io.readers import Limits, ReadOptions, plan_inputs, read_inputs
from app.io.readers.options import MB
from tests.io.corpus import bomb_member, docx_bytes, write, zip_bytes


def _results(path: Path, options: ReadOptions | None = None) -> dict[str, tuple[list[str], str | None]]:
    return {r.origin.split("!", 1)[-1]: ([d.text for d in r.documents], r.error) for r in read_inputs([path], options)}


def test_each_member_is_its_own_result_named_archive_bang_member(tmp_path: Path) -> None:
    archive = write(tmp_path / "a.zip", zip_bytes({
        "x/one.txt": b"One", "two.csv": b"text\nr1\nr2\n", "x/three.docx": docx_bytes("Three."),
        "x/skip.odt": b"PK", ".DS_Store": b"\x00", "__MACOSX/x/._one.txt": b"\x00\x01",
    }))
    results = list(read_inputs([archive]))
    assert [r.origin for r in results] == [f"{archive}!x/one.txt", f"{archive}!two.csv", f"{archive}!x/three.docx"]
    assert [[d.text for d in r.documents] for r in results] == [["One"], ["r1", "r2"], ["Three."]]
    assert results[1].documents[1].origin == f"{archive}!two.csv:3"


def test_one_bad_member_does_not_spoil_the_others(tmp_path: Path) -> None:
    archive = write(tmp_path / "a.zip", zip_bytes({"good.txt": b"Good", "empty.txt": b"", "bad.csv": b"a,b\n1,2\n"}))
    assert _results(archive) == {
        "good.txt": (["Good"], None),
        "empty.txt": ([], "the file is empty"),
        "bad.csv": ([], "no 'text' column; columns are: a, b — map one with --column text=NAME"),
    }


def test_paths_escaping_the_archive_are_refused(tmp_path: Path) -> None:
    archive = write(tmp_path / "evil.zip", zip_bytes({
        "../../evil.txt": b"x", "/etc/passwd.txt": b"x", "C:/Windows/x.txt": b"x", "a/../../b.txt": b"x", "ok.txt": b"fine",
    }))
    refused = "unsafe path (outside the archive's folder); not read"
    assert _results(archive) == {
        "../../evil.txt": ([], refused), "/etc/passwd.txt": ([], refused), "C:/Windows/x.txt": ([], refused),
        "a/../../b.txt": ([], refused), "ok.txt": (["fine"], None),
    }
    assert not (tmp_path.parent / "evil.txt").exists()


def test_nested_archives_are_refused(tmp_path: Path) -> None:
    archive = write(tmp_path / "outer.zip", zip_bytes({"inner.zip": zip_bytes({"a.txt": b"A"}), "b.txt": b"B"}))
    assert _results(archive) == {"inner.zip": ([], "an archive inside the archive; unpack it first"), "b.txt": (["B"], None)}


def test_a_zip_bomb_member_is_refused_before_inflating(tmp_path: Path) -> None:
    archive = write(tmp_path / "bomb.zip", zip_bytes({"bomb.txt": bomb_member(10 * MB), "ok.txt": b"fine"}))
    assert archive.stat().st_size < 100_000
    results = _results(archive)
    assert results["ok.txt"] == (["fine"], None)
    assert results["bomb.txt"][1] is not None and "to 1, more than 100 to 1 (a zip bomb?); not read" in results["bomb.txt"][1]


def test_a_member_over_its_format_limit_is_refused(tmp_path: Path) -> None:
    archive = write(tmp_path / "a.zip", zip_bytes({"big.txt": bytes(range(32, 127)) * 30_000}))  # 2.7 MB
    results = _results(archive, ReadOptions(limits=Limits(text_file_bytes=1 * MB)))
    assert results == {"big.txt": ([], "it unpacks to 2.7 MB, more than the limit of 1 MB")}


def test_an_archive_unpacking_past_the_total_limit_is_refused_whole(tmp_path: Path) -> None:
    members = {f"{i}.txt": bytes(range(32, 127)) * 10_000 for i in range(3)}  # 0.9 MB each
    archive = write(tmp_path / "a.zip", zip_bytes(members))
    options = ReadOptions(limits=Limits(archive_unpacked_bytes=2 * MB))
    assert [(r.origin, r.error) for r in read_inputs([archive], options)] == [
        (str(archive), "the archive unpacks to 2.7 MB, more than the limit of 2 MB")
    ]


def test_too_many_entries_is_refused_before_listing(tmp_path: Path) -> None:
    archive = write(tmp_path / "a.zip", zip_bytes({f"{i}.txt": b"x" for i in range(20)}))
    [result] = read_inputs([archive], ReadOptions(limits=Limits(archive_members=10)))
    assert result.error == "the ZIP archive has 20 entries, more than the limit of 10"


def test_symbolic_links_are_not_followed(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    assert _results(write(tmp_path / "l.zip", out.getvalue())) == {"link.txt": ([], "a symbolic link; not read")}


def test_corrupt_and_empty_archives(tmp_path: Path) -> None:
    good = zip_bytes({"a.txt": b"Some text here"})
    cases = {
        "notzip.zip": (b"not a zip", "not a valid ZIP archive (File is not a zip file)"),
        "empty.zip": (zip_bytes({}), "no files to import in this archive"),
        "onlyodt.zip": (zip_bytes({"a.odt": b"PK"}), "no files to import in this archive"),
    }
    for name, (data, message) in cases.items():
        [result] = read_inputs([write(tmp_path / name, data)])
        assert result.error is not None and result.error.startswith(message), (name, result.error)
    damaged = bytearray(good)
    offset = good.index(b"a.txt") + len("a.txt")  # first bytes of the member's compressed data
    damaged[offset : offset + 4] = b"\xff\xff\xff\xff"
    [result] = read_inputs([write(tmp_path / "damaged.zip", bytes(damaged))])
    assert result.error is not None and result.error.startswith("the archive member is damaged")


def test_utf8_member_names_without_the_flag_are_shown_right(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("новости.txt", "Текст")
    raw = out.getvalue().replace(b"\x00\x08", b"\x00\x00")  # clear the UTF-8 flag, as old tools do
    path = write(tmp_path / "ru.zip", raw)
    [item] = plan_inputs([path])
    assert item.origin == f"{path}!новости.txt"
    [result] = read_inputs([item])
    assert [d.text for d in result.documents] == ["Текст"]
