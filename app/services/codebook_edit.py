"""``project.codebook_editor``: change the codebook of a project that already has statements.

A change that would orphan stored values — a removed variable or category, a variable whose
kind changes — is refused with the number of statements it affects, unless it comes with a
recode ("move 12 statements from *prediction* to *assertion*") that leaves every stored value
valid. Every accepted change bumps the codebook version, so two exports from before and after
the change are told apart (``agree`` names both versions when they differ). Each change is one
transaction with the values it recodes, and returns a :class:`CodebookChange` for undo.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.core.codebook import Category, Codebook, Variable, parse_codebook
from app.core.errors import CodebookError, ProjectError
from app.store.codebook_repository import CodebookRepository

if TYPE_CHECKING:
    from app.services.project import Project

Recode = Mapping[str, Mapping[str, str | None]]  # variable key → {old category → new one, or None: clear}


@dataclass(frozen=True, slots=True)
class Orphan:
    """Stored values a proposed codebook would no longer know."""

    key: str
    value: str | None  # the category removed; None: the whole variable (removed or changed kind)
    count: int
    message: str


@dataclass(frozen=True, slots=True)
class CodebookChange:
    label: str
    before: Codebook
    after: Codebook
    values_before: dict[str, dict[str, Any]] = field(default_factory=dict)
    values_after: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.before == self.after

    def inverse(self) -> CodebookChange:
        return CodebookChange(f"Undo {self.label}", self.after, self.before, self.values_after, self.values_before)


def bump_version(version: str) -> str:
    """The next version: the last number goes up ("1" → "2", "2026.3" → "2026.4"), else ".2"."""
    m = re.search(r"(\d+)(\D*)$", version)
    if m is None:
        return (version + ".2")[-50:]
    return version[: m.start(1)] + str(int(m[1]) + 1) + m[2]


def same_content(a: Codebook, b: Codebook) -> bool:
    return a.model_copy(update={"version": ""}) == b.model_copy(update={"version": ""})


class CodebookEditor:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.store = CodebookRepository(project.repository)

    @property
    def codebook(self) -> Codebook:
        return self.project.codebook

    def counts(self, key: str) -> dict[str, int]:
        """Stored value → statements, for one variable (the editor shows these beside categories)."""
        return self.store.value_counts(key)

    def orphans(self, new: Codebook) -> list[Orphan]:
        """What ``new`` would leave without a meaning, with the statements affected."""
        out: list[Orphan] = []
        for old in self.codebook.variables:
            var = new.variable(old.key)
            if var is not None and var.kind == old.kind and (
                    var.kind != "category" or {c.value for c in old.categories} <= {c.value for c in var.categories}):
                continue  # nothing stored can lose its meaning: no need to count (a table scan)
            counts = self.store.value_counts(old.key)
            used = sum(counts.values())
            if not used:
                continue
            if var is None:
                out.append(Orphan(old.key, None, used, f"removing the variable '{old.key}' would orphan its values "
                                                       f"in {used} statement(s)"))
            elif var.kind != old.kind:
                out.append(Orphan(old.key, None, used, f"changing '{old.key}' from {old.kind} to {var.kind} would "
                                                       f"orphan its values in {used} statement(s)"))
            elif var.kind == "category":
                for value, n in counts.items():
                    if var.category(value) is None:
                        out.append(Orphan(old.key, value, n, f"removing the category '{value}' of '{old.key}' would "
                                                            f"orphan {n} statement(s); recode them to another category"))
        return out

    def apply(self, new: Codebook, *, recode: Recode | None = None, label: str = "edit the codebook") -> CodebookChange:
        """Make ``new`` the project's codebook (refused while it orphans values ``recode`` leaves)."""
        if self.project.read_only:
            raise ProjectError(f"{self.project.target} is open read-only")
        old = self.codebook
        recode = {k: dict(v) for k, v in (recode or {}).items() if v}
        if same_content(old, new) and not recode:
            return CodebookChange(label, old, old)
        self._check_recode(new, recode)
        for orphan in self.orphans(new):
            if orphan.value is None or orphan.value not in recode.get(orphan.key, {}):
                raise ProjectError(orphan.message)
        used = self.store.versions()
        if new.version == old.version or new.version in used:
            # a file edited from an older export still says its old version; and after an undo
            # the next version may be taken: never reuse a version that named other content
            version = bump_version(old.version)
            while version in used:
                version = bump_version(version)
            new = new.model_copy(update={"version": version})
        before, after = self._recoded(recode)
        change = CodebookChange(label, old, new, before, after)
        return self._write(change)

    def undo(self, change: CodebookChange) -> CodebookChange:
        return self._write(change.inverse())

    def redo(self, change: CodebookChange) -> CodebookChange:
        return self._write(change)

    # -- the editor's single steps (each one apply) -------------------------------------------

    def update_variable(self, key: str, **fields: Any) -> CodebookChange:
        """Change fields of a variable (label, description, required, level, kind …)."""
        var = self._variable(key)
        return self._replace_variable(var, self._valid_variable(var, fields), f"edit '{key}'")

    def update_category(self, key: str, value: str, **fields: Any) -> CodebookChange:
        """Change a category's label, description, shortcut or score (its stored value stays)."""
        var = self._variable(key)
        cat = var.category(value)
        if cat is None:
            raise ProjectError(f"'{key}' has no category '{value}'")
        fields = {k: (None if k in ("shortcut", "score") and v in ("", None) else v) for k, v in fields.items()}
        new_cat = _validated(Category, {**cat.model_dump(), **fields}, f"category '{value}'")
        cats = [new_cat if c.value == value else c for c in var.categories]
        return self._replace_variable(var, self._valid_variable(var, {"categories": cats}), f"edit '{key}: {value}'")

    def add_category(self, key: str, category: Category, position: int | None = None) -> CodebookChange:
        var = self._variable(key)
        cats = list(var.categories)
        cats.insert(len(cats) if position is None else position, category)
        return self._replace_variable(var, self._valid_variable(var, {"categories": cats}),
                                      f"add '{category.value}' to '{key}'")

    def remove_category(self, key: str, value: str, *, recode_to: str | None = None,
                        clear: bool = False) -> CodebookChange:
        """Remove a category; its statements move to ``recode_to`` (or lose the value with ``clear``)."""
        var = self._variable(key)
        cats = [c for c in var.categories if c.value != value]
        new = self._with(var, self._valid_variable(var, {"categories": cats}))
        recode = {key: {value: recode_to}} if recode_to is not None or clear else None
        change = self.apply(new, recode=recode, label=f"remove '{value}' from '{key}'")
        n = len(change.values_after)
        if n:  # the label undo shows: what happened to the statements
            what = (f"move {n} statement(s) from '{value}' to '{recode_to}'" if recode_to is not None
                    else f"clear '{value}' from {n} statement(s) and remove it")
            change = dataclasses.replace(change, label=what)
        return change

    def move_category(self, key: str, value: str, step: int) -> CodebookChange:
        """Move a category up (-1) or down (+1): for an ordinal variable this is its order."""
        var = self._variable(key)
        cats = list(var.categories)
        i = next((k for k, c in enumerate(cats) if c.value == value), None)
        if i is None:
            raise ProjectError(f"'{key}' has no category '{value}'")
        j = max(0, min(len(cats) - 1, i + step))
        cats.insert(j, cats.pop(i))
        return self._replace_variable(var, self._valid_variable(var, {"categories": cats}), f"move '{value}'")

    def add_variable(self, variable: Variable, position: int | None = None) -> CodebookChange:
        if self.codebook.variable(variable.key) is not None:
            raise ProjectError(f"the codebook already has a variable '{variable.key}'")
        variables = list(self.codebook.variables)
        variables.insert(len(variables) if position is None else position, variable)
        return self.apply(self._codebook_with(variables), label=f"add the variable '{variable.key}'")

    def remove_variable(self, key: str) -> CodebookChange:
        self._variable(key)
        variables = [v for v in self.codebook.variables if v.key != key]
        return self.apply(self._codebook_with(variables), label=f"remove the variable '{key}'")

    # -- helpers ------------------------------------------------------------------------------

    def _variable(self, key: str) -> Variable:
        var = self.codebook.variable(key)
        if var is None:
            raise ProjectError(f"the codebook has no variable '{key}' (it has: {', '.join(self.codebook.keys)})")
        return var

    @staticmethod
    def _valid_variable(var: Variable, fields: Mapping[str, Any]) -> Variable:
        data = {**var.model_dump(), **fields}
        data["categories"] = [c.model_dump() if isinstance(c, Category) else c for c in data.get("categories", [])]
        return _validated(Variable, data, f"variable '{var.key}'")

    def _with(self, old: Variable, new: Variable) -> Codebook:
        return self._codebook_with([new if v.key == old.key else v for v in self.codebook.variables])

    def _replace_variable(self, old: Variable, new: Variable, label: str) -> CodebookChange:
        return self.apply(self._with(old, new), label=label)

    def _codebook_with(self, variables: list[Variable]) -> Codebook:
        data = self.codebook.to_json_dict()
        data["variables"] = [v.model_dump(mode="json") for v in variables]
        try:
            return parse_codebook(data, source="the codebook")
        except CodebookError as exc:
            raise ProjectError(exc.message) from None

    def _check_recode(self, new: Codebook, recode: dict[str, dict[str, str | None]]) -> None:
        for key, moves in recode.items():
            var = new.variable(key)
            if var is None or var.kind != "category":
                raise ProjectError(f"cannot recode '{key}': the new codebook has no category variable '{key}'")
            for old, target in moves.items():
                if target is not None and var.category(target) is None:
                    raise ProjectError(f"cannot recode '{key}' from '{old}' to '{target}': "
                                       f"'{target}' is not a category of '{key}'")

    def _recoded(self, recode: dict[str, dict[str, str | None]]) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        before: dict[str, dict[str, Any]] = {}
        for key, moves in recode.items():
            for sid, vals in self.store.statements_with(key, moves).items():
                before.setdefault(sid, vals)
        after: dict[str, dict[str, Any]] = {}
        for sid, vals in before.items():
            new = dict(vals)
            for key, moves in recode.items():
                if isinstance(new.get(key), str) and new[key] in moves:
                    target = moves[new[key]]
                    if target is None:
                        new.pop(key)
                    else:
                        new[key] = target
            after[sid] = new
        return before, after

    def _write(self, change: CodebookChange) -> CodebookChange:
        self.store.write(change.after.to_json_dict(), change.values_after)
        self.project.forget_codebook()
        return change


def _validated(model: type[Any], data: dict[str, Any], what: str) -> Any:
    from pydantic import ValidationError

    from app.core.errors import describe_validation_error

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ProjectError(f"{what}: {describe_validation_error(exc)}") from None
