"""One variable's block of the report: every coefficient over the aligned units.

Input is the units × coders code matrix (−1 = no value: either no statement in the unit or the
variable left empty — both are missing values to every coefficient).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from app.core.agreement import coefficients as co
from app.core.agreement.report import CategoryAgreement, Coincidences, VariableReport, finite
from app.core.agreement.values import Domain

if TYPE_CHECKING:  # the codebook models are for type checkers only here
    from app.core.codebook import Variable


def variable_report(
    var: Variable,
    codes: npt.NDArray[np.int64],
    domain: Domain,
    *,
    bootstrap: int,
    seed: int,
    top_categories: int,
) -> VariableReport:
    n_values = len(domain.values)
    n_coders = codes.shape[1]
    reasons: dict[str, str] = {}
    tallies = co.tally(codes)  # counted once for all the coefficients below
    alpha = co.krippendorff_alpha(codes, n_values, var.level, domain.scores, tallies=tallies)
    ci = co.bootstrap_alpha_ci(alpha, replicates=bootstrap, seed=seed) if alpha.alpha is not None else None
    if alpha.undefined_reason:
        reasons["krippendorff_alpha"] = alpha.undefined_reason
    percent = co.percent_agreement(codes, tallies=tallies)
    if percent is None:
        reasons["percent_agreement"] = co.NO_VALUES
    parts = co.gwet_parts(codes, n_values, tallies)
    why: str | None
    why_f: str | None
    if n_coders == 2:
        cohen, why = co.cohen_kappa(codes, n_values)
        fleiss, why_f = None, "reported for three or more coders; see Cohen's κ"
    else:
        cohen, why = None, "reported for exactly two coders; see Fleiss' κ"
        fleiss, why_f = co.fleiss_kappa(codes, n_values, parts=parts)
    # the distinct values given: π_k > 0 exactly for the values some unit holds (every value
    # adds a share 1/r > 0 to its π_k), which spares counting them again
    observed = int(np.count_nonzero(parts[1])) if parts is not None else _observed(codes, n_values)
    ac1, why_g = co.gwet_ac1(codes, n_values, max(domain.n_categories, observed), parts=parts)
    for name, value, reason in (("cohen_kappa", cohen, why), ("fleiss_kappa", fleiss, why_f), ("gwet_ac1", ac1, why_g)):
        if value is None and reason:
            reasons[name] = reason
    rows, cols, counts = co.coincidences(codes, n_values, tallies=tallies)
    return VariableReport(
        label=var.display,
        kind=var.kind,
        level=var.level,
        n_units=alpha.n_units,
        n_pairable_values=alpha.n_pairable,
        krippendorff_alpha=finite(alpha.alpha),
        alpha_ci95=[ci[0], ci[1]] if ci and all(np.isfinite(ci)) else None,
        undefined_reason=alpha.undefined_reason,
        percent_agreement=finite(percent),
        cohen_kappa=finite(cohen),
        fleiss_kappa=finite(fleiss),
        gwet_ac1=finite(ac1),
        undefined_reasons=reasons,
        confusion=_coincidence_table(domain, alpha.marginals, rows, cols, counts, top_categories),
        per_category=_per_category(domain, alpha.marginals, rows, cols, counts),
    )


def _observed(codes: npt.NDArray[np.int64], n_values: int) -> int:
    """Distinct values given (a count per value rather than a sort)."""
    return int(np.count_nonzero(np.bincount(codes[codes >= 0], minlength=n_values)))


def _coincidence_table(
    domain: Domain,
    marginals: npt.NDArray[np.float64],
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
    counts: npt.NDArray[np.float64],
    top: int,
) -> Coincidences:
    used = np.flatnonzero(marginals > 0)
    if len(used) > top:  # the most frequent, ties to scale order, shown in scale order
        keep = used[np.lexsort((used, -marginals[used]))[:top]]
        shown = np.sort(keep)
    else:
        shown = used
    pos = np.full(len(domain.values), -1, dtype=np.int64)
    pos[shown] = np.arange(len(shown))
    matrix = np.zeros((len(shown), len(shown)))
    ok = (pos[rows] >= 0) & (pos[cols] >= 0)
    np.add.at(matrix, (pos[rows[ok]], pos[cols[ok]]), counts[ok])
    return Coincidences(
        values=[domain.text(k) for k in shown],
        labels=[domain.labels[k] for k in shown],
        matrix=[[round(float(x), 9) for x in row] for row in matrix],
        n_categories=len(used),
        truncated=len(shown) < len(used),
    )


def _per_category(
    domain: Domain,
    marginals: npt.NDArray[np.float64],
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
    counts: npt.NDArray[np.float64],
) -> list[CategoryAgreement]:
    diag = np.zeros(len(domain.values))
    same = rows == cols
    diag[rows[same]] = counts[same]
    out = []
    for k in np.flatnonzero(marginals > 0):
        out.append(
            CategoryAgreement(
                value=domain.text(k),
                label=domain.labels[k],
                n_values=round(float(marginals[k]), 9),
                agreement=finite(float(diag[k] / marginals[k])),
            )
        )
    return out

