"""Coefficients against published worked examples, to the printed precision.

Sources of the data tables (transcribed, not computed by us):
- Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", §A (binary, α = 0.095),
  §B (nominal, 2 coders, α = 0.692), §C (4 coders, missing data: nominal 0.743, ordinal 0.815,
  interval 0.849, ratio 0.797). §A and §C are also in Krippendorff (2004, pp. 224, 230) and
  DKPro Statistics' ``Krippendorff2004Test`` (D_o/D_e printed there too).
- Hayes & Krippendorff (2007, p. 84): 5 observers, 40 units, ordinal α = 0.7598
  (as transcribed in DKPro Statistics' ``HayesKrippendorff2007Test``).
- Fleiss (1971, p. 379): 30 subjects, 6 raters, 5 categories, κ = 0.430 (P̄ = 0.5556,
  P̄_e = 0.2201), transcribed in DKPro Statistics' ``Fleiss1971Test``.
- Cohen (1960, p. 45): 200 items, κ = 0.492; Krippendorff (2004, p. 246): κ = 0.186 and 0.258,
  percent agreement 0.460 (DKPro Statistics' ``Cohen1960Test`` and ``Krippendorff2004Test``).
"""

from __future__ import annotations

import numpy as np
import pytest

from app.core.agreement import coefficients as co

N = None


def table(rows: list[list[object]]) -> tuple[np.ndarray, int]:
    """Units × coders of raw values → codes, values indexed in sorted order (their scale order)."""
    values = sorted({v for r in rows for v in r if v is not None}, key=str)
    index = {v: k for k, v in enumerate(values)}
    codes = np.array([[index[v] if v is not None else -1 for v in r] for r in rows], dtype=np.int64)
    return codes, len(values)


def by_coder(*coders: list[object]) -> list[list[object]]:
    return [list(u) for u in zip(*coders)]


def expand(cells: list[tuple[int, object, object]]) -> list[list[object]]:
    return [[a, b] for n, a, b in cells for _ in range(n)]


SECTION_A = by_coder([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
SECTION_B = by_coder("a a b b d c c c e d d a".split(), "b a b b b c c c e d d d".split())
SECTION_C = by_coder(
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
)


def test_section_a_binary_two_coders() -> None:
    codes, v = table(SECTION_A)
    r = co.krippendorff_alpha(codes, v, "nominal")
    assert r.observed == pytest.approx(0.400, abs=5e-4)
    assert r.expected == pytest.approx(0.442, abs=5e-4)
    assert round(r.alpha, 3) == 0.095
    assert co.percent_agreement(codes) == pytest.approx(0.600)


def test_section_b_nominal_two_coders() -> None:
    codes, v = table(SECTION_B)
    assert round(co.krippendorff_alpha(codes, v, "nominal").alpha, 3) == 0.692


@pytest.mark.parametrize(
    ("level", "printed"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_section_c_four_coders_missing_values(level: str, printed: float) -> None:
    codes, v = table(SECTION_C)
    scores = np.arange(1, v + 1, dtype=float)  # the values are 1..5
    assert round(co.krippendorff_alpha(codes, v, level, scores).alpha, 3) == printed  # type: ignore[arg-type]


def test_section_c_disagreements_as_printed_in_2004() -> None:
    codes, v = table(SECTION_C)
    nominal = co.krippendorff_alpha(codes, v, "nominal")
    assert nominal.observed == pytest.approx(0.200, abs=5e-4)
    assert nominal.expected == pytest.approx(0.779, abs=5e-4)
    assert co.percent_agreement(codes) is not None
    interval = co.krippendorff_alpha(codes, v, "interval", np.arange(1, 6, dtype=float))
    assert interval.observed == pytest.approx(0.433, abs=5e-4)
    assert interval.expected == pytest.approx(2.872, abs=5e-4)


HAYES_KRIPPENDORFF_2007 = [
    [1, 1, 2, N, 2], [1, 1, 0, 1, N], [2, 3, 3, 3, N], [N, 0, 0, N, 0], [0, 0, 0, N, 0],
    [0, 0, 0, N, 0], [1, 0, 2, N, 1], [1, N, 2, 0, N], [2, 2, 2, N, 2], [2, 1, 1, 1, N],
    [N, 1, 0, 0, N], [0, 0, 0, 0, N], [1, 2, 2, 2, N], [3, 3, 2, 2, 3], [1, 1, 1, N, 1],
    [1, 1, 1, N, 1], [2, 1, 2, N, 2], [1, 2, 3, 3, N], [1, 1, 0, 1, N], [0, 0, 0, N, 0],
    [0, 0, 1, 1, N], [0, 0, N, 0, 0], [2, 3, 3, 3, N], [0, 0, 0, 0, N], [1, 2, N, 2, 2],
    [0, 1, 1, 1, N], [0, 0, 0, 1, 0], [1, 2, 1, 2, N], [1, 1, 2, 2, N], [1, 1, 2, N, 2],
    [1, 1, 0, N, 0], [2, 1, 2, 1, N], [2, 2, N, 2, 2], [3, 2, 2, 2, N], [2, 2, 2, N, 2],
    [2, 2, 3, N, 2], [2, 2, 2, N, 2], [2, 2, N, 1, 2], [2, 2, 2, 2, N], [1, 1, 1, N, 1],
]


def test_hayes_krippendorff_2007_ordinal() -> None:
    codes, v = table(HAYES_KRIPPENDORFF_2007)
    assert len(codes) == 40
    assert co.krippendorff_alpha(codes, v, "ordinal").alpha == pytest.approx(0.7598, abs=5e-5)


FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]


def test_fleiss_1971() -> None:
    codes, v = table(FLEISS_1971)
    kappa, why = co.fleiss_kappa(codes, v)
    assert why is None and round(kappa, 3) == 0.430
    # with complete data, percent agreement over pairs is Fleiss's P̄
    assert co.percent_agreement(codes) == pytest.approx(0.5556, abs=5e-5)


COHEN_1960_P45 = expand([(88, 1, 1), (14, 1, 2), (18, 1, 3), (10, 2, 1), (40, 2, 2), (10, 2, 3),
                         (2, 3, 1), (6, 3, 2), (12, 3, 3)])
KRIPPENDORFF_2004_P246_A = expand([(12, "a", "a"), (9, "a", "b"), (9, "a", "c"), (9, "b", "a"), (14, "b", "b"),
                                   (9, "b", "c"), (9, "c", "a"), (9, "c", "b"), (20, "c", "c")])
KRIPPENDORFF_2004_P246_B = expand([(12, "a", "a"), (18, "a", "b"), (18, "a", "c"), (14, "b", "b"),
                                   (18, "b", "c"), (20, "c", "c")])


@pytest.mark.parametrize(
    ("rows", "printed"),
    [(COHEN_1960_P45, 0.492), (KRIPPENDORFF_2004_P246_A, 0.186), (KRIPPENDORFF_2004_P246_B, 0.258)],
)
def test_cohen_kappa(rows: list[list[object]], printed: float) -> None:
    codes, v = table(rows)
    kappa, why = co.cohen_kappa(codes, v)
    assert why is None and round(kappa, 3) == printed


def test_percent_agreement_krippendorff_2004_p246() -> None:
    codes, _ = table(KRIPPENDORFF_2004_P246_B)
    assert co.percent_agreement(codes) == pytest.approx(0.460)
