"""Every legal path means that file: `?`, `#`, `%xx`, spaces and non-ASCII open exactly the path
given, never a file named by part of it; the Windows drive and UNC forms of the URI are checked as
pure functions (they cannot be opened here)."""

from __future__ import annotations

import sqlite3
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import unquote

import pytest

from app.main import main
from app.services.project import Project
from app.store.db import sqlite_uri
from tests.conftest import ARTICLE, add_texts

#: One folder per character class a URL treats specially (or a file system stores differently).
AWKWARD = ["what?", "study #1", "a%20b", "100% sure", "two  spaces ", "Études – ÆØÅ 😀", "semi;colon&amp=1",
           "back\\slash", "colon:here"]


@pytest.mark.parametrize("folder", AWKWARD)
def test_sqlite_itself_resolves_the_uri_to_the_same_file(tmp_path: Path, folder: str) -> None:
    target = tmp_path / folder / "s.ccdb"
    target.parent.mkdir()
    con = sqlite3.connect(sqlite_uri(target), uri=True)
    try:
        con.execute("CREATE TABLE t (x)")
        (_, _, opened), = con.execute("PRAGMA database_list").fetchall()
    finally:
        con.close()
    assert opened == str(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["s.ccdb"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]  # nothing written beside it


@pytest.mark.parametrize("folder", AWKWARD)
def test_new_open_and_info_use_exactly_that_path(tmp_path: Path, folder: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / folder / "s.ccdb"
    target.parent.mkdir()
    assert main(["new", str(target), "--name", "Awkward"]) == 0
    assert target.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]
    capsys.readouterr()
    assert main(["info", str(target)]) == 0
    assert capsys.readouterr().out.startswith("Awkward (schema")
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]


def test_new_in_a_folder_with_a_question_mark(tmp_path: Path) -> None:
    (tmp_path / "d" / "what?").mkdir(parents=True)
    assert main(["new", str(tmp_path / "d" / "what?" / "s.ccdb")]) == 0
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["what?"]  # not a file `d/what`
    assert (tmp_path / "d" / "what?" / "s.ccdb").is_file()


def test_import_into_the_named_project_not_a_prefix_of_it(tmp_path: Path) -> None:
    decoy = tmp_path / "q"  # what `q?/real.ccdb` means when the path is read as a URL
    Project.create(decoy, name="decoy").close()
    real = tmp_path / "q?" / "real.ccdb"
    real.parent.mkdir()
    Project.create(real, name="real").close()
    csv = tmp_path / "x.csv"
    csv.write_text("title,text\nOne,The president said the mission was still needed.\n", encoding="utf-8")
    assert main(["import", str(real), str(csv)]) == 0
    with Project.open(real, read_only=True) as proj:
        assert proj.document_count() == 1
    with Project.open(decoy, read_only=True) as proj:
        assert proj.document_count() == 0


def test_info_on_a_hash_path_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "study #1" / "s.ccdb"
    target.parent.mkdir()
    with Project.create(target, name="Hash") as proj:
        add_texts(proj, ARTICLE)
    assert main(["info", str(target)]) == 0
    assert "documents  1" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study #1"]  # no empty `study ` file


def test_percent_escapes_in_a_name_are_not_decoded(tmp_path: Path) -> None:
    """`a%20b` is a folder of its own; the project in `a b` must not be the one opened."""
    (tmp_path / "a b").mkdir()
    Project.create(tmp_path / "a b" / "s.ccdb", name="spaced").close()
    (tmp_path / "a%20b").mkdir()
    Project.create(tmp_path / "a%20b" / "s.ccdb", name="escaped").close()
    with Project.open(tmp_path / "a%20b" / "s.ccdb", read_only=True) as proj:
        assert proj.name == "escaped"


# -- the URI builder as a pure function -------------------------------------------------------

def test_posix_uri() -> None:
    assert sqlite_uri(PurePosixPath("/home/ana/what?/study #1/100%/s.ccdb")) == \
        "file:///home/ana/what%3F/study%20%231/100%25/s.ccdb"
    assert sqlite_uri(PurePosixPath("/d/Études/s.ccdb"), read_only=True) == "file:///d/%C3%89tudes/s.ccdb?mode=ro"
    assert sqlite_uri(PurePosixPath("/m/s.ccdb"), read_only=True, immutable=True) == \
        "file:///m/s.ccdb?mode=ro&immutable=1"


def test_windows_drive_letter_uri() -> None:
    # SQLite's documented Windows form: file:///C:/Documents%20and%20Settings/fred/Desktop/data.db
    uri = sqlite_uri(PureWindowsPath(r"C:\Documents and Settings\fred\Desktop\data.db"))
    assert uri == "file:///C:/Documents%20and%20Settings/fred/Desktop/data.db"
    assert sqlite_uri(PureWindowsPath(r"d:\Studie #2\what?\s.ccdb")) == "file:///d:/Studie%20%232/what%3F/s.ccdb"


def test_windows_unc_uri_has_an_empty_authority() -> None:
    # SQLite refuses a URI authority other than "" or "localhost", so the server goes in the path.
    uri = sqlite_uri(PureWindowsPath(r"\\fileserver\team share\Études\s.ccdb"), read_only=True)
    assert uri == "file:////fileserver/team%20share/%C3%89tudes/s.ccdb?mode=ro"
    assert unquote(uri[len("file://"):].split("?")[0]) == "//fileserver/team share/Études/s.ccdb"


def test_windows_verbatim_prefixes_become_plain_paths() -> None:
    assert sqlite_uri(PureWindowsPath("\\\\?\\C:\\long\\s.ccdb")) == "file:///C:/long/s.ccdb"
    assert sqlite_uri(PureWindowsPath("\\\\?\\UNC\\srv\\share\\s.ccdb")) == "file:////srv/share/s.ccdb"


def test_a_relative_path_is_refused_by_the_builder() -> None:
    with pytest.raises(ValueError):
        sqlite_uri(PurePosixPath("s.ccdb"))


def test_an_old_project_in_an_awkward_folder_is_upgraded_there(tmp_path: Path) -> None:
    """The upgrade's backup goes beside the project, in the same awkward folder."""
    import shutil

    folder = tmp_path / "what? #1 100%"
    folder.mkdir()
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "schema-0001.ccdb"
    path = Path(shutil.copy(fixture, folder / "old.ccdb"))
    with Project.open(path) as proj:
        assert proj.backup_path is not None and proj.backup_path.parent == folder
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]
