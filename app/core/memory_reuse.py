"""Let a short batch command keep the memory it frees, for its next allocation.

``claimcoder agree`` allocates and frees hundreds of megabytes in large blocks (numpy's arrays
of the computation, one per step). glibc's allocator hands a block above its threshold straight
back to the system when it is freed, so every new array is memory the kernel must map and zero
page by page again: 40,000–50,000 page faults for three coders, a third of the computation's
CPU time on a virtual machine. Raising the threshold (and the one for trimming the heap) keeps
freed blocks for reuse. The peak stays where it was: the memory is reused, not added (the
benchmark's peak resident memory is unchanged). Blocks of 64 MB or more (a file's bytes) are
still mapped on their own.

glibc only (Linux); anywhere else, or if the call fails, nothing changes.
"""

from __future__ import annotations

import sys

_M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 64 << 20
TRIM_THRESHOLD = 256 << 20


def keep_freed_memory() -> bool:
    """True when the allocator was told to (glibc)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (ImportError, OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
