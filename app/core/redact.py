"""Passwords never reach a screen, a log or a settings file.

Messages name the project they are about, and a team project is a database URL that may carry a
password (``postgresql://ana:secret@host/study``). Messages are built with the password hidden
in the first place (``app.store.server.display``); this is the last filter, applied where text
leaves the program (the command line's error line, the window's dialogs and its log), for a URL
that reached a message some other way, e.g. inside a driver's error.
"""

from __future__ import annotations

import re

# scheme://user:password@ — the password runs to the last "@" before a space or quote, so a
# password with an unescaped "@" is hidden whole.
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@'\"]*:)(?P<password>[^\s'\"]*)@")
# libpq keyword form: password=secret
_KEYWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<password>'(?:[^'\\]|\\.)*'|[^\s'\"]+)", re.IGNORECASE)


def redact(message: str) -> str:
    """``message`` with every URL or connection-string password replaced by ``***``."""
    message = _URL_PASSWORD.sub(lambda m: m.group("head") + "***@", message)
    return _KEYWORD.sub(lambda m: m.group("head") + "***", message)
