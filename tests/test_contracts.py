"""Repository-level contracts: generated schemas are current, the layers import only downward."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from app.core import schemas

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(schemas.generated()))
def test_schema_file_is_current(name: str) -> None:
    path = REPO / "schema" / name
    assert path.exists(), f"schema/{name} is missing: run python -m app.core.schemas"
    assert path.read_text(encoding="utf-8") == schemas.generated()[name], (
        f"schema/{name} is stale: run python -m app.core.schemas"
    )


def test_all_public_schemas_exist() -> None:
    for name in ("export.schema.json", "codebook.schema.json", "agreement.schema.json", "dataset.schema.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads((REPO / "schema" / name).read_text("utf-8")))


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
