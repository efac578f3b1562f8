"""compute_agreement end to end on small in-memory exports."""

from __future__ import annotations

import json
import math
import random

import krippendorff
import numpy as np
import pytest

from app.core.agreement import compute_agreement
from app.core.codebook import Codebook
from app.core.errors import ClaimcoderError
from tests.agreement.builders import CODEBOOK, make_export

TEXT = "Putin said the mission guarantees peace. Lavrov said it is still needed. Refugees number 5000."
DOCS = {"d1": TEXT}
P = {"speaker": "Putin", "stance": "support", "claim_type": "evaluation"}
L = {"speaker": "Lavrov", "stance": "support", "claim_type": "demand"}


def test_refuses_same_coder_twice_and_names_the_files() -> None:
    a = make_export("alice", DOCS, [])
    b = make_export("Alice", DOCS, [], coder_id="other")
    with pytest.raises(ClaimcoderError, match=r"a\.json and b\.json are both by coder 'alice'"):
        compute_agreement([a, b], sources=["a.json", "b.json"])
    with pytest.raises(ClaimcoderError, match="at least two"):
        compute_agreement([a])
    with pytest.raises(ClaimcoderError, match="min-overlap"):
        compute_agreement([a, make_export("bob", DOCS, [])], min_overlap=0)


def test_refuses_different_codebooks_naming_the_difference() -> None:
    data = CODEBOOK.model_dump()
    data["variables"][1]["categories"] = data["variables"][1]["categories"][::2]
    other = Codebook.model_validate(data)
    a, b = make_export("alice", DOCS, []), make_export("bob", DOCS, [], codebook=other)
    with pytest.raises(ClaimcoderError) as err:
        compute_agreement([a, b], sources=["alice.json", "bob.json"])
    msg = str(err.value)
    assert msg.startswith("alice.json and bob.json use different codebooks: variable 'stance' has categories")
    assert "oppose=-1, neutral=0, support=1 vs oppose=-1, support=1" in msg


def test_two_stages_and_documents_used() -> None:
    other = "A second article nobody else coded."
    a = make_export("alice", {"d1": TEXT, "d2": other}, [("d1", 0, 40, P), ("d1", 41, 72, L), ("d2", 0, 8, P)])
    b = make_export("bob", DOCS, [("d1", 0, 39, {**P, "stance": "neutral"}), ("d1", 41, 72, L)])
    r = compute_agreement([b, a], bootstrap=200, include_disagreements=True)
    assert [c.name for c in r.coders] == ["alice", "bob"]  # canonical order, not input order
    assert r.alignment.n_documents == 2 and r.alignment.n_documents_shared == 1
    assert [d.title for d in r.alignment.documents_single_coder] == ["d2"]
    assert r.alignment.n_aligned_units == 2 and r.alignment.n_statements_unmatched == 0
    pair = r.unitizing.pairs[0]
    assert (pair.n_a, pair.n_b, pair.n_matched, pair.f1) == (2, 2, 2, 1.0)
    assert r.variables["speaker"].krippendorff_alpha == pytest.approx(1.0)
    assert r.variables["stance"].percent_agreement == pytest.approx(0.5)
    assert r.variables["claim_type"].cohen_kappa == pytest.approx(1.0)
    # alice's first span is 0..40, bob's 0..39: aligned, but the spans differ (a row of its own)
    assert [(d.variable, d.issue, d.values["alice"].value, d.values["bob"].value) for d in r.disagreements] == [
        ("", "spans differ", f"0–40: {TEXT[0:40]}", f"0–39: {TEXT[0:39]}"),
        ("stance", "values differ", "support", "neutral"),
    ]
    assert r.n_disagreements == {"speaker": 0, "stance": 1, "claim_type": 0, "statement missing": 0, "span differs": 1}
    lean = compute_agreement([a, b], bootstrap=200, include_disagreements=False)
    assert lean.disagreements == [] and not lean.disagreements_listed
    assert lean.n_disagreements == r.n_disagreements


def test_not_started_documents_without_statements_do_not_count() -> None:
    a = make_export("alice", DOCS, [], status="not_started")
    b = make_export("bob", DOCS, [("d1", 0, 40, P)])
    r = compute_agreement([a, b], bootstrap=0)
    assert r.alignment.n_documents_shared == 0
    assert r.variables["speaker"].krippendorff_alpha is None
    assert r.unitizing.alpha_u is None and r.unitizing.alpha_u_undefined_reason


def test_undefined_is_null_with_reason_and_json_has_no_nan() -> None:
    a = make_export("alice", DOCS, [("d1", 0, 40, P)])
    b = make_export("bob", DOCS, [("d1", 0, 40, P)])
    r = compute_agreement([a, b], bootstrap=50)
    v = r.variables["stance"]
    assert v.krippendorff_alpha is None and v.alpha_ci95 is None
    assert v.undefined_reason and "no variation" in v.undefined_reason
    assert "cohen_kappa" in v.undefined_reasons
    text = r.model_dump_json()
    assert "NaN" not in text and "Infinity" not in text
    json.loads(text)


def random_exports(seed: int, n_coders: int = 3, n_docs: int = 12):  # type: ignore[no-untyped-def]
    rnd = random.Random(seed)
    docs = {f"doc{k}": "".join(rnd.choice("abcdefgh ") for _ in range(400)) + f" #{k}" for k in range(n_docs)}
    truth = []
    for title in docs:
        for s in range(0, 380, 40):
            truth.append((title, s, s + rnd.randint(10, 35)))
    exports = []
    stances = ["oppose", "neutral", "support"]
    for c in range(n_coders):
        stmts = []
        for title, s, e in truth:
            if rnd.random() < 0.15:
                continue  # missed it
            values = {"speaker": f"actor{rnd.randint(0, 3) if rnd.random() < 0.3 else (s // 40) % 4}",
                      "stance": rnd.choice(stances)}
            if rnd.random() < 0.8:
                values["claim_type"] = "assertion" if (s // 40) % 2 or rnd.random() < 0.2 else "demand"
            stmts.append((title, s + rnd.randint(0, 2), e - rnd.randint(0, 2), values))
        exports.append(make_export(f"coder{c}", docs, stmts))
    return exports


@pytest.mark.parametrize("seed", [1, 2])
def test_variable_alpha_equals_krippendorff_over_the_aligned_units(seed: int) -> None:
    exports = random_exports(seed)
    r = compute_agreement(exports, bootstrap=100)
    # rebuild the reliability matrix from identical-position statements (the jitter is ≤ 2 chars
    # on spans of ≥ 10, so every such group aligns) and ask the oracle
    for key, level, domain in (("stance", "ordinal", ["oppose", "neutral", "support"]),
                               ("claim_type", "nominal", ["assertion", "evaluation", "demand"])):
        units: dict[tuple[str, int], list[float]] = {}
        for c, ex in enumerate(exports):
            titles = {d.id: d.title for d in ex.documents}
            for st in ex.statements:
                row = units.setdefault((titles[st.document_id], st.start // 40), [math.nan] * len(exports))
                v = st.values.get(key)
                row[c] = domain.index(v) if v is not None else math.nan
        data = np.array(list(units.values())).T
        oracle = krippendorff.alpha(reliability_data=data, value_domain=np.arange(len(domain)),
                                    level_of_measurement=level)
        assert r.variables[key].krippendorff_alpha == pytest.approx(oracle, abs=1e-9)
        lo, hi = r.variables[key].alpha_ci95  # type: ignore[misc]
        assert lo <= r.variables[key].krippendorff_alpha <= hi


def test_report_does_not_depend_on_input_order() -> None:
    exports = random_exports(5)
    first = compute_agreement(exports, bootstrap=100, seed=3)
    shuffled = []
    for ex in reversed(exports):
        st = list(ex.statements)
        random.Random(9).shuffle(st)
        shuffled.append(ex.model_copy(update={"statements": st, "documents": list(reversed(ex.documents))}))
    second = compute_agreement(shuffled, bootstrap=100, seed=3, sources=[f"export of {e.coder.name}" for e in shuffled])
    assert first.model_dump() == second.model_dump()


def test_thousand_speakers() -> None:
    names = [f"speaker {k:04d}" for k in range(1000)]
    text = "x" * 30_000
    rnd = random.Random(0)
    truth = [(k * 10, k * 10 + 8, names[k % 1000]) for k in range(3000)]
    exports = [
        make_export(c, {"d": text}, [("d", s, e, {"speaker": sp if rnd.random() < 0.9 else rnd.choice(names)})
                                       for s, e, sp in truth])
        for c in ("a", "b", "c")
    ]
    r = compute_agreement(exports, bootstrap=200, top_categories=15)
    v = r.variables["speaker"]
    assert v.confusion.n_categories == 1000 and v.confusion.truncated and len(v.confusion.matrix) == 15
    assert 0.8 < v.krippendorff_alpha < 0.9  # type: ignore[operator]
    assert len(v.per_category) == 1000


def test_exports_read_as_rows_give_the_same_report() -> None:
    """The CLI reads exports with plain-dict statements; the GUI passes models: one report."""
    from app.core.export_model import ExportRows

    exports = random_exports(6)
    rows = [ExportRows.model_validate(e.model_dump()) for e in exports]
    assert isinstance(rows[0].statements[0], dict)
    first = compute_agreement(exports, bootstrap=100, seed=3)
    assert compute_agreement(rows, bootstrap=100, seed=3).model_dump() == first.model_dump()


@pytest.mark.parametrize("reverse", [False, True])
def test_a_span_marked_twice_pairs_by_statement_id(reverse: bool) -> None:
    """Coder a marked one span twice: b's statement pairs with the one whose id sorts first,
    whatever order the file lists them in, and b's statement counts as split."""
    oppose, support = dict(P, stance="oppose"), dict(P, stance="support")
    a = make_export("a", DOCS, [("d1", 0, 40, support), ("d1", 0, 40, oppose)])
    first, second = a.statements
    a.statements = [first.model_copy(update={"id": "a-2"}), second.model_copy(update={"id": "a-1"})]
    if reverse:
        a.statements.reverse()
    b = make_export("b", DOCS, [("d1", 0, 40, oppose)])
    r = compute_agreement([a, b], bootstrap=0)
    assert r.alignment.n_units == 2 and r.alignment.n_aligned_units == 1
    assert r.alignment.n_statements_split == 1
    assert r.variables["stance"].percent_agreement == 1.0  # b met "a-1" (oppose), not "a-2"
