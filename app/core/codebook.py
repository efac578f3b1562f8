"""The codebook: which variables a statement has, and what values they take.

The variable list is data, not code: the GUI builds its annotation panel from it, the agreement
report computes one block per variable, at the variable's measurement level.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.core import finite
from app.core.errors import CodebookError, describe_validation_error

VariableKind = Literal["entity", "category", "text", "number", "boolean"]
Level = Literal["nominal", "ordinal", "interval", "ratio"]

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"


class StrictModel(BaseModel):
    """Unknown keys are mistakes (a typo in a codebook must not be ignored silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Category(StrictModel):
    value: str = Field(min_length=1, max_length=200, description="Stored in exports; stable.")
    label: str = Field(default="", max_length=200, description="Shown to coders.")
    description: str = Field(default="", description="One line coders read as a tooltip.")
    score: float | None = Field(default=None, allow_inf_nan=False, description="Numeric score for interval/ratio levels.")
    shortcut: str | None = Field(
        default=None, min_length=1, max_length=1, description="One key that picks this category."
    )

    @property
    def display(self) -> str:
        return self.label or self.value


class Variable(StrictModel):
    key: str = Field(pattern=KEY_PATTERN, description="Stored in exports; lowercase, digits, _.")
    label: str = Field(default="", max_length=200)
    kind: VariableKind
    level: Level = "nominal"
    required: bool = False
    description: str = ""
    categories: list[Category] = Field(default_factory=list)

    @property
    def display(self) -> str:
        return self.label or self.key

    @model_validator(mode="after")
    def _check(self) -> Variable:
        name = f"variable '{self.key}'"
        if self.kind == "category":
            if not self.categories:
                raise ValueError(f"{name}: a category variable needs at least one category")
            _no_repeats(name, "category", [c.value for c in self.categories])
            _no_repeats(name, "shortcut", [c.shortcut for c in self.categories if c.shortcut])
            if self.level in ("interval", "ratio"):
                missing = [c.value for c in self.categories if c.score is None]
                if missing:
                    raise ValueError(
                        f"{name}: level '{self.level}' needs a score on every category "
                        f"(missing on '{missing[0]}')"
                    )
        elif self.categories:
            raise ValueError(f"{name}: only category variables have categories (kind is '{self.kind}')")
        if self.kind in ("entity", "text", "boolean") and self.level != "nominal":
            raise ValueError(f"{name}: a {self.kind} variable can only be 'nominal' (got '{self.level}')")
        if self.kind == "number" and self.level not in ("interval", "ratio", "ordinal"):
            # nominal numbers are allowed but rarely meant; accept them quietly
            pass
        return self

    def category(self, value: str) -> Category | None:
        for c in self.categories:
            if c.value == value:
                return c
        return None

    def check_value(self, value: Any) -> str | None:
        """Why ``value`` cannot be stored for this variable, or None when it can."""
        if value is None:
            return None
        if self.kind == "category":
            if not isinstance(value, str) or self.category(value) is None:
                allowed = ", ".join(c.value for c in self.categories)
                return f"'{value}' is not a category of '{self.key}' (allowed: {allowed})"
        elif self.kind in ("entity", "text"):
            if not isinstance(value, str):
                return f"'{self.key}' takes text, not {type(value).__name__}"
        elif self.kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return f"'{self.key}' takes a number, not {value!r}"
            if isinstance(value, float) and not math.isfinite(value):
                return f"'{self.key}' takes a finite number, not {value!r}"
        elif self.kind == "boolean":
            if not isinstance(value, bool):
                return f"'{self.key}' takes true or false, not {value!r}"
        return None


class Codebook(StrictModel):
    name: str = Field(min_length=1, max_length=200)
    version: str = Field(default="1", min_length=1, max_length=50)
    description: str = ""
    variables: list[Variable] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> Codebook:
        _no_repeats("codebook", "variable", [v.key for v in self.variables])
        return self

    def variable(self, key: str) -> Variable | None:
        for v in self.variables:
            if v.key == key:
                return v
        return None

    @property
    def keys(self) -> list[str]:
        return [v.key for v in self.variables]

    def check_values(self, values: dict[str, Any]) -> list[str]:
        """Problems with a statement's values (unknown keys, wrong types): empty when fine."""
        problems = []
        for key, value in values.items():
            var = self.variable(key)
            if var is None:
                problems.append(f"unknown variable '{key}'")
                continue
            why = var.check_value(value)
            if why:
                problems.append(why)
        return problems

    def missing_required(self, values: dict[str, Any]) -> list[str]:
        return [v.key for v in self.variables if v.required and values.get(v.key) in (None, "")]

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_defaults=False)


def _no_repeats(owner: str, what: str, items: list[str]) -> None:
    counts = Counter(items)
    for item, n in counts.items():
        if n > 1:
            raise ValueError(f"{owner}: {what} '{item}' appears {n} times")


def parse_codebook(data: Any, *, source: str = "codebook") -> Codebook:
    try:
        return Codebook.model_validate(data)
    except ValidationError as exc:
        raise CodebookError(f"{source}: {describe_validation_error(exc)}") from None


def load_codebook(path: str | Path) -> Codebook:
    """Load a codebook from YAML or JSON (by extension; YAML also reads JSON)."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CodebookError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"{path}: cannot read the codebook ({exc.__class__.__name__})") from None
    import yaml  # here, not at the top: opening a project reads its codebook as JSON, never YAML

    try:
        data = finite.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (ValueError, yaml.YAMLError, RecursionError) as exc:
        # ValueError: also what PyYAML raises for an impossible date such as 2020-13-01 or an
        # integer of more than 4,300 digits; finite.NumberError for NaN and the like in JSON
        first = "nested too deeply" if isinstance(exc, RecursionError) else (
            str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__)
        if "integer string conversion" in first:  # Python's own words name a function to call
            first = f"a number with more than {finite.MAX_DIGITS:,} digits"
        raise CodebookError(f"{path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: {first}") from None
    if not isinstance(data, dict):
        raise CodebookError(f"{path}: a codebook is a mapping with 'name' and 'variables'")
    return parse_codebook(data, source=str(path))


def default_codebook_path() -> Path:
    return Path(__file__).resolve().parent.parent / "resources" / "default_codebook.yaml"


def default_codebook() -> Codebook:
    return load_codebook(default_codebook_path())
