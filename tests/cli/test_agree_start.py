"""``claimcoder agree`` is parsed and started without the other commands (so that its worker
processes start reading sooner): it must still say exactly what the full parser says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.cli import run
from app.main import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("argv", [
    ["--help"], [], ["a.json"], ["a.json", "b.json", "--format", "xml"], ["a.json", "b.json", "--bogus"],
    ["a.json", "b.json", "--min-overlap", "2"], ["a.json", "b.json", "--bootstrap", "-1"],
    ["a.json", "b.json", "--seed", "x"], ["missing-a.json", "missing-b.json"],
], ids=["help", "nothing", "one", "format", "unknown", "overlap", "bootstrap", "seed", "missing"])
def test_agree_says_what_the_full_parser_says(argv: list[str], capsys: Any, tmp_path: Path,
                                              monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    full = run(["agree", *argv]), capsys.readouterr()
    fast = main(["agree", *argv]), capsys.readouterr()
    assert fast == full
    assert full[0] != 0 or argv == ["--help"]


def test_agree_starts_without_the_other_commands() -> None:
    probe = ("import json, sys, app.main, app.cli.agree, app.core.export_parallel; "
             "print(json.dumps(sorted(m for m in sys.argv[1:] if m in sys.modules)))")
    heavy = ["app.cli.main", "app.io.readers", "app.cli.study", "app.store", "sqlalchemy", "numpy",
             "app.core.agreement"]
    out = subprocess.run([sys.executable, "-c", probe, *heavy], capture_output=True, text=True, cwd=ROOT,
                         check=True, timeout=120)
    assert json.loads(out.stdout) == []


def test_agree_through_the_entry_point_writes_the_report(tmp_path: Path) -> None:
    from tests.trust.test_export_parallel import _variant, _write

    paths = _write(tmp_path, [_variant(0), _variant(1)])
    out = tmp_path / "r.json"
    done = subprocess.run([sys.executable, "-m", "app", "agree", *map(str, paths), "--format", "json", "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [c["name"] for c in report["coders"]] == ["coder0", "coder1"]


@pytest.mark.parametrize("fmt", ["csv", "text"])
def test_agree_ends_at_once_with_all_of_its_output(tmp_path: Path, fmt: str, capsys: Any) -> None:
    """After agree the program ends without taking its heap apart (app.main.leave): what it
    printed is all there, and its exit status is the command's."""
    from tests.trust.test_export_parallel import _variant, _write

    paths = _write(tmp_path, [_variant(0), _variant(1)])
    args = ["agree", *map(str, paths), "--format", fmt, "--no-cache"]
    assert main(args) == 0
    here = capsys.readouterr().out
    # (standard output block-buffered, as it is for a pipe unless PYTHONUNBUFFERED says otherwise)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, cwd=ROOT, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == here and len(here) > 50
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    refused = subprocess.run([sys.executable, "-m", "app", "agree", str(paths[0]), str(bad)],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert refused.returncode == 1 and refused.stderr.startswith("claimcoder: ") and "Traceback" not in refused.stderr
