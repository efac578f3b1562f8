"""Contract 4: the agreement report, as pydantic models (and so as ``agreement.schema.json``).

The report is what ``claimcoder agree --format json`` prints and what the GUI shows; the text,
CSV and HTML writers in ``app.io.agreement_report`` only format it. Every coefficient that can
be undefined is ``None`` with a reason, never NaN and never a made-up 1.0.
"""

from __future__ import annotations

import json
import math
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

FORMAT: Final = "claimcoder-agreement"
FORMAT_VERSION: Final = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", ser_json_inf_nan="null")


def finite(x: float | None) -> float | None:
    """None for NaN/inf: the JSON must never carry NaN (it is not JSON)."""
    if x is None or not math.isfinite(x):
        return None
    return float(x)


class CoderInfo(_Model):
    id: str
    name: str
    source: str = Field(description="The export file (or label) this coder's work came from.")
    n_documents: int = Field(description="Documents this coder coded (done, in progress, or with statements).")
    n_statements: int = Field(description="This coder's statements in documents shared with another coder.")


class PartialDocument(_Model):
    sha256: str
    title: str
    coders: list[str] = Field(description="The only coders who coded this document.")


class AlignmentSummary(_Model):
    min_overlap: float
    rule: str = Field(description="How spans were aligned, in words.")
    n_documents: int = Field(description="Distinct documents (by sha256) over all exports.")
    n_documents_shared: int = Field(description="Documents coded by at least two coders; the only ones used.")
    n_documents_all_coders: int = Field(description="Documents coded by every coder (used for α_U).")
    documents_single_coder: list[PartialDocument] = Field(
        description="Documents only one coder coded: left out of every statistic."
    )
    documents_some_coders: list[PartialDocument] = Field(
        description="Documents coded by at least two coders but not by all."
    )
    n_units: int = Field(description="Units, including statements no other coder matched.")
    n_aligned_units: int = Field(description="Units holding statements of two or more coders.")
    n_statements: int
    n_statements_matched: int
    n_statements_unmatched: int
    n_statements_split: int = Field(
        description="Statements that overlapped two or more statements of one other coder but could join only one."
    )


class DetectionPair(_Model):
    coder_a: str
    coder_b: str
    n_documents: int = Field(description="Documents both coded.")
    n_a: int
    n_b: int
    n_matched: int = Field(description="Units holding a statement of both coders.")
    precision: float | None = Field(description="Share of b's statements that a also has (a as reference).")
    recall: float | None = Field(description="Share of a's statements that b also found.")
    f1: float | None


class UnitizingSummary(_Model):
    pairs: list[DetectionPair]
    alpha_u: float | None
    alpha_u_undefined_reason: str | None
    observed_disagreement: float | None
    expected_disagreement: float | None
    continuum_length: int = Field(description="Characters of the documents every coder coded, concatenated.")
    treatment: str = Field(description="How α_U was computed, in words.")


class CategoryAgreement(_Model):
    value: str
    label: str
    n_values: float = Field(description="Pairable values equal to this category (coincidence marginal).")
    agreement: float | None = Field(description="o_cc / n_c: how often a pairable value c was matched by c.")


class Coincidences(_Model):
    values: list[str] = Field(description="Row and column categories shown (the most frequent, in scale order).")
    labels: list[str]
    matrix: list[list[float]] = Field(description="Coincidence counts o_ck among the shown categories.")
    n_categories: int = Field(description="Categories that occur among pairable values.")
    truncated: bool = Field(description="True when only the most frequent categories are shown.")


class VariableReport(_Model):
    label: str
    kind: str
    level: Literal["nominal", "ordinal", "interval", "ratio"]
    n_units: int = Field(description="Units with values from at least two coders.")
    n_pairable_values: int
    krippendorff_alpha: float | None
    alpha_ci95: list[float] | None = Field(description="Seeded bootstrap percentile interval, [low, high].")
    undefined_reason: str | None = Field(description="Why α is undefined (null when it is defined).")
    percent_agreement: float | None
    cohen_kappa: float | None
    fleiss_kappa: float | None
    gwet_ac1: float | None
    undefined_reasons: dict[str, str] = Field(
        default_factory=dict, description="Why each null coefficient is null, by coefficient name."
    )
    confusion: Coincidences
    per_category: list[CategoryAgreement]

    @field_validator("alpha_ci95")
    @classmethod
    def _pair(cls, v: list[float] | None) -> list[float] | None:
        if v is not None and len(v) != 2:
            raise ValueError("alpha_ci95 is [low, high]")
        return v


class CoderValue(_Model):
    value: str | None
    state: Literal["coded", "empty", "no_statement", "document_not_coded"]


class Disagreement(_Model):
    sha256: str
    title: str
    start: int
    end: int
    text: str
    variable: str = Field(description="The variable's key; empty for a row about the whole statement.")
    issue: Literal["values differ", "statement not found by every coder", "spans differ"]
    values: dict[str, CoderValue] = Field(description="By coder name.")


class Settings(_Model):
    min_overlap: float
    bootstrap: int
    seed: int


class AgreementReport(_Model):
    format: Literal["claimcoder-agreement"] = FORMAT
    format_version: Literal[1] = FORMAT_VERSION
    app_version: str = ""
    settings: Settings
    coders: list[CoderInfo]
    alignment: AlignmentSummary
    unitizing: UnitizingSummary
    variables: dict[str, VariableReport]
    n_disagreements: dict[str, int] = Field(
        description="Rows of the disagreement list: by variable (values differ), and under 'statement missing' "
        "and 'span differs' the rows about whole statements.")
    disagreements_listed: bool = Field(
        default=True, description="False when the list below was not asked for (it is then empty)."
    )
    disagreements: list[Disagreement]


def agreement_json_schema() -> dict[str, Any]:
    """The JSON Schema of the report (``schema/agreement.schema.json``), from the models.

    Serialization mode: every key the writer always emits is marked required, which is what a
    script reading the report can rely on.
    """
    schema: dict[str, Any] = AgreementReport.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://claimcoder.org/schema/agreement.schema.json",
        "title": "claimcoder agreement report",
        "description": "Inter-coder agreement computed from the coders' exports (format_version 1).",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def agreement_schema_text() -> str:
    """The exact text of ``schema/agreement.schema.json``."""
    return json.dumps(agreement_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
