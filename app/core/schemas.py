"""Generate the public JSON Schemas in ``schema/`` from the pydantic models.

Run ``python -m app.core.schemas`` after changing a model; a test fails while a file is stale.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.codebook import Codebook
from app.core.export_model import Export

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
BASE_URI = "https://claimcoder.org/schema/"


def _schema(model: Any, name: str, title: str, description: str) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_URI + name,
        "title": title,
        "description": description,
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def export_schema() -> dict[str, Any]:
    return _schema(Export, "export.schema.json", "claimcoder export",
                   "One coder's work on one project (format_version 1). Offsets count Unicode code "
                   "points in the document text; end is exclusive.")


def codebook_schema() -> dict[str, Any]:
    return _schema(Codebook, "codebook.schema.json", "claimcoder codebook",
                   "The variables coded for each statement, with their measurement levels.")


def dataset_schema() -> dict[str, Any]:
    from app.core.dataset_model import Dataset

    return _schema(Dataset, "dataset.schema.json", "claimcoder dataset",
                   "A study's final dataset (format_version 1): every document once; gold statements where "
                   "the document was adjudicated, else the statements of the one coder who coded it.")


def _generators() -> dict[str, Callable[[], Any]]:
    gens: dict[str, Callable[[], Any]] = {
        "export.schema.json": export_schema,
        "codebook.schema.json": codebook_schema,
        "dataset.schema.json": dataset_schema,
    }
    try:
        from app.core.agreement.report import agreement_json_schema
    except ImportError:
        pass
    else:
        gens["agreement.schema.json"] = agreement_json_schema
    return gens


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generated() -> dict[str, str]:
    """File name → the text it must have."""
    out = {}
    for name, gen in _generators().items():
        schema = gen()
        out[name] = render(json.loads(schema) if isinstance(schema, str) else schema)
    return out


def write_all(folder: Path = SCHEMA_DIR) -> list[Path]:
    written = []
    for name, text in generated().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    for p in write_all():
        print(f"wrote {p}")
    sys.exit(0)
