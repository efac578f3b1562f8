"""The command line (Contract 3). Never imports Qt: ``gui`` and ``demo`` are handed to the
launcher in :mod:`app.main`, which is the only module that knows both sides."""

from typing import Any

__all__ = ["build_parser", "dispatch", "run"]


def __getattr__(name: str) -> Any:
    """``from app.cli import run`` loads every command; ``app.cli.agree`` alone does not."""
    if name in __all__:
        from app.cli import main

        return getattr(main, name)
    raise AttributeError(f"module 'app.cli' has no attribute {name!r}")
