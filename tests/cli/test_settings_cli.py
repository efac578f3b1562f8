"""``claimcoder settings``: a supervisor switches candidates on, extends the cues, closes the
actor list from a script; bad values are refused in one line and change nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.gui import candidate_guide
from app.main import main
from app.services import actors, project_settings
from app.services.project import Project


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "s.ccdb"
    Project.create(path).close()
    return path


def test_listing_shows_every_setting_with_its_default(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["settings", str(project), "--format", "json"], capsys)
    assert code == 0
    assert json.loads(out) == {"candidates": False, "candidate_cues": {}, "reliability_sample": [],
                               "closed_actor_list": False}
    code, out, _ = run(["settings", str(project)], capsys)
    assert "candidates = false  (default)" in out and "never in the reliability sample" in out


def test_set_read_and_unset_reach_the_window_and_the_services(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["settings", str(project), "candidates", "true"], capsys)[:2] == (0, "candidates: true\n")
    cues = '{"en": {"verbs": ["conceded"], "sources": ["as reported by"]}}'
    assert run(["settings", str(project), "candidate_cues", cues], capsys)[0] == 0
    assert run(["settings", str(project), "closed_actor_list", "true"], capsys)[0] == 0
    assert run(["settings", str(project), "candidates"], capsys)[1] == "true\n"
    with Project.open(project) as p:
        assert p.setting(candidate_guide.SETTING) is True
        assert p.setting(candidate_guide.CUES_SETTING) == json.loads(cues)
        assert p.actors.closed
    code, out, _ = run(["settings", str(project), "--unset", "candidates"], capsys)
    assert code == 0 and "removed; the default (false) applies" in out
    assert run(["settings", str(project), "candidates"], capsys)[1] == "false\n"
    assert "was not set" in run(["settings", str(project), "--unset", "candidates"], capsys)[1]


@pytest.mark.parametrize(("args", "code", "message"), [
    (["candidates", "yes"], 1, "VALUE must be JSON"),
    (["candidates", '"true"'], 1, "setting 'candidates': must be true or false"),
    (["candidate_cues", '{"en": {"verb": ["x"]}}'], 1, "unknown list 'verb'"),
    (["candidate_cues", '{"en": {"verbs": "conceded"}}'], 1, "must be a list of words"),
    (["reliability_sample", '["no-such-id"]'], 1, "no document with id 'no-such-id'"),
    (["reliability_sample", "[1]"], 1, "must be a list of document ids"),
    (["package_coder", '"ana"'], 1, "is kept by claimcoder"),
    (["colour", "1"], 2, "unknown setting 'colour'"),
])
def test_bad_values_are_refused_in_one_line_and_change_nothing(project: Path, capsys: pytest.CaptureFixture[str],
                                                                args: list[str], code: int, message: str) -> None:
    before = project.read_bytes()
    got, _, err = run(["settings", str(project), *args], capsys)
    assert got == code and message in err
    assert len([line for line in err.splitlines() if line.startswith("claimcoder")]) == 1
    assert project.read_bytes() == before


def test_the_window_reads_the_same_keys() -> None:
    assert (candidate_guide.SETTING, candidate_guide.CUES_SETTING, candidate_guide.SAMPLE_SETTING) == (
        project_settings.CANDIDATES, project_settings.CANDIDATE_CUES, project_settings.RELIABILITY_SAMPLE)
    assert actors.CLOSED_SETTING == project_settings.CLOSED_ACTOR_LIST


def test_the_cue_lists_the_setting_takes_are_those_the_detector_reads() -> None:
    from dataclasses import fields

    from app.core.candidates import Cues

    assert set(project_settings.CUE_FIELDS) == {f.name for f in fields(Cues)}
