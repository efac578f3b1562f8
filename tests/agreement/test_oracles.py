"""Coefficients against the reference libraries on random data (to 1e-9).

Oracles: ``krippendorff.alpha`` (all four levels), ``statsmodels`` ``fleiss_kappa`` (complete
data), ``sklearn`` ``cohen_kappa_score``; ``irrCAC`` (missing ratings) is in test_oracles_irrcac.py,
which runs in its own environment because irrCAC holds numpy back.
"""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

from app.core.agreement import coefficients as co

CATEGORIES = ["oppose", "neutral", "support", "unclear", "mixed"]
SCORES = np.array([-2.0, 0.0, 1.5, 3.0, 7.0])  # uneven on purpose; ratio needs ≥ 0 → shifted below
FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def tables(draw: st.DrawFn, *, min_coders: int = 2, max_coders: int = 6, missing: bool = True) -> np.ndarray:
    """Units × coders of string categories (None = missing), as codes into CATEGORIES."""
    n_coders = draw(st.integers(min_coders, max_coders))
    n_units = draw(st.integers(2, 25))
    n_cats = draw(st.integers(2, len(CATEGORIES)))
    cell = st.integers(-1 if missing else 0, n_cats - 1)
    rows = draw(st.lists(st.lists(cell, min_size=n_coders, max_size=n_coders), min_size=n_units, max_size=n_units))
    return np.array(rows, dtype=np.int64)


def oracle_alpha(codes: np.ndarray, level: str, scores: np.ndarray | None) -> float:
    data = np.where(codes >= 0, codes, -1).astype(float).T
    if scores is not None:
        data = np.where(codes.T >= 0, scores[np.maximum(codes.T, 0)], np.nan)
    else:
        data[data < 0] = np.nan
    domain = scores if scores is not None else np.arange(len(CATEGORIES), dtype=float)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return float(krippendorff.alpha(reliability_data=data, value_domain=domain, level_of_measurement=level))


@FAST
@given(tables(), st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_alpha_matches_krippendorff_package(codes: np.ndarray, level: str) -> None:
    scores = {"interval": SCORES, "ratio": SCORES + 2.0}.get(level)
    ours = co.krippendorff_alpha(codes, len(CATEGORIES), level, scores)  # type: ignore[arg-type]
    pairable = (np.count_nonzero(codes >= 0, axis=1) >= 2).any()
    assume(pairable and len(np.unique(codes[(codes >= 0) & (np.count_nonzero(codes >= 0, axis=1) >= 2)[:, None]])) >= 2)
    assert ours.alpha is not None
    assert ours.alpha == pytest.approx(oracle_alpha(codes, level, scores), abs=1e-9)


@FAST
@given(tables(min_coders=2, max_coders=2, missing=False))
def test_cohen_matches_sklearn(codes: np.ndarray) -> None:
    ours, why = co.cohen_kappa(codes, len(CATEGORIES))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = cohen_kappa_score(codes[:, 0], codes[:, 1])
    if why is not None:
        assert ours is None and (math.isnan(theirs) or theirs == 0.0)
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


@FAST
@given(tables(min_coders=3, max_coders=6, missing=False))
def test_fleiss_matches_statsmodels_on_complete_data(codes: np.ndarray) -> None:
    ours, why = co.fleiss_kappa(codes, len(CATEGORIES))
    counts, _ = aggregate_raters(codes)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        theirs = fleiss_kappa(counts, method="fleiss")
    if why is not None:
        assert ours is None
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


@FAST
@given(tables(), st.booleans())
def test_coincidences_match_krippendorff_package(codes: np.ndarray, dense: bool) -> None:
    """Both ways of counting (a dense V×V array, or sorting pair keys) give the package's o_ck."""
    from krippendorff.krippendorff import _coincidences, _reliability_data_to_value_counts

    n_values = len(CATEGORIES)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(co, "DENSE_CELLS", n_values * n_values if dense else 0)
        rows, cols, counts = co.coincidences(codes, n_values)
    ours = np.zeros((n_values, n_values))
    ours[rows, cols] = counts
    data = np.where(codes >= 0, codes, np.nan).T.astype(float)
    value_counts = _reliability_data_to_value_counts(data, np.arange(n_values, dtype=float))
    pairable = value_counts[value_counts.sum(axis=1) > 1]
    theirs = _coincidences(pairable) if len(pairable) else np.zeros((n_values, n_values))
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_thousand_distinct_categories_stay_sparse() -> None:
    """1,000 speakers × 30,000 units: no units × values × values tensor, and the right answer."""
    rng = np.random.default_rng(1)
    truth = rng.integers(0, 1000, size=30_000)
    codes = np.stack([truth, np.where(rng.random(30_000) < 0.8, truth, rng.integers(0, 1000, 30_000)),
                      np.where(rng.random(30_000) < 0.1, -1, truth)], axis=1)
    r = co.krippendorff_alpha(codes, 1000, "nominal")
    # the oracle builds units × values × values: keep it to 100 units and the values they use
    small = codes[:100]
    used, compact = np.unique(small, return_inverse=True)
    compact = compact.reshape(small.shape) - int(used[0] < 0)
    oracle = krippendorff.alpha(reliability_data=np.where(compact >= 0, compact, np.nan).T.astype(float),
                                level_of_measurement="nominal")
    assert co.krippendorff_alpha(small, 1000, "nominal").alpha == pytest.approx(oracle, abs=1e-9)
    assert 0.8 < r.alpha < 0.95
    rows, cols, counts = co.coincidences(codes, 1000)
    assert len(rows) < 1000 * 60  # sparse: the diagonal plus the confusions that happened
    assert counts.sum() == pytest.approx(r.n_pairable)


def test_bootstrap_is_reproducible_and_brackets_alpha() -> None:
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 3, size=400)
    codes = np.stack([truth, np.where(rng.random(400) < 0.7, truth, rng.integers(0, 3, 400))], axis=1)
    r = co.krippendorff_alpha(codes, 3, "nominal")
    a = co.bootstrap_alpha_ci(r, replicates=2000, seed=7)
    assert a == co.bootstrap_alpha_ci(r, replicates=2000, seed=7)
    assert a != co.bootstrap_alpha_ci(r, replicates=2000, seed=8)
    assert a is not None and a[0] < r.alpha < a[1] and a[1] - a[0] < 0.25
    # the many-groups path (continuous disagreements) gives a similar interval
    b = co.bootstrap_alpha_ci(r, replicates=2000, seed=7, max_groups=0)
    assert b is not None and abs(b[0] - a[0]) < 0.03 and abs(b[1] - a[1]) < 0.03


def test_undefined_never_one_never_nan() -> None:
    same = np.array([[0, 0], [0, 0], [0, -1]])
    r = co.krippendorff_alpha(same, 3, "nominal")
    assert r.alpha is None and r.undefined_reason == co.NO_VARIATION
    assert co.krippendorff_alpha(np.array([[0, -1], [-1, 1]]), 3, "nominal").undefined_reason == co.NO_VALUES
    assert co.krippendorff_alpha(np.array([[0], [1]]), 3, "nominal").undefined_reason == co.ONE_CODER
    assert co.cohen_kappa(same, 3)[0] is None
    assert co.fleiss_kappa(np.array([[0, 0, 0], [0, 0, 0]]), 3)[0] is None
    assert co.gwet_ac1(same, 3, 1) == (None, "fewer than two categories")


@FAST
@given(tables(min_coders=7, max_coders=12), st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_many_coders_match_the_package_and_a_pair_count(codes: np.ndarray, level: str) -> None:
    """Seven to twelve coders (1/(m_u − 1) is no longer a binary fraction): α and o_ck against
    the ``krippendorff`` package, the agreement share against coder pairs counted unit by unit."""
    from krippendorff.krippendorff import _coincidences, _reliability_data_to_value_counts

    scores = {"interval": SCORES, "ratio": SCORES + 2.0}.get(level)
    n_values = len(CATEGORIES)
    pairable = np.count_nonzero(codes >= 0, axis=1) >= 2
    if pairable.any() and len(np.unique(codes[(codes >= 0) & pairable[:, None]])) >= 2:
        ours = co.krippendorff_alpha(codes, n_values, level, scores)  # type: ignore[arg-type]
        assert ours.alpha == pytest.approx(oracle_alpha(codes, level, scores), abs=1e-9)
    rows, cols, counts = co.coincidences(codes, n_values)
    matrix = np.zeros((n_values, n_values))
    matrix[rows, cols] = counts
    value_counts = _reliability_data_to_value_counts(np.where(codes >= 0, codes, np.nan).T.astype(float),
                                                     np.arange(n_values, dtype=float))
    kept = value_counts[value_counts.sum(axis=1) > 1]
    assert matrix == pytest.approx(_coincidences(kept) if len(kept) else np.zeros_like(matrix), abs=1e-9)
    pairs = agree = 0
    for unit in codes.tolist():
        given_values = [v for v in unit if v >= 0]
        for x in range(len(given_values)):
            for y in range(x + 1, len(given_values)):
                pairs += 1
                agree += given_values[x] == given_values[y]
    assert co.percent_agreement(codes) == (agree / pairs if pairs else None)
