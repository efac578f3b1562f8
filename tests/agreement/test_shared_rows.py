"""Values are coded once per distinct set of values (the fast reader's shared rows), then picked
per statement. A set of values that only statements outside the shared documents hold must not
reach the variable's domain: for an entity, the domain's size is Gwet's q."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.agreement import compute_agreement
from app.core.export_fast import read_rows
from app.core.export_model import dump_export
from tests.agreement.builders import make_export

SHARED = "Die Kanzlerin sprach. Der Minister widersprach. Sie blieb dabei. Er auch nicht."
ALONE = "Nur eine Codiererin hat diesen Text gelesen."


def _exports() -> list:
    units = [(0, 21), (22, 47), (48, 64), (65, 79)]
    a = ["Merkel", "Merkel", "Scholz", "Scholz"]
    b = ["Merkel", "Merkel", "Scholz", "Merkel"]
    first = make_export(
        "Anna", {"shared": SHARED, "alone": ALONE},
        [("shared", s, e, {"speaker": v}) for (s, e), v in zip(units, a)]
        + [("alone", 0, 8, {"speaker": "Zebra"})],  # a speaker nobody else could have coded
    )
    second = make_export("Ben", {"shared": SHARED}, [("shared", s, e, {"speaker": v}) for (s, e), v in zip(units, b)])
    return [first, second]


@pytest.mark.parametrize("read", ["model", "fast reader"])
def test_values_outside_shared_documents_stay_out_of_the_domain(read: str, tmp_path: Path) -> None:
    exports = _exports()
    if read == "fast reader":
        exports = [read_rows(dump_export(e).encode("utf-8")) for e in exports]
        assert all(e is not None and e.shared_values() is not None for e in exports)
        # two statements of Anna's share {"speaker": "Merkel"}: one row for both
        assert len(exports[0].shared_values().rows) == 3
    report = compute_agreement(exports, bootstrap=0)
    speaker = report.variables["speaker"]
    # By hand, two coders, four units: observed agreement 3/4. Marginals over the 8 values:
    # Merkel 5/8, Scholz 3/8, so Σ π(1−π) = 2 · 15/64 = 15/32; q = 2 (Merkel, Scholz — not Zebra):
    # p_e = 15/32 / (q − 1) = 15/32 and AC1 = (3/4 − 15/32) / (1 − 15/32) = 9/17.
    # (Had Zebra counted, q = 3 would give (3/4 − 15/64) / (1 − 15/64) = 33/49.)
    assert speaker.percent_agreement == pytest.approx(3 / 4)
    assert speaker.gwet_ac1 == pytest.approx(9 / 17)
    assert [c.value for c in speaker.per_category] == ["Merkel", "Scholz"]
