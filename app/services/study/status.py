"""``claimcoder status``: where the study stands — a coder × state matrix, the reliability
sample's progress, agreement on the sample documents every coder has finished, and how far the
adjudication is. Computed from the master alone (no export files)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from app import __version__
from app.core.agreement import compute_agreement
from app.core.errors import ClaimcoderError
from app.services.project import Project
from app.services.study.adjudicate import decided_ids, sample_units
from app.services.study.common import study_store
from app.services.study.units import StudyDocuments, sample_exports, study_documents

STATES = ("not_started", "in_progress", "done", "skipped")


def study_status(master: Project, *, min_overlap: float = 0.5) -> dict[str, Any]:
    store = study_store(master)
    docs = study_documents(master)
    n_docs = master.document_count()
    coders = []
    by_coder = {c: [d for d, cs in docs.coders.items() if c in cs] for c in docs.names}
    all_docs = [] if docs.assigned else [i for i, *_ in store.document_infos()]
    for cid, name in sorted(docs.names.items(), key=lambda kv: kv[1].casefold()):
        mine = by_coder[cid] if docs.assigned else all_docs
        states = Counter(docs.status.get((d, cid), "not_started") for d in mine)
        in_sample = [d for d in mine if d in docs.sample]
        coders.append({
            "name": name, "assigned": len(mine), **{s: states.get(s, 0) for s in STATES},
            "statements": master.store.statement_count(cid),
            "sample": {"assigned": len(in_sample),
                       "done": sum(1 for d in in_sample if docs.status.get((d, cid)) == "done")},
        })
    multi = docs.multi()
    finished = docs.finished_multi()
    rounds = store.rounds()
    data: dict[str, Any] = {
        "format": "claimcoder-status", "format_version": 1, "app_version": __version__,
        "project": {"id": master.info.id, "name": master.name}, "documents": n_docs,
        "assignment": ({"rounds": len(rounds), "seed": rounds[0]["seed"], "sample": rounds[0]["design"].get("sample"),
                        "stratify": rounds[0]["design"].get("stratify")} if rounds else None),
        "coders": coders,
        "sample": {"documents": len(multi), "finished_by_every_coder": len(finished)},
        "agreement": _agreement(master, docs, finished, min_overlap),
        "adjudication": _adjudication(master, docs, min_overlap),
        "merges": [{"coder": docs.names.get(r["coder_id"], "?"), "file": r["source"],
                    "merged_at": r["merged_at"].isoformat(timespec="seconds") if r["merged_at"] else None,
                    **r["counts"]} for r in store.merge_log()[-20:]],
    }
    return data


def _agreement(master: Project, docs: StudyDocuments, finished: list[str], min_overlap: float) -> dict[str, Any]:
    if not finished:
        return {"documents": 0, "undefined_reason": "no sample document is finished by every coder yet"}
    exports = sample_exports(master, docs, finished)
    try:
        report = compute_agreement(exports, sources=[e.coder.name for e in exports], min_overlap=min_overlap,
                                   bootstrap=0, include_disagreements=False, app_version=__version__)
    except ClaimcoderError as exc:
        return {"documents": len(finished), "undefined_reason": exc.message}
    return {
        "documents": len(finished), "min_overlap": min_overlap,
        "units": report.alignment.n_units, "aligned_units": report.alignment.n_aligned_units,
        "alpha_u": report.unitizing.alpha_u,
        "variables": {k: {"level": v.level, "krippendorff_alpha": v.krippendorff_alpha, "n_units": v.n_units,
                          "percent_agreement": v.percent_agreement, "undefined_reason": v.undefined_reason}
                      for k, v in report.variables.items()},
    }


def _adjudication(master: Project, docs: StudyDocuments, min_overlap: float) -> dict[str, Any]:
    _, units = sample_units(master, min_overlap=min_overlap, docs=docs)
    done = decided_ids(master)
    decided = [u for u in units if any(i in done for i in u.ids)]
    decisions = Counter(r["decision"] for r in study_store(master).adjudications())
    return {"units": len(units), "decided": len(decided), "open": len(units) - len(decided),
            "decisions": dict(sorted(decisions.items()))}


def render_text(data: dict[str, Any]) -> str:
    lines = [f"Study '{data['project']['name']}': {data['documents']} documents, {len(data['coders'])} coders"]
    a = data["assignment"]
    if a:
        strat = f", stratified by {a['stratify']}" if a.get("stratify") else ""
        lines.append(f"Assignment: sample {a['sample']}{strat}, seed {a['seed']}, "
                     f"{a['rounds']} round{'s' if a['rounds'] != 1 else ''}")
    lines.append("")
    head = f"{'coder':<14}{'assigned':>9}{'not started':>13}{'in progress':>13}{'done':>7}{'skipped':>9}{'statements':>12}{'sample done':>13}"
    lines.append(head)
    for c in data["coders"]:
        s = c["sample"]
        lines.append(f"{c['name'][:13]:<14}{c['assigned']:>9}{c['not_started']:>13}{c['in_progress']:>13}"
                     f"{c['done']:>7}{c['skipped']:>9}{c['statements']:>12}{str(s['done']) + '/' + str(s['assigned']):>13}")
    smp = data["sample"]
    pct = f" ({100 * smp['finished_by_every_coder'] / smp['documents']:.0f}%)" if smp["documents"] else ""
    lines += ["", f"Reliability sample: {smp['documents']} documents, {smp['finished_by_every_coder']} finished "
              f"by every coder{pct}."]
    ag = data["agreement"]
    if ag.get("undefined_reason") and "variables" not in ag:
        lines.append(f"Agreement: not yet ({ag['undefined_reason']}).")
    else:
        au = "undefined" if ag["alpha_u"] is None else f"{ag['alpha_u']:.3f}"
        lines.append(f"Agreement on those {ag['documents']} documents (min overlap {ag['min_overlap']:g}): "
                     f"{ag['units']} units, {ag['aligned_units']} found by two or more coders; α_U {au}")
        for key, v in ag["variables"].items():
            alpha = (f"α = {v['krippendorff_alpha']:.3f}" if v["krippendorff_alpha"] is not None
                     else f"α undefined ({v['undefined_reason']})")
            lines.append(f"  {key:<14} {alpha}  ({v['n_units']} units, {v['level']})")
        lines.append("  (claimcoder agree on the coders' exports gives intervals and the full report)")
    adj = data["adjudication"]
    if adj["units"]:
        how = ", ".join(f"{n} {d}" for d, n in adj["decisions"].items())
        lines.append(f"Adjudication: {adj['decided']} of {adj['units']} units decided"
                     f"{' (' + how + ')' if how else ''}, {adj['open']} open.")
    return "\n".join(lines) + "\n"
