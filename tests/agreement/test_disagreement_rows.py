"""The disagreement list tells the truth: one row per missing statement, none for unused
variables, span differences as their own rows, and reports in words."""

from __future__ import annotations

from app.core.agreement import compute_agreement
from app.io.agreement_report import render_html, render_text
from tests.agreement.builders import make_export

TEXT = "Putin said the mission guarantees peace. Lavrov said talks had failed. Rain."
P = {"speaker": "Vladimir Putin", "stance": "support"}


def rows(r):  # type: ignore[no-untyped-def]
    return [(d.issue, d.variable, d.start, d.end) for d in r.disagreements]


def test_a_statement_one_coder_lacks_is_one_row_not_one_per_variable() -> None:
    a = make_export("alice", {"d": TEXT}, [("d", 0, 40, {**P, "claim_type": "evaluation"}), ("d", 41, 70, P)])
    b = make_export("bob", {"d": TEXT}, [("d", 0, 40, {**P, "claim_type": "evaluation"})])
    r = compute_agreement([a, b], bootstrap=50)
    assert rows(r) == [("statement not found by every coder", "", 41, 70)]
    (row,) = r.disagreements
    assert row.values["alice"].value == "speaker: Vladimir Putin; stance: support"  # labels: this codebook has none
    assert row.values["bob"].state == "no_statement"
    assert r.n_disagreements["statement missing"] == 1


def test_variables_nobody_used_give_no_rows_and_values_rows_need_two_statements() -> None:
    # claim_type: used by nobody; target: nobody; only stance differs on the aligned statement
    a = make_export("alice", {"d": TEXT}, [("d", 0, 40, P)])
    b = make_export("bob", {"d": TEXT}, [("d", 0, 40, {**P, "stance": "oppose"})])
    r = compute_agreement([a, b], bootstrap=50)
    assert rows(r) == [("values differ", "stance", 0, 40)]


def test_span_differences_are_listed_with_both_spans() -> None:
    a = make_export("alice", {"d": TEXT}, [("d", 0, 40, P)])
    b = make_export("bob", {"d": TEXT}, [("d", 11, 39, P)])  # Jaccard 28/40: aligned, not equal
    r = compute_agreement([a, b], bootstrap=50)
    assert rows(r) == [("spans differ", "", 0, 40)]
    (row,) = r.disagreements
    assert row.values["alice"].value == f"0–40: {TEXT[0:40]}"
    assert row.values["bob"].value == f"11–39: {TEXT[11:39]}"


def test_reports_say_undefined_in_words() -> None:
    a = make_export("alice", {"d": TEXT}, [("d", 0, 40, P)])
    b = make_export("bob", {"d": TEXT}, [("d", 0, 40, P)])
    r = compute_agreement([a, b], bootstrap=50)
    text = render_text(r)
    assert "α is undefined: no unit has values from two coders" in text  # claim_type: nobody used it
    assert "krippendorff_alpha" not in text
    html = render_html(r)
    assert "krippendorff_alpha" not in html and "cohen_kappa" not in html
    assert "Fleiss&#x27; κ is undefined" in html
