"""Who codes what in a study: the reliability sample, the split of the rest, the package order.

Pure functions over plain records, so the supervisor can reproduce an assignment by hand and the
tests need no database. The algorithm (also in the README):

1. **Random streams.** Every random choice comes from ``random.Random(f"claimcoder:{seed}:{round}:{purpose}")``
   (Python's Mersenne Twister seeded from the SHA-512 of that string — the same on every
   platform and Python version since 3.2). ``purpose`` is ``sample`` or ``order:<coder>``; round 1
   is the first ``assign``, each later ``assign`` that adds documents or coders is the next round.
2. **Sample size.** A share *s* of the *N* documents not yet assigned takes ⌊s·N + ½⌋ of them; a
   count *c* takes what the sample still lacks, c − (documents already in it), at most *N*.
3. **Strata** (``--stratify source|month|FIELD``): the documents are grouped by that value
   (month = the first 7 characters of the date, FIELD = a metadata field; missing = ""). Each
   stratum gets ⌊T·nₕ/N⌋ places and the places left over go to the strata with the largest
   remainders (ties: the stratum name in code-point order).
4. **Drawing.** In each stratum (in name order), the documents in project order are passed to
   ``rng.sample(docs, k)`` of the round's ``sample`` stream. Every coder codes every sample
   document.
5. **The rest** is split longest first: documents sorted by text length (longest first, then
   project order) each go to the coder with the least text so far (counting earlier rounds'
   non-sample documents; ties to the coder named first in ``--coders``).
6. **Package order.** A coder's new documents, in project order, are shuffled with that coder's
   ``order`` stream and put after the ones already handed out: sample documents are mixed in with
   the rest, so a coder cannot tell which are compared.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import ClaimcoderError

GOLD = "gold"
"""The reserved coder who holds the adjudicated statements (the gold standard)."""

DECISIONS = ("auto-unanimous", "auto-majority", "picked", "edited", "added")
REJECTED = "rejected"  # a decision without a gold statement: the unit is not a statement


def is_reserved_coder(name: str) -> bool:
    return " ".join(name.split()).casefold() == GOLD


@dataclass(frozen=True, slots=True)
class SampleSpec:
    """``--sample 0.2`` (a share of the documents) or ``--sample 50`` (a count)."""

    share: float | None = None
    count: int | None = None

    def __str__(self) -> str:
        return f"{self.share:g}" if self.share is not None else str(self.count)


def parse_sample(text: str) -> SampleSpec:
    """A share when it has a decimal point or is below 1, else a count."""
    text = text.strip()
    try:
        number = float(text)
    except ValueError:
        raise ClaimcoderError(f"--sample takes a share such as 0.2 or a count such as 50, not '{text}'") from None
    if "." in text or "e" in text.lower() or 0 < number < 1:
        if not 0 <= number <= 1:
            raise ClaimcoderError(f"a sample share lies between 0 and 1 (got {text})")
        return SampleSpec(share=number)
    if number < 0 or number != int(number):
        raise ClaimcoderError(f"a sample count is a whole number of documents, 0 or more (got {text})")
    return SampleSpec(count=int(number))


@dataclass(frozen=True, slots=True)
class DocInfo:
    """What the assignment needs of a document: no text, just its length and stratum."""

    id: str
    position: int
    length: int
    stratum: str = ""


def stratum_of(field_name: str | None, *, source: str, published: str | None, metadata: dict[str, Any]) -> str:
    if not field_name:
        return ""
    if field_name == "source":
        return source or ""
    if field_name == "month":
        return (published or "")[:7]
    value = metadata.get(field_name)
    return "" if value is None else str(value)


def stream(seed: int, round_no: int, purpose: str) -> random.Random:
    return random.Random(f"claimcoder:{seed}:{round_no}:{purpose}")


def sample_size(spec: SampleSpec, n_new: int, already_in_sample: int) -> int:
    if spec.share is not None:
        return min(n_new, math.floor(spec.share * n_new + 0.5))
    assert spec.count is not None
    return max(0, min(n_new, spec.count - already_in_sample))


def allocate(total: int, sizes: dict[str, int]) -> dict[str, int]:
    """Largest-remainder allocation of ``total`` places over strata of the given sizes."""
    n = sum(sizes.values())
    if n == 0 or total == 0:
        return {k: 0 for k in sizes}
    exact = {k: total * size / n for k, size in sizes.items()}
    quota = {k: math.floor(x) for k, x in exact.items()}
    left = total - sum(quota.values())
    for k in sorted(sizes, key=lambda k: (-(exact[k] - quota[k]), k))[:left]:
        quota[k] += 1
    return quota


def draw_sample(docs: Sequence[DocInfo], k: int, rng: random.Random) -> list[str]:
    """``k`` document ids, spread over the strata by :func:`allocate`, in project order."""
    strata: dict[str, list[DocInfo]] = {}
    for d in sorted(docs, key=lambda d: d.position):
        strata.setdefault(d.stratum, []).append(d)
    quota = allocate(k, {h: len(v) for h, v in strata.items()})
    chosen: list[DocInfo] = []
    for h in sorted(strata):
        chosen.extend(rng.sample(strata[h], quota[h]))
    return [d.id for d in sorted(chosen, key=lambda d: d.position)]


def split_by_length(docs: Iterable[DocInfo], coders: Sequence[str], loads: dict[str, int]) -> dict[str, list[str]]:
    """Longest document first to the coder with the least text; ties to the coder listed first."""
    load = {c: loads.get(c, 0) for c in coders}
    rank = {c: i for i, c in enumerate(coders)}
    out: dict[str, list[str]] = {c: [] for c in coders}
    for d in sorted(docs, key=lambda d: (-d.length, d.position)):
        who = min(coders, key=lambda c: (load[c], rank[c]))
        out[who].append(d.id)
        load[who] += d.length
    return out


@dataclass(slots=True)
class RoundPlan:
    """What one round hands out: per coder, the new documents in package order."""

    round_no: int
    sample: list[str] = field(default_factory=list)
    packages: dict[str, list[str]] = field(default_factory=dict)  # coder → new doc ids, in order
    in_sample: set[str] = field(default_factory=set)  # every sample document (old and new)


@dataclass(frozen=True, slots=True)
class Handed:
    """A document already handed out: to whom, whether it is in the sample."""

    document_id: str
    coder: str
    in_sample: bool


def plan_round(docs: Sequence[DocInfo], coders: Sequence[str], spec: SampleSpec, seed: int,
               round_no: int, handed: Sequence[Handed] = ()) -> RoundPlan:
    """The next round: documents not yet handed out are sampled and split; coders new to the
    study also get every sample document handed out before. Nothing handed out moves."""
    if not coders:
        raise ClaimcoderError("an assignment needs at least one coder")
    by_id = {d.id: d for d in docs}
    assigned = {h.document_id for h in handed}
    old_sample = {h.document_id for h in handed if h.in_sample}
    new = [d for d in docs if d.id not in assigned]
    k = sample_size(spec, len(new), len(old_sample))
    sample = draw_sample(new, k, stream(seed, round_no, "sample"))
    in_sample = old_sample | set(sample)
    sample_set = set(sample)
    loads: dict[str, int] = {}
    has: dict[str, set[str]] = {c: set() for c in coders}
    for h in handed:
        has.setdefault(h.coder, set()).add(h.document_id)
        if not h.in_sample and h.document_id in by_id:
            loads[h.coder] = loads.get(h.coder, 0) + by_id[h.document_id].length
    rest = split_by_length((d for d in new if d.id not in sample_set), coders, loads)
    plan = RoundPlan(round_no, sample=sample, in_sample=in_sample)
    for c in coders:
        mine = [d for d in in_sample if d not in has[c] and d in by_id] + rest[c]
        ordered = sorted(mine, key=lambda i: by_id[i].position)
        stream(seed, round_no, f"order:{c}").shuffle(ordered)
        plan.packages[c] = ordered
    return plan


Vote = Hashable | None
"""A coder's version of a unit (its span and values, as something comparable), or None when the
coder has no statement there."""


def version_key(start: int, end: int, values: dict[str, Any]) -> tuple[Any, ...]:
    """Two statements are the same version when span and every value agree (empty = absent)."""
    return (start, end, frozenset((k, v) for k, v in values.items() if v is not None and v != ""))


def auto_decide(votes: Sequence[Vote], mode: str, min_coders: int | None = None) -> tuple[str, Vote] | None:
    """The automatic decision on one unit, from one vote per coder of its document.

    ``unanimous``: every coder has the same version → ``auto-unanimous``. ``majority``: the most
    common answer ("no statement" counts as an answer) wins when at least K coders gave it (K =
    ``min_coders``, default more than half) and no other answer has as many; a winning "no
    statement" is a rejection. Anything else stays open (None) for the adjudicator.
    """
    if not votes:
        return None
    counts = Counter(votes)
    if len(counts) == 1 and None not in counts:
        return ("auto-unanimous", votes[0])
    if mode == "unanimous":
        return None
    if mode != "majority":
        raise ValueError(f"unknown mode {mode!r}")
    need = min_coders if min_coders is not None else len(votes) // 2 + 1
    ranked = counts.most_common()
    top, n = ranked[0]
    if n < need or (len(ranked) > 1 and ranked[1][1] == n):
        return None
    return (REJECTED, None) if top is None else ("auto-majority", top)
