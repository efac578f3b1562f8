"""Small hand-made inputs for the network tests."""

from __future__ import annotations

from typing import Any

from app.core.codebook import Codebook, default_codebook, parse_codebook
from app.core.networks.build import NetworkSet, build_networks
from app.core.networks.data import Actor, NetworkData
from app.core.networks.options import NetworkOptions

BOOL_CODEBOOK = parse_codebook({
    "name": "bool", "variables": [
        {"key": "org", "kind": "entity"},
        {"key": "concept", "kind": "category", "categories": [{"value": "x"}, {"value": "y"}]},
        {"key": "agree", "kind": "boolean"},
    ]})

SCORED_CODEBOOK = parse_codebook({
    "name": "scored", "variables": [
        {"key": "speaker", "kind": "entity"},
        {"key": "stance", "kind": "category", "level": "ordinal", "categories": [
            {"value": "oppose", "score": -2}, {"value": "neutral", "score": 0}, {"value": "support", "score": 1}]},
        {"key": "claim_type", "kind": "category", "categories": [{"value": "demand"}, {"value": "evaluation"}]},
    ]})


def data(rows: list[tuple[Any, ...]], *, codebook: Codebook | None = None, keys: tuple[str, ...] = ("speaker", "claim_type", "stance"),
         dates: dict[str, str | None] | None = None, actors: list[str] = ()) -> NetworkData:
    """Rows are (value, value, value[, document id]); the document defaults to d1 (undated)."""
    values, docs = [], []
    for row in rows:
        values.append({k: v for k, v in zip(keys, row[:3]) if v is not None})
        docs.append(row[3] if len(row) > 3 else "d1")
    return NetworkData(codebook or default_codebook(), values, docs, dates or {},
                       [Actor(a, "person", {"country": "X"}) for a in actors])


def build(d: NetworkData, **kw: Any) -> NetworkSet:
    return build_networks(d, NetworkOptions(**kw))
