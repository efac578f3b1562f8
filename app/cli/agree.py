"""``claimcoder agree``: load the exports, compute the report, write it in the chosen format."""

from __future__ import annotations

import argparse

from app.core.errors import ClaimcoderError
from app.core.export_model import Export


def run_agreement(ns: argparse.Namespace, exports: list[Export]) -> int:
    try:
        from app.core import agreement  # noqa: F401
    except ImportError:
        raise ClaimcoderError("agreement is not available in this build yet") from None
    raise ClaimcoderError("agreement is not available in this build yet")
