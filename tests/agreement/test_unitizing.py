"""α_U against Krippendorff's published examples, as transcribed in DKPro Statistics' tests.

- Krippendorff (2004, *Content Analysis*, 2nd ed., p. 254), DKPro ``unitizing/Krippendorff2004Test``:
  continuum 150..450, category "c": coder 0 units (225, len 70), (370, 30); coder 1 (220, 80),
  (355, 20), (400, 20). Printed: D_o = 0.0144, D_e = 0.0532, α_c = 0.7286.
- Krippendorff (1995, "On the reliability of unitizing contiguous data", p. 57), DKPro
  ``unitizing/Krippendorff1995Test``: four two-coder examples A–D on 24 positions. D_o is printed
  exactly; D_e and α are checked at DKPro's tolerances (0.005, 0.02), because, as DKPro notes, the
  1995 paper's D_e has a small error corrected in 2004; D_e is compared at the same "stretch"
  (×50,000) DKPro uses to approach the continuous case.
"""

from __future__ import annotations

import numpy as np
import pytest

from app.core.agreement.unitizing import union_spans, unitizing_alpha


def study(units: list[tuple[int, int, int]], stretch: int = 1) -> list[tuple[np.ndarray, np.ndarray]]:
    coders: list[list[tuple[int, int]]] = [[], []]
    for offset, length, who in units:
        coders[who].append((offset * stretch, offset * stretch + length * stretch))
    return [(np.array([s for s, _ in c]), np.array([e for _, e in c])) for c in coders]


def test_krippendorff_2004_p254() -> None:
    spans = [(np.array([225, 370]) - 150, np.array([295, 400]) - 150),
             (np.array([220, 355, 400]) - 150, np.array([300, 375, 420]) - 150)]
    r = unitizing_alpha(spans, 300)
    assert r.observed == pytest.approx(0.0144, abs=1e-4)
    assert r.expected == pytest.approx(0.0532, abs=1e-4)
    assert r.alpha == pytest.approx(0.7286, abs=1e-4)


EXAMPLES = {  # (offset, length, coder), from Krippendorff (1995: 57)
    "A": [(2, 8, 0), (14, 6, 0), (4, 4, 1), (15, 2, 1)],
    "B": [(0, 18, 0), (0, 2, 1), (2, 1, 1), (3, 1, 1), (4, 1, 1), (5, 1, 1), (6, 3, 1), (9, 1, 1)],
    "C": [(2, 6, 0), (10, 2, 0), (14, 4, 0), (20, 2, 0), (0, 2, 1), (4, 4, 1), (10, 4, 1), (16, 2, 1), (20, 2, 1)],
    "D": [(0, 2, 0), (2, 8, 0), (10, 4, 0), (14, 6, 0), (20, 4, 0),
          (0, 4, 1), (4, 4, 1), (8, 7, 1), (15, 2, 1), (17, 7, 1)],
}
PRINTED = {  # D_o, D_e, α
    "A": (0.03125, 0.06990, 0.553),
    "B": (2.26736, 1.17731, -0.926),
    "C": (0.02777, 0.08642, 0.679),
    "D": (0.38715, 0.41445, 0.066),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_krippendorff_1995_examples(name: str) -> None:
    d_o, d_e, alpha = PRINTED[name]
    assert unitizing_alpha(study(EXAMPLES[name]), 24).observed == pytest.approx(d_o, abs=1e-5)
    stretched = unitizing_alpha(study(EXAMPLES[name], 50_000), 24 * 50_000)
    assert stretched.expected == pytest.approx(d_e, abs=0.005)
    assert stretched.alpha == pytest.approx(alpha, abs=0.02)


def test_union_merges_overlaps_but_not_touching_spans() -> None:
    s, e = union_spans(np.array([25, 0, 5, 20]), np.array([28, 5, 10, 30]))
    assert s.tolist() == [0, 5, 20] and e.tolist() == [5, 10, 30]


def test_identical_unitizing_is_perfect_and_undefined_cases_are_reasons() -> None:
    same = (np.array([5, 40]), np.array([20, 60]))
    assert unitizing_alpha([same, same], 100).alpha == pytest.approx(1.0)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    assert unitizing_alpha([empty, empty], 100).alpha is None
    assert unitizing_alpha([same], 100).undefined_reason == "only one coder"
