"""The project settings a supervisor sets (``claimcoder settings``, the Tools menu), what each
one means and which values it takes, and the settings claimcoder keeps for itself.

A setting is stored as JSON in the project file (table ``project_setting``). The ones listed in
:data:`SETTINGS` are checked here before they are written, so a typo in a script cannot switch
candidates on with the text ``"yes"`` or leave a cue list the coding window cannot read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.core.errors import ClaimcoderError

CANDIDATES = "candidates"
CANDIDATE_CUES = "candidate_cues"
RELIABILITY_SAMPLE = "reliability_sample"
CLOSED_ACTOR_LIST = "closed_actor_list"
CUE_FIELDS = ("verbs", "sources", "complementisers", "bare", "whole", "naming")  # as app.core.candidates reads them


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    takes: str  # what a value looks like, for the help and the error
    about: str
    check: Callable[[Any], str | None]  # a reason the value is refused, or None
    default: Any  # what the program does while the setting is not stored


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _ids(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
        return 'must be a list of document ids, e.g. ["3f2…", "a91…"]'
    return None


def _cues(value: Any) -> str | None:
    if not isinstance(value, dict):
        return 'must map a language to its cue lists, e.g. {"en": {"verbs": ["conceded"]}}'
    for lang, lists in value.items():
        if not isinstance(lists, dict):
            return f"language '{lang}': must map {', '.join(CUE_FIELDS)} to lists of words"
        for name, words in lists.items():
            if name not in CUE_FIELDS:
                return f"language '{lang}': unknown list '{name}' (known: {', '.join(CUE_FIELDS)})"
            if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                return f"language '{lang}', {name}: must be a list of words or phrases"
    return None


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting(CANDIDATES, "true | false",
            "outline candidate statements (quotations, reported speech) in the coding window; "
            "never in the reliability sample", _bool, False),
    Setting(CANDIDATE_CUES, '{"LANG": {"verbs": […], "sources": […], "whole": […], …}}',
            "cue words added to the built-in ones (en, de, fr, ru, es) for finding reported speech", _cues, {}),
    Setting(RELIABILITY_SAMPLE, '["DOCUMENT-ID", …]',
            "documents coded blind: no candidates there (a work package gets its sample here)", _ids, []),
    Setting(CLOSED_ACTOR_LIST, "true | false",
            "coders pick speakers from the actor list and cannot add actors from the Speaker field", _bool, False),
)}

# Kept by claimcoder itself: shown by `claimcoder settings --all`, never set by hand.
INTERNAL = {
    "package_coder": "the coder a work package opens as",
    "package": "where a work package came from",
    "actor_attributes": "the actor list's attribute columns (edit them in Tools → Actors…)",
    "actor_proposals": "actors coders used that the list lacks (claimcoder actors / merge)",
    "last_deletion_at": "when a statement was last deleted (read by the merge)",
}

# Copied from the master into each work package, so coders work under the study's rules.
PACKAGE_SETTINGS = (CANDIDATES, CANDIDATE_CUES, CLOSED_ACTOR_LIST)


def check_setting(key: str, value: Any) -> None:
    """Refuse a value the setting cannot take (one line naming the setting), or a key claimcoder
    keeps for itself; unknown keys are the caller's business (the CLI refuses them)."""
    if key in INTERNAL:
        raise ClaimcoderError(f"setting '{key}' is kept by claimcoder ({INTERNAL[key]}); it is not set by hand")
    spec = SETTINGS.get(key)
    if spec is not None and (why := spec.check(value)) is not None:
        raise ClaimcoderError(f"setting '{key}': {why}")
