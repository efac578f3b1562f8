"""Contract 7's formulas against matrices computed by hand (the arithmetic is in the comments).

Stance levels are oppose = 0, neutral = 1, support = 2 (positions; the default codebook has no
scores), so R = 2 and |k − k′| / R is 0, ½ or 1.
"""

from __future__ import annotations

import numpy as np
import pytest

from app.core.networks.options import NetworkOptionError, NetworkVariableError

from .helpers import BOOL_CODEBOOK, SCORED_CODEBOOK, build, data

# A: demand/support, evaluation/oppose; B: demand/support; C: demand/oppose, evaluation/neutral
THREE = [("A", "demand", "support"), ("A", "evaluation", "oppose"), ("B", "demand", "support"),
         ("C", "demand", "oppose"), ("C", "evaluation", "neutral")]


def matrix(kind: str, **kw: object) -> np.ndarray:
    net = build(data(THREE), aggregation=kind, **kw).networks[0]
    assert net.labels == ["A", "B", "C"]
    return net.matrix()


def test_defaults_follow_the_contract() -> None:
    s = build(data(THREE))
    o = s.options
    assert (o.mode, o.rows.key, o.cols.key, o.qualifier.key if o.qualifier else None) == ("one-mode", "speaker", "claim_type", "stance")
    assert (o.aggregation, o.normalization, o.duplicates) == ("congruence", "none", "all")


def test_ignore() -> None:
    # A–B: demand 1·1 = 1; A–C: demand 1·1 + evaluation 1·1 = 2; B–C: demand 1·1 = 1
    assert matrix("ignore").tolist() == [[0, 1, 2], [1, 0, 1], [2, 1, 0]]


def test_congruence_three_levels() -> None:
    # A–B: support/support → 1; A–C: demand support/oppose → 1 − 2/2 = 0, evaluation
    # oppose/neutral → 1 − 1/2 = ½; B–C: support/oppose → 0
    assert matrix("congruence").tolist() == [[0, 1, 0.5], [1, 0, 0], [0.5, 0, 0]]


def test_conflict_three_levels() -> None:
    # A–C: 1 + ½ = 1.5; B–C: 1
    assert matrix("conflict").tolist() == [[0, 0, 1.5], [0, 0, 1], [1.5, 1, 0]]


def test_subtract_is_congruence_minus_conflict() -> None:
    # A–B: 1 − 0; A–C: ½ − 1.5 = −1; B–C: 0 − 1
    assert matrix("subtract").tolist() == [[0, 1, -1], [1, 0, -1], [-1, -1, 0]]


def test_average_normalisation() -> None:
    # n_A = 2, n_B = 1, n_C = 2: A–B 1 / 1.5, A–C ½ / 2
    m = matrix("congruence", normalization="average")
    assert m[0, 1] == pytest.approx(2 / 3) and m[0, 2] == pytest.approx(0.25) and m[1, 2] == 0


def test_dna_cosine_divides_by_the_product_of_counts() -> None:
    m = matrix("congruence", normalization="dna-cosine")
    assert m[0, 1] == pytest.approx(1 / 2) and m[0, 2] == pytest.approx(0.5 / 4)


def test_cosine_of_concept_profiles() -> None:
    # profiles (demand, evaluation): A (1, 1), B (1, 0), C (1, 1); |A|² = 2, |B|² = 1, |C|² = 2
    m = matrix("ignore", normalization="cosine")
    assert m[0, 1] == pytest.approx(1 / np.sqrt(2)) and m[0, 2] == pytest.approx(1.0)
    assert m[1, 2] == pytest.approx(1 / np.sqrt(2))
    m = matrix("congruence", normalization="cosine")  # the congruent part of that cosine
    assert m[0, 1] == pytest.approx(1 / np.sqrt(2)) and m[0, 2] == pytest.approx(0.5 / 2) and m[1, 2] == 0


def test_jaccard_of_concept_profiles() -> None:
    # ignore: w / (|a|² + |b|² − a·b): A–B 1 / (2 + 1 − 1), A–C 2 / (2 + 2 − 2), B–C 1 / 2
    assert matrix("ignore", normalization="jaccard").tolist() == [[0, 0.5, 1], [0.5, 0, 0.5], [1, 0.5, 0]]
    # congruence over the same denominators: A–B 1 / 2, A–C ½ / 2
    assert matrix("congruence", normalization="jaccard").tolist() == [[0, 0.5, 0.25], [0.5, 0, 0], [0.25, 0, 0]]


def test_counts_multiply() -> None:
    # A says "demand/support" twice, B three times: 2 · 3 = 6
    rows = [("A", "demand", "support")] * 2 + [("B", "demand", "support")] * 3
    assert build(data(rows)).networks[0].matrix().tolist() == [[0, 6], [6, 0]]


def test_boolean_qualifier() -> None:
    # A: x/true, y/false; B: x/true; C: x/false, y/false; R = 1
    rows = [("A", "x", True), ("A", "y", False), ("B", "x", True), ("C", "x", False), ("C", "y", False)]
    d = data(rows, codebook=BOOL_CODEBOOK, keys=("org", "concept", "agree"))
    assert build(d).options.qualifier.key == "agree"  # type: ignore[union-attr]
    assert build(d, aggregation="congruence").networks[0].matrix().tolist() == [[0, 1, 1], [1, 0, 0], [1, 0, 0]]
    assert build(d, aggregation="conflict").networks[0].matrix().tolist() == [[0, 0, 1], [0, 0, 1], [1, 1, 0]]
    net = build(d, aggregation="subtract").networks[0]
    assert net.matrix().tolist() == [[0, 1, 0], [1, 0, -1], [0, -1, 0]]
    assert net.n_edges == 2  # A–C nets to 0: no tie


def test_scores_set_the_levels() -> None:
    # oppose −2, neutral 0, support 1: R = 3. A support vs B neutral: 1 − 1/3; A support vs
    # C oppose: 1 − 3/3 = 0; B neutral vs C oppose: 1 − 2/3
    rows = [("A", "demand", "support"), ("B", "demand", "neutral"), ("C", "demand", "oppose")]
    m = build(data(rows, codebook=SCORED_CODEBOOK)).networks[0].matrix()
    assert m[0, 1] == pytest.approx(2 / 3) and m[0, 2] == 0 and m[1, 2] == pytest.approx(1 / 3)


def test_nominal_qualifier_agrees_on_equal_categories() -> None:
    rows = [("A", "x", "demand"), ("B", "x", "demand"), ("C", "x", "evaluation")]
    d = data(rows, keys=("speaker", "target", "claim_type"))
    m = build(d, cols="target", qualifier="claim_type").networks[0].matrix()
    assert m.tolist() == [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    m = build(d, cols="target", qualifier="claim_type", aggregation="conflict").networks[0].matrix()
    assert m.tolist() == [[0, 0, 1], [0, 0, 1], [1, 1, 0]]


def test_no_qualifier_is_ignore() -> None:
    assert build(data(THREE), no_qualifier=True, cols="claim_type").networks[0].matrix().tolist() == [[0, 1, 2], [1, 0, 1], [2, 1, 0]]


def test_statements_without_a_value_do_not_enter() -> None:
    rows = THREE + [("D", None, "support"), ("E", "demand", None), ("F", "demand", "maybe")]
    s = build(data(rows))  # "maybe" is no stance of the codebook: no level, so it cannot enter
    assert s.networks[0].labels == ["A", "B", "C"] and s.n_incomplete == 3


# -- two-mode --------------------------------------------------------------------------------

TWO = [("A", "demand", "support")] * 2 + [("A", "demand", "oppose"), ("A", "evaluation", "neutral"),
                                          ("B", "demand", "oppose")]


def two(**kw: object) -> np.ndarray:
    net = build(data(TWO), mode="two-mode", **kw).networks[0]
    assert (net.labels, net.col_labels) == (["A", "B"], ["demand", "evaluation"])
    return net.matrix()


def test_two_mode_ignore_counts() -> None:
    assert two().tolist() == [[3, 1], [1, 0]]


def test_two_mode_subtract_rescales_levels_to_minus_one_one() -> None:
    # s = −1, 0, +1: A–demand 2·1 + 1·(−1) = 1, A–evaluation 0, B–demand −1
    assert two(aggregation="subtract").tolist() == [[1, 0], [-1, 0]]


def test_two_mode_combine_codes_the_levels_present() -> None:
    # oppose = 1, neutral = 2, support = 4: A–demand {oppose, support} = 5
    assert two(aggregation="combine").tolist() == [[5, 2], [1, 0]]


def test_two_mode_activity_and_prominence() -> None:
    # row totals A 4, B 1; column totals demand 4, evaluation 1
    assert two(normalization="activity").tolist() == [[0.75, 0.25], [1, 0]]
    assert two(normalization="prominence").tolist() == [[0.75, 1], [0.25, 0]]
    assert two(aggregation="subtract", normalization="activity").tolist() == [[0.25, 0], [-1, 0]]


# -- options ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kw", [
    {"mode": "three-mode"}, {"aggregation": "combine"}, {"normalization": "activity"},
    {"mode": "two-mode", "aggregation": "congruence"}, {"mode": "two-mode", "normalization": "jaccard"},
    {"duplicates": "decade"}, {"qualifier": "stance", "no_qualifier": True}, {"cols": "speaker"},
    {"mode": "two-mode", "aggregation": "combine", "normalization": "activity"},
])
def test_bad_options_are_usage_errors(kw: dict[str, object]) -> None:
    with pytest.raises(NetworkOptionError):
        build(data(THREE), **kw)


@pytest.mark.parametrize("kw", [{"rows": "speakr"}, {"cols": "nope"}, {"qualifier": "target"},
                                {"exclude": (("colour", "red"),)}])
def test_unknown_or_unfit_variables_are_user_errors(kw: dict[str, object]) -> None:
    with pytest.raises(NetworkVariableError):
        build(data(THREE), **kw)


def test_exclusions_leave_values_out() -> None:
    s = build(data(THREE), exclude=(("speaker", "b"),))  # compared ignoring case, like actor names
    assert s.networks[0].labels == ["A", "C"] and s.n_excluded == 1
    m = build(data(THREE), exclude=(("claim_type", "evaluation"),), aggregation="ignore").networks[0].matrix()
    assert m.tolist() == [[0, 1, 1], [1, 0, 1], [1, 1, 0]]


def test_isolates_add_every_actor() -> None:
    net = build(data(THREE, actors=["A", "Z"]), isolates=True).networks[0]
    assert net.labels == ["A", "B", "C", "Z"] and net.matrix()[3].tolist() == [0, 0, 0, 0]


def test_conflict_share_and_its_chance_value() -> None:
    # pairs of different speakers on one claim type: congruence sum 1.5, conflict 2.5 → 2.5 / 4;
    # level shares oppose .4, neutral .2, support .4: Σ pₖ pₖ′ |k − k′|/2 = 2(.4·.2·½ + .4·.4 + .2·.4·½) = .48
    pol = build(data(THREE)).networks[0].polarisation
    assert pol["conflict_share"] == pytest.approx(0.625)
    assert pol["conflict_share_expected"] == pytest.approx(0.48)


def test_two_mode_isolates_add_every_category() -> None:
    net = build(data(TWO), mode="two-mode", isolates=True).networks[0]
    assert net.col_labels == sorted(c.value for c in net_codebook_claim_types())
    assert net.matrix()[:, net.col_labels.index("accusation")].tolist() == [0, 0]


def net_codebook_claim_types():  # type: ignore[no-untyped-def]
    from app.core.codebook import default_codebook

    var = default_codebook().variable("claim_type")
    assert var is not None
    return var.categories
