"""``claimcoder agree`` asks glibc to keep freed blocks for reuse; elsewhere it changes nothing."""

from __future__ import annotations

import platform
import sys

import pytest

from app.core import memory_reuse


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_glibc_takes_the_thresholds() -> None:
    assert memory_reuse.keep_freed_memory() is True


def test_nothing_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory_reuse.sys, "platform", "darwin")
    assert memory_reuse.keep_freed_memory() is False
