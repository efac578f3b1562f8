"""Codes statements as fast as it can until it is killed: the subject of test_crash.py.

Usage: python crash_worker.py PROJECT SEED

Before each call it prints ``begin <op> <id|-> <state>``, after the call returns ``saved <id> <op>
<state>`` (state: JSON of start, end, values; ``null`` after a delete), each line flushed: the
test kills this process at a random moment and then checks that everything reported saved is
on disk, and that an unreported change in flight is either fully there or not at all.
"""

from __future__ import annotations

import json
import random
import sys

from app.core.spans import trim_span
from app.services.project import Project

STANCES = ["oppose", "neutral", "support"]
TYPES = ["assertion", "evaluation", "demand", "prediction", "commitment", "accusation"]


def state(st) -> str:  # type: ignore[no-untyped-def]
    return json.dumps({"start": st.start, "end": st.end, "values": st.values}, sort_keys=True)


def main() -> None:
    path, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    project = Project.open(path)
    coder = project.ensure_coder("alice")
    docs = [(d.id, d.length) for d in project.document_summaries(coder)]
    texts = {d: project.document(d).text for d, _ in docs}
    live = [st.id for d, _ in docs for st in project.statements(d, coder)]
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    while True:
        op = rng.choice(["create", "create", "update", "update", "delete"]) if live else "create"
        if op == "create":
            doc, length = rng.choice(docs)
            start = rng.randrange(0, length - 1)
            end = rng.randrange(start + 1, min(length, start + 200) + 1)
            start, end = trim_span(texts[doc], start, end)  # as the service stores it
            if start >= end:
                continue
            values = {"stance": rng.choice(STANCES), "claim_type": rng.choice(TYPES)}
            out.write(f"begin create - {json.dumps({'start': start, 'end': end, 'values': values}, sort_keys=True)}\n")
            out.flush()
            st = project.create_statement(doc, coder, start, end, values=values)
            live.append(st.id)
            out.write(f"saved {st.id} create {state(st)}\n")
        elif op == "update":
            sid = rng.choice(live)
            old = project.statement(sid)
            assert old is not None
            values = {**old.values, "stance": rng.choice(STANCES), "claim_type": rng.choice(TYPES)}
            out.write(f"begin update {sid} {json.dumps({'start': old.start, 'end': old.end, 'values': values}, sort_keys=True)}\n")
            out.flush()
            st = project.update_statement(sid, values=values)
            out.write(f"saved {sid} update {state(st)}\n")
        else:
            sid = live.pop(rng.randrange(len(live)))
            out.write(f"begin delete {sid} null\n")
            out.flush()
            project.delete_statement(sid)
            out.write(f"saved {sid} delete null\n")
        out.flush()


if __name__ == "__main__":
    main()
