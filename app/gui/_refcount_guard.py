"""Work around a reference-count bug in the PySide6 6.12 bindings on Python 3.11.

Measured: every call of a void Qt method (``setPosition``, ``setWindowTitle``…) returns ``None``
without taking a reference, and every ``Signal.emit`` does the same with ``True``/``False``. On
Python 3.12+ these singletons are immortal (PEP 683) and nothing happens; on 3.11 their count
drops by one per call and the process aborts ("none_dealloc: deallocating None") after a few
thousand calls — seconds of real use. We give the three singletons what 3.12 gives them: a
count so large that no session can exhaust it. Delete this module when Python 3.11 is dropped or
the bindings are fixed (tests/gui/test_refcount_guard.py tells).
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40


def make_singletons_immortal() -> None:
    if sys.version_info >= (3, 12) or not hasattr(sys, "getrefcount"):
        return
    for obj in (None, True, False):
        # ob_refcnt is the first field of every CPython object.
        refcnt = ctypes.c_ssize_t.from_address(id(obj))
        if refcnt.value < _HEADROOM:
            refcnt.value += _HEADROOM
