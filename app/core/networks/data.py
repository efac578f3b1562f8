"""The input of a network: plain statement rows of one coder, gold, or the dataset.

Nothing here knows where the rows came from (a project, an export, a dataset file); the
services build a :class:`NetworkData` and the core never pools coders on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.codebook import Codebook


@dataclass(frozen=True, slots=True)
class Actor:
    """What a node can show beside its label: the actor list's kind and attributes."""

    name: str
    kind: str = ""
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NetworkData:
    """Statements as parallel sequences: ``values[n]`` was coded in document ``document_ids[n]``.

    ``published`` maps a document id to its date text (ISO ``YYYY-MM-DD``, or None / anything
    else when unknown). ``source`` says whose statements these are (shown in outputs).
    """

    codebook: Codebook
    values: Sequence[Mapping[str, Any]]
    document_ids: Sequence[str]
    published: Mapping[str, str | None]
    actors: Sequence[Actor] = ()
    source: str = ""

    def __post_init__(self) -> None:
        if len(self.values) != len(self.document_ids):
            raise ValueError("values and document_ids differ in length")
