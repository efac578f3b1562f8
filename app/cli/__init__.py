"""The command line (Contract 3). Never imports Qt: ``gui`` and ``demo`` are handed to the
launcher in :mod:`app.main`, which is the only module that knows both sides."""

from app.cli.main import build_parser, dispatch, run

__all__ = ["build_parser", "dispatch", "run"]
