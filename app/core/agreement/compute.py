"""``compute_agreement``: from the coders' exports to one :class:`AgreementReport`.

Two stages, as Contract 4 asks: first *did they find the same statements?* (alignment,
detection precision/recall/F1, α_U), then *did they code them alike?* (one block per codebook
variable over the aligned units). Coders are put in a canonical order (by name, then id) before
anything else, so the report does not depend on the order the files were given in.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from app.core.agreement.alignment import align
from app.core.agreement.disagreements import (
    Coded,
    Units,
    count_disagreeing,
    find_disagreements,
    statements_per_unit,
    unit_counts,
    unit_disagreements,
)
from app.core.agreement.inputs import (
    FlatStatements,
    SharedDocument,
    check_exports,
    coded_documents,
    match_documents,
)
from app.core.agreement.report import (
    AgreementReport,
    AlignmentSummary,
    CoderInfo,
    Disagreement,
    PartialDocument,
    Settings,
    UnitizingSummary,
    VariableReport,
)
from app.core.agreement.unitizing_report import unitizing_summary
from app.core.agreement.values import Domain, encode
from app.core.agreement.variables import variable_report
from app.core.errors import ClaimcoderError
from app.core.forked import Beside, Turns

if TYPE_CHECKING:
    from app.core.agreement.inputs import AnyExport
    from app.core.codebook import Variable

Progress = Callable[[int, int, str], None]
"""``progress(step, total, what)``: called before each stage; raise from it to cancel."""

ALIGNMENT_RULE = (
    "Statements of different coders in one document form a unit when their spans overlap by at "
    "least min_overlap (Jaccard |A∩B|/|A∪B| of the character ranges). Pairs are joined greedily "
    "by decreasing overlap (ties: document, start, end, coder, statement id); a unit holds at "
    "most one statement per coder, and every two statements in a unit overlap by at least "
    "min_overlap."
)  # the full rule, with its reasons, is the docstring of app.core.agreement.alignment


def compute_agreement(
    exports: Sequence[AnyExport],
    *,
    sources: Sequence[str] | None = None,
    min_overlap: float = 0.5,
    bootstrap: int = 1000,
    seed: int = 0,
    top_categories: int = 20,
    include_disagreements: bool = True,
    app_version: str = "",
    progress: Progress | None = None,
    beside: bool = False,
) -> AgreementReport:
    """Compare the coders' exports; raise :class:`ClaimcoderError` when they cannot be compared.

    ``sources`` names each export in messages and in the report (file names, usually).
    ``include_disagreements=False`` skips the row-by-row disagreement list (the CSV and HTML
    reports need it; text and JSON do not): at 100,000s of units it costs more than all the
    statistics together. The counts per variable are always in the report.
    ``beside=True`` lets a forked child process compute part of the statistics (Linux, and only
    from a single-threaded program: the command line); the report is the same either way.
    """
    if not 0.0 < min_overlap <= 1.0:
        raise ClaimcoderError(f"--min-overlap must be above 0 and at most 1 (got {min_overlap:g})")
    if bootstrap < 0:
        raise ClaimcoderError(f"the number of bootstrap samples cannot be negative (got {bootstrap})")
    sources = list(sources) if sources is not None else [f"export of {e.coder.name}" for e in exports]
    if len(sources) != len(exports):
        raise ValueError("one source label per export")
    codebook = exports[0].codebook if exports else None
    total = 4 + (len(codebook.variables) if codebook else 0)
    step = _stepper(progress, total)
    step("checking the exports")
    check_exports(exports, sources)
    assert codebook is not None
    order = sorted(range(len(exports)), key=lambda k: (exports[k].coder.name.casefold(), exports[k].coder.name, exports[k].coder.id))
    exports = [exports[k] for k in order]
    sources = [sources[k] for k in order]
    names = [e.coder.name for e in exports]

    step("matching documents")
    columns = [e.statement_columns(text=False) for e in exports]
    # ExportRows read by the fast reader hold their values as distinct rows, and per statement
    # its document's place in the file; an Export does not
    placed = [e.document_positions() if hasattr(e, "document_positions") else None for e in exports]
    coded = [coded_documents(e, cols, at) for e, cols, at in zip(exports, columns, placed)]
    all_docs = match_documents(exports, coded)
    sharing = [len(d.coders) for d in all_docs]  # coders per document
    docs = [d for d, k in zip(all_docs, sharing) if k >= 2]
    shared = [e.shared_values() if hasattr(e, "shared_values") else None for e in exports]
    positions = [None if at is None else ([d.id for d in e.documents], at) for e, at in zip(exports, placed)]
    flat = FlatStatements(docs, coded, columns, shared, positions)

    step("aligning statements")
    alignment = align(flat.group, flat.coder, flat.start, flat.end, flat.ident, min_overlap, flat.order)
    units = _units(alignment.unit, alignment.n_units, flat, docs, len(exports))
    sizes = alignment.unit_sizes

    variables: dict[str, VariableReport] = {}
    disagreements: list[Disagreement] = []
    n_disagreements: dict[str, int] = {}
    encoded: list[Coded] = []
    used = flat.keys()
    has = units.member >= 0  # who has a statement in each unit: the same for every variable
    several = statements_per_unit(units.member) >= 2
    # per unit and coder the distinct row (FlatStatements.rows) of the statement's values, and
    # one row past the last where the coder has none: a variable's units × coders matrix is then
    # one lookup in its codes per row with a −1 appended, the same for every variable
    unit_rows = np.where(has, flat.row[np.maximum(units.member, 0)], len(flat.rows))

    def one_variable(var: Variable) -> tuple[VariableReport, npt.NDArray[np.int64] | None, Domain]:
        """The variable's block, its codes per flat statement (only when the disagreements are
        listed: nothing else needs them) and its domain."""
        codes_s = None
        if var.key in used:  # coded once per distinct set of values, then picked per statement
            codes_r, domain = encode(var, flat.row_column(var.key))
            matrix = np.append(codes_r, -1)[unit_rows]
            if include_disagreements:
                codes_s = codes_r[flat.row]
        else:  # no statement has a value: the domain of no values, every code −1
            _, domain = encode(var, [])
            matrix = np.full(units.member.shape, -1, dtype=np.int64)
            if include_disagreements:
                codes_s = np.full(len(flat), -1, dtype=np.int64)
        report = variable_report(var, matrix, domain, bootstrap=bootstrap, seed=seed, top_categories=top_categories)
        if not include_disagreements:
            n_disagreements[var.key] = count_disagreeing(matrix, has, several)
        return report, codes_s, domain

    # With a core to spare (and no list of disagreements, which needs every variable's codes
    # here), a child process computes α_U and then, like this one, takes the next variable
    # nobody has taken yet (their costs differ: a thousand speakers cost ten stances).
    turns = Turns(len(codebook.variables)) if beside and not include_disagreements else None
    split = turns is not None and turns.shared

    def their_part() -> bytes:
        assert turns is not None
        parts: dict[str, Any] = {"unitizing": unitizing_summary(units, flat, docs, names).model_dump(mode="json"),
                                 "variables": {}, "counts": {}}
        while (k := turns.next()) is not None:
            var = codebook.variables[k]
            parts["variables"][var.key] = one_variable(var)[0].model_dump(mode="json")
            parts["counts"][var.key] = n_disagreements[var.key]
        return json.dumps(parts, allow_nan=False).encode()

    child = Beside(their_part) if split else None
    try:
        step("unitizing")
        unitizing = unitizing_summary(units, flat, docs, names) if child is None else None
        for var in codebook.variables:
            if turns is not None:
                if (mine := turns.next()) is None:
                    break  # the rest are the child's
                var = codebook.variables[mine]
            step(f"variable '{var.key}'")
            variables[var.key], codes_s, domain = one_variable(var)
            if codes_s is not None:  # the disagreements are listed
                encoded.append(Coded(var.key, var.display, codes_s, domain))
                found = find_disagreements(var.key, units, codes_s, domain, docs, names)
                n_disagreements[var.key] = len(found)
                disagreements.extend(found)
        sent = child.result() if child is not None else None
    finally:
        if child is not None:
            child.cancel()
        if turns is not None:
            turns.close()
    if child is not None:
        theirs = [var for var in codebook.variables if var.key not in variables]
        try:
            if sent is None:
                raise ValueError("no result")
            parts = json.loads(sent)
            unitizing = UnitizingSummary.model_validate(parts["unitizing"])
            for var in theirs:
                variables[var.key] = VariableReport.model_validate(parts["variables"][var.key])
                n_disagreements[var.key] = int(parts["counts"][var.key])
        except (ValueError, KeyError, TypeError):  # the child failed: its part here
            unitizing = unitizing_summary(units, flat, docs, names)
            for var in theirs:
                variables[var.key] = one_variable(var)[0]
        variables = {var.key: variables[var.key] for var in codebook.variables}
        n_disagreements = {var.key: n_disagreements[var.key] for var in codebook.variables}
    assert unitizing is not None
    n_disagreements.update(unit_counts(units, flat.start, flat.end))
    if include_disagreements:
        disagreements.extend(unit_disagreements(units, flat.start, flat.end, encoded, docs, names))
    disagreements.sort(key=lambda d: (d.sha256, d.start, d.end, d.variable))

    coders = []
    # documents per coder, counted in one pass over the documents
    n_documents = np.bincount(np.fromiter(chain.from_iterable(d.coders for d in all_docs), dtype=np.int64),
                              minlength=len(exports)).tolist()
    for c, ex in enumerate(exports):
        coders.append(
            CoderInfo(
                id=ex.coder.id,
                name=ex.coder.name,
                source=sources[c],
                n_documents=n_documents[c],
                n_statements=int(np.count_nonzero(flat.coder == c)),
            )
        )
    matched = int(np.count_nonzero(sizes[alignment.unit] >= 2))
    summary = AlignmentSummary(
        min_overlap=min_overlap,
        rule=ALIGNMENT_RULE,
        n_documents=len(all_docs),
        n_documents_shared=len(docs),
        n_documents_all_coders=sharing.count(len(exports)),  # two or more: check_exports made sure
        documents_single_coder=[_partial(d, names) for d, k in zip(all_docs, sharing) if k == 1],
        documents_some_coders=[_partial(d, names) for d, k in zip(all_docs, sharing) if 2 <= k < len(exports)],
        n_units=alignment.n_units,
        n_aligned_units=int(np.count_nonzero(sizes >= 2)),
        n_statements=len(flat),
        n_statements_matched=matched,
        n_statements_unmatched=len(flat) - matched,
        n_statements_split=int(np.count_nonzero(alignment.split)),
    )
    return AgreementReport(
        app_version=app_version,
        settings=Settings(min_overlap=min_overlap, bootstrap=bootstrap, seed=seed),
        coders=coders,
        alignment=summary,
        unitizing=unitizing,
        variables=variables,
        n_disagreements=n_disagreements,
        disagreements_listed=include_disagreements,
        disagreements=disagreements,
    )


def _stepper(progress: Progress | None, total: int) -> Callable[[str], None]:
    done = [0]

    def step(what: str) -> None:
        if progress is not None:
            progress(done[0], total, what)
        done[0] += 1

    return step


def _partial(doc: SharedDocument, names: Sequence[str]) -> PartialDocument:
    return PartialDocument(sha256=doc.sha256, title=doc.title, coders=[names[c] for c in doc.coders])


def _units(
    unit: npt.NDArray[np.int64], n_units: int, flat: FlatStatements, docs: Sequence[SharedDocument], n_coders: int
) -> Units:
    member = np.full((n_units, n_coders), -1, dtype=np.int64)
    member[unit, flat.coder] = np.arange(len(unit))
    doc = np.zeros(n_units, dtype=np.int64)
    doc[unit] = flat.group
    start = np.full(n_units, np.iinfo(np.int64).max, dtype=np.int64)
    end = np.zeros(n_units, dtype=np.int64)
    np.minimum.at(start, unit, flat.start)
    np.maximum.at(end, unit, flat.end)
    coded_docs = np.zeros((len(docs), n_coders), dtype=bool)
    # one assignment for all documents (one per document costs more than the rest of this)
    sizes = np.fromiter(map(len, (d.coders for d in docs)), dtype=np.int64, count=len(docs))
    who = np.fromiter(chain.from_iterable(d.coders for d in docs), dtype=np.int64, count=int(sizes.sum()))
    coded_docs[np.repeat(np.arange(len(docs)), sizes), who] = True
    return Units(doc=doc, start=start, end=end, member=member, coded=coded_docs[doc])
