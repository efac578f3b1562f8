from __future__ import annotations

from collections.abc import Callable

import pytest

from app.core.domain import NewDocument
from app.io.readers import ReadOptions
from app.io.readers.formats import read_bytes


@pytest.fixture
def read() -> Callable[..., list[NewDocument]]:
    """Read bytes as if they were a file called ``name``."""

    def _read(data: bytes | str, name: str = "article.txt", options: ReadOptions | None = None) -> list[NewDocument]:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        return read_bytes(raw, name=name, origin=name, options=options or ReadOptions())

    return _read
