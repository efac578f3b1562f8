"""The drawing's promises: the same picture on every run, everything inside the frame, sizes and
colours as documented, and a dense network reduced to its strongest ties."""

from __future__ import annotations

from app.core.networks import drawing

from .helpers import build, data

ROWS = [("A", "demand", "support"), ("B", "demand", "support"), ("C", "demand", "oppose"),
        ("C", "evaluation", "neutral"), ("A", "evaluation", "oppose"), ("D", "prediction", "support"),
        ("E", "prediction", "support"), ("A", "demand", "support")]


def test_layout_is_seeded_and_inside_the_frame() -> None:
    nets = build(data(ROWS), aggregation="subtract").networks
    first, again = drawing.layout(nets), drawing.layout(nets)
    assert first == again
    for x, y in first.values():
        assert 0 <= x <= drawing.WIDTH - drawing.LEGEND and 0 <= y <= drawing.HEIGHT


def test_marks_follow_statements_weights_and_groups() -> None:
    net = build(data(ROWS), aggregation="subtract").networks[0]
    info = {"A": {"kind": "party"}, "B": {"kind": "party"}, "C": {"kind": "union"}}
    d = drawing.draw(net, drawing.layout([net]), info, "kind")
    radius = {n.label: n.radius for n in d.nodes}
    assert radius["A"] == max(radius.values()) and radius["A"] > radius["B"]  # A has 3 statements, B 1
    colours = {n.label: n.colour for n in d.nodes}
    assert colours["A"] == colours["B"] == drawing.PALETTE[0] and colours["C"] == drawing.PALETTE[1]
    assert colours["D"] == drawing.OTHER  # no value for the attribute
    signs = {t.colour for t in d.ties}
    assert signs == {drawing.POSITIVE, drawing.NEGATIVE} and d.signed


def test_dense_networks_show_their_strongest_ties(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(drawing, "TIES_PER_NODE", 0.5)
    net = build(data(ROWS), aggregation="ignore").networks[0]
    d = drawing.draw(net, drawing.layout([net]), {}, None)
    assert len(d.ties) == 2 and "strongest" in d.note
    kept = sorted(abs(t.weight) for t in d.ties)
    assert kept[0] >= sorted(abs(net.weight))[-2]
