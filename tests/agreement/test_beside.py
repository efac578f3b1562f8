"""Part of the statistics in a forked child (``compute_agreement(beside=True)``, the command
line's way on a machine with a core to spare) gives the report the parent alone gives, also when
the child fails; :class:`app.core.forked.Beside` brings back its bytes or says it could not."""

from __future__ import annotations

import os
import random
from typing import Any

import pytest

from app.core import forked
from app.core.agreement import compute_agreement
from app.core.codebook import Codebook
from tests.agreement.builders import CODEBOOK, make_export

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="the child is forked (Linux)")

WIDE = Codebook.model_validate({
    "name": "Wide",
    "variables": [*CODEBOOK.model_dump()["variables"],
                  {"key": "quoted", "kind": "boolean", "level": "nominal"},
                  {"key": "weight", "kind": "number", "level": "interval"},
                  {"key": "note", "kind": "text", "level": "nominal"}],
})


def _exports(seed: int, codebook: Codebook) -> list[Any]:
    rnd = random.Random(seed)
    docs = {f"d{k}": "".join(rnd.choice("abcdefgh ") for _ in range(400)) for k in range(6)}
    truth = [(t, s, s + rnd.randint(10, 30)) for t in docs for s in range(0, 360, 40)]
    out = []
    for c in range(4):
        stmts = []
        for title, s, e in truth:
            if rnd.random() < 0.1:
                continue
            values: dict[str, Any] = {"speaker": f"actor{rnd.randint(0, 3)}",
                                      "stance": rnd.choice(["oppose", "neutral", "support"])}
            if codebook is WIDE:
                values.update(quoted=rnd.random() < 0.5, weight=rnd.choice([1, 2, 2.5]), note=rnd.choice(["x", "y "]))
            stmts.append((title, s, e - rnd.randint(0, 2), values))
        out.append(make_export(f"coder{c}", docs, stmts, codebook=codebook))
    return out


@pytest.mark.parametrize("codebook", [CODEBOOK, WIDE], ids=["3 variables", "6 variables"])
def test_the_child_changes_nothing(codebook: Codebook) -> None:
    exports = _exports(4, codebook)
    alone = compute_agreement(exports, bootstrap=200, seed=2, include_disagreements=False)
    with_child = compute_agreement(exports, bootstrap=200, seed=2, include_disagreements=False, beside=True)
    assert with_child.model_dump_json() == alone.model_dump_json()
    # the child takes its variables as they come: every one is in the report, in codebook order
    assert list(with_child.variables) == [v.key for v in codebook.variables]
    # with the list of disagreements everything stays here: the same report as well
    full = compute_agreement(exports, bootstrap=200, seed=2, beside=True)
    assert full.model_dump_json() == compute_agreement(exports, bootstrap=200, seed=2).model_dump_json()


@pytest.mark.parametrize("sent", [None, b"", b"{}", b'{"unitizing": 1}'], ids=["died", "empty", "no parts", "garbled"])
def test_a_failed_child_leaves_its_part_to_the_parent(sent: bytes | None, monkeypatch: Any) -> None:
    exports = _exports(5, WIDE)
    alone = compute_agreement(exports, bootstrap=100, include_disagreements=False)
    monkeypatch.setattr(forked.Beside, "result", lambda self: sent)
    again = compute_agreement(exports, bootstrap=100, include_disagreements=False, beside=True)
    assert again.model_dump_json() == alone.model_dump_json()


def test_beside_brings_back_bytes_or_none() -> None:
    big = os.urandom(1 << 20)  # more than a pipe holds at once
    assert forked.Beside(lambda: big).result() == big

    def fails() -> bytes:
        raise RuntimeError("in the child")

    assert forked.Beside(fails).result() is None
    assert forked.Beside(lambda: os._exit(0)).result() == b""  # exited before writing: nothing, not an error

    child = forked.Beside(lambda: b"never read")
    child.cancel()
    assert child.result() is None


def test_turns_hand_each_number_out_once() -> None:
    turns = forked.Turns(40)
    child = forked.Beside(lambda: bytes(iter(turns.next, None)))  # the child takes all it can
    mine = list(iter(turns.next, None))
    theirs = list(child.result() or b"")
    turns.close()
    assert sorted(mine + theirs) == list(range(40))
    lone = forked.Turns(3000)  # more than a pipe is sure to hold: all here, in order
    assert list(iter(lone.next, None)) == list(range(3000))
