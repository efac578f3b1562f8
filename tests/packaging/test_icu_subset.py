"""The Linux bundle's reduced ICU data (packaging/icu_subset.py) still does what Qt asks of ICU.

Built from the ICU data library in the installed PySide6 wheel and loaded with ctypes beside
that wheel's libicuuc and libicui18n: ICU initialises, collation opens for English, German and
Turkish (Turkish has its own rules), UTF-8 conversion works, and a time zone has its offset.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
import icu_subset  # noqa: E402


@pytest.mark.parametrize(("name", "kept"), [
    ("icudt73l/nfkc.nrm", True), ("icudt73l/uprops.icu", True), ("icudt73l/pool.res", True),
    ("icudt73l/res_index.res", True), ("icudt73l/zoneinfo64.res", True), ("icudt73l/root.res", True),
    ("icudt73l/en.res", True), ("icudt73l/en_GB.res", True), ("icudt73l/coll/tr.res", True),
    ("icudt73l/coll/ucadata.icu", True), ("icudt73l/brkitr/line.brk", True),
    ("icudt73l/de.res", False), ("icudt73l/zh_Hant_TW.res", False), ("icudt73l/unit/fr_CA.res", False),
    ("icudt73l/ibm-943_P15A-2003.cnv", False), ("icudt73l/brkitr/cjdict.dict", False),
    ("icudt73l/translit/el_Latn.res", False), ("icudt73l/curr/en_001.res", True),
])
def test_which_items_are_kept(name: str, kept: bool) -> None:
    assert icu_subset.keep_item(name) is kept


def _qt_icu() -> Path:
    if not sys.platform.startswith("linux"):
        pytest.skip("the ICU data library is reduced on Linux only")
    import PySide6

    lib = Path(PySide6.__file__).parent / "Qt" / "lib"
    found = sorted(lib.glob("libicudata.so.*"))
    if not found:
        pytest.skip("this PySide6 wheel ships no ICU")
    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler")
    return found[0]


def test_the_reduced_library_serves_collation_conversion_and_time_zones(tmp_path: Path) -> None:
    original = _qt_icu()
    version = original.name.rsplit(".", 1)[1]
    reduced = tmp_path / original.name
    before, after = icu_subset.build(original, reduced)
    assert 0 < after < before and reduced.stat().st_size < original.stat().st_size / 3
    # In a process of its own: loading the reduced library replaces this process's ICU data.
    result = subprocess.run([sys.executable, str(icu_subset.__file__), "--check", str(reduced), str(original.parent)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
