"""Fleiss' κ and Gwet's AC1 with missing ratings against ``irrCAC`` (to 1e-9).

irrCAC pins ``scipy==1.12``, which holds numpy below 2: installed beside the program it would
make the suite run on a numpy no user gets. So it lives in its own environment (the ``oracle``
extra, ``packaging/requirements/oracle-linux.txt``, ``.venv-oracle``), where ``.ci/run`` runs the
tests marked ``oracle``. Without irrCAC the main run skips this module — unless
``CLAIMCODER_REQUIRE_ORACLES=1`` (set by ``.ci/run`` for the oracle run), where a missing
oracle is an error.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest
from hypothesis import assume, given

from app.core.agreement import coefficients as co
from tests.agreement.test_oracles import CATEGORIES, FAST, tables

pytestmark = pytest.mark.oracle

try:
    import pandas as pd
    from irrCAC.raw import CAC
except ImportError as missing:
    if os.environ.get("CLAIMCODER_REQUIRE_ORACLES") == "1":
        raise ImportError(f"the oracle environment lacks {missing.name}: install packaging/requirements/oracle-linux.txt") from missing
    pytest.skip("irrCAC is installed only in the oracle environment (.venv-oracle)", allow_module_level=True)


def irrcac(codes: np.ndarray, n_cats: int) -> CAC:
    frame = pd.DataFrame(np.where(codes >= 0, np.array(CATEGORIES, dtype=object)[np.maximum(codes, 0)], None))
    return CAC(frame.replace({None: np.nan}), categories=CATEGORIES[:n_cats], digits=15)


@FAST
@given(tables(min_coders=2, max_coders=6))
def test_fleiss_and_ac1_match_irrcac_with_missing_ratings(codes: np.ndarray) -> None:
    n_cats = int(codes.max()) + 1 if (codes >= 0).any() else 0
    n_cats = max(n_cats, 2)
    # irrCAC's variance divides by (units rated − 1): with a single pairable unit both fleiss()
    # and gwet() raise ZeroDivisionError before returning the coefficient (codes [[0, 0], [-1, -1]]).
    assume(np.count_nonzero(np.count_nonzero(codes >= 0, axis=1) >= 2) >= 2)
    ours_f, why_f = co.fleiss_kappa(codes, len(CATEGORIES))
    ours_g, _ = co.gwet_ac1(codes, len(CATEGORIES), n_cats)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        cac = irrcac(codes, n_cats)
        try:
            their_f = cac.fleiss()["est"]["coefficient_value"]
        except ZeroDivisionError:  # p_e = 1: irrCAC crashes where we report "undefined"
            their_f = None
        their_g = cac.gwet()["est"]["coefficient_value"]
    if their_f is None or why_f is not None:  # irrCAC crashes or rounds its way to 1.0 here
        assert ours_f is None and why_f == co.NO_VARIATION
        assert len(np.unique(codes[codes >= 0])) == 1
    else:
        assert ours_f == pytest.approx(their_f, abs=1e-9)
    assert ours_g == pytest.approx(their_g, abs=1e-9)
