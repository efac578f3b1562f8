"""``claimcoder settings PROJECT [KEY [VALUE]]``: the project settings a supervisor controls.

::

    claimcoder settings study.ccdb                          # each setting, its value, what it does
    claimcoder settings study.ccdb candidates true          # switch candidate statements on
    claimcoder settings study.ccdb candidate_cues '{"en": {"verbs": ["conceded"]}}'
    claimcoder settings study.ccdb --unset candidate_cues   # back to the default

VALUE is JSON (``true``, ``["id", …]``, ``{"en": …}``); it is checked before it is written.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

def add_parsers(sub: Any) -> None:
    from app.services.project_settings import SETTINGS

    known = "; ".join(f"{s.key} ({s.takes})" for s in SETTINGS.values())
    p = sub.add_parser("settings", help="show or change the project settings (candidates, closed actor list, …)",
                       description="Show the project settings, one setting's value, or set one. VALUE is JSON. "
                                   f"Settings: {known}.")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("key", nargs="?", metavar="KEY")
    p.add_argument("value", nargs="?", metavar="VALUE", help="JSON, e.g. true, [\"id\"], {\"en\": {\"verbs\": [\"conceded\"]}}")
    p.add_argument("--unset", metavar="KEY", help="remove a setting, so its default applies")
    p.add_argument("--all", action="store_true", help="also list the settings claimcoder keeps for itself")
    p.add_argument("--format", choices=["text", "json"], default="text")


def cmd_settings(ns: argparse.Namespace) -> int:
    from app.cli.main import UsageError
    from app.core.errors import ClaimcoderError
    from app.services.project import Project
    from app.services.project_settings import INTERNAL, SETTINGS, check_setting

    if ns.unset and ns.key:
        raise UsageError("give KEY [VALUE] or --unset KEY, not both")
    for key in (ns.key, ns.unset):
        if key is not None and key not in SETTINGS and key not in INTERNAL:
            raise UsageError(f"unknown setting '{key}' (settings: {', '.join(SETTINGS)})")
    writing = ns.value is not None or ns.unset is not None
    with Project.open(ns.project, read_only=not writing) as project:
        if ns.unset:
            if ns.unset in INTERNAL:
                raise ClaimcoderError(f"setting '{ns.unset}' is kept by claimcoder ({INTERNAL[ns.unset]}); "
                                      "it is not removed by hand")
            had = project.unset_setting(ns.unset)
            print(f"{ns.unset}: removed; the default ({_show(SETTINGS[ns.unset].default)}) applies"
                  if had else f"{ns.unset}: was not set; nothing to do")
            return 0
        if ns.value is not None:
            try:
                value = json.loads(ns.value)
            except ValueError:
                raise ClaimcoderError(f"setting '{ns.key}': VALUE must be JSON, e.g. true or "
                                      f"'[\"id\"]' (got {ns.value!r})") from None
            check_setting(ns.key, value)
            if ns.key == "reliability_sample":
                have = {s.id for s in project.document_summaries()}
                missing = [i for i in value if i not in have]
                if missing:
                    raise ClaimcoderError(f"setting 'reliability_sample': no document with id '{missing[0]}'"
                                          + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
            project.set_setting(ns.key, value)
            print(f"{ns.key}: {_show(value)}")
            return 0
        stored = project.settings()
        defaults = {k: spec.default for k, spec in SETTINGS.items()}
        if ns.key is not None:
            print(json.dumps(stored.get(ns.key, defaults.get(ns.key)), ensure_ascii=False))
            return 0
        keys = [*SETTINGS, *(k for k in INTERNAL if ns.all and k in stored)]
        if ns.format == "json":
            print(json.dumps({k: stored.get(k, defaults.get(k)) for k in keys}, ensure_ascii=False, indent=1))
            return 0
        for key in keys:
            about = SETTINGS[key].about if key in SETTINGS else INTERNAL[key]
            mark = "" if key in stored else "  (default)"
            print(f"{key} = {_show(stored.get(key, defaults.get(key)))}{mark}\n    {about}")
    return 0


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 100 else text[:97] + "…"


COMMANDS = {"settings": cmd_settings}
