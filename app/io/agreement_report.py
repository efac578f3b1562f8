"""Writing an agreement report as text (the terminal), JSON, CSV (the disagreements) or HTML.

The numbers all come from :class:`~app.core.agreement.report.AgreementReport`; this module only
lays them out. The HTML is one self-contained file a supervisor can e-mail: inline CSS, no
scripts, nothing loaded from the network. The CSV opens in Excel (UTF-8 with a BOM) and cannot
run formulas (cells starting with = + - @ get a leading apostrophe).
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Literal, TextIO

from app.core.agreement.report import (
    AgreementReport,
    CoderValue,
    Coincidences,
    DetectionPair,
    Disagreement,
    VariableReport,
)
from app.core.export_model import write_text_atomic
from app.io.csv_safe import safe_cell

ReportFormat = Literal["text", "json", "csv", "html"]
FORMATS: tuple[ReportFormat, ...] = ("text", "json", "csv", "html")
STATE_TEXT = {"empty": "(empty)", "no_statement": "(no statement)", "document_not_coded": "(document not coded)"}
# Reports speak in words: "Cohen's κ is undefined: …", never the JSON field name.
COEFFICIENT_WORDS = {"krippendorff_alpha": "α", "alpha_ci95": "the 95% interval of α", "percent_agreement":
                     "percent agreement", "cohen_kappa": "Cohen's κ", "fleiss_kappa": "Fleiss' κ", "gwet_ac1": "Gwet's AC1"}
WHOLE_STATEMENT = "(whole statement)"


def coefficient_words(name: str) -> str:
    return COEFFICIENT_WORDS.get(name, name.replace("_", " "))


def undefined_sentence(name: str, why: str) -> str:
    """ "α is undefined: no unit has values from two coders" """
    return f"{coefficient_words(name)} is undefined: {why}"


def variable_words(report: AgreementReport, key: str) -> str:
    """A variable's label for a reader; a row about a whole statement has no variable."""
    if not key:
        return WHOLE_STATEMENT
    v = report.variables.get(key)
    return v.label if v is not None and v.label else key


def count_words(report: AgreementReport) -> str:
    return ", ".join(f"{variable_words(report, k) if k in report.variables else k} {n}"
                     for k, n in report.n_disagreements.items() if n)


def write_report(report: AgreementReport, fmt: ReportFormat, dest: str | Path | TextIO) -> None:
    """Write ``report`` in ``fmt`` to a path (atomically) or to an open text stream."""
    text = render_report(report, fmt)
    if isinstance(dest, (str, Path)):
        write_text_atomic(dest, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    else:
        dest.write(("\ufeff" if fmt == "csv" else "") + text)


def render_report(report: AgreementReport, fmt: ReportFormat) -> str:
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "csv":
        return render_csv(report)
    if fmt == "html":
        return render_html(report)
    if fmt == "text":
        return render_text(report)
    raise ValueError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")


def cell_value(v: CoderValue) -> str:
    """A coder's value, or why there is none."""
    return v.value if v.state == "coded" and v.value is not None else STATE_TEXT.get(v.state, "")


def cell_values(d: Disagreement, names: list[str]) -> list[CoderValue]:
    missing = CoderValue(value=None, state="document_not_coded")
    return [d.values.get(n, missing) for n in names]


def _need_rows(report: AgreementReport, fmt: str) -> list[Disagreement]:
    if not report.disagreements_listed:
        raise ValueError(f"the {fmt} report lists disagreements: compute with include_disagreements=True")
    return report.disagreements


def render_csv(report: AgreementReport) -> str:
    """The disagreement list: one row per unit and variable where the coders differ."""
    names = [c.name for c in report.coders]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["document", "sha256", "start", "end", "text", "variable", "issue", *map(safe_cell, names)])
    for d in _need_rows(report, "CSV"):
        row: list[object] = [d.title, d.sha256, d.start, d.end, d.text, variable_words(report, d.variable), d.issue]
        row += [cell_value(v) for v in cell_values(d, names)]
        w.writerow([safe_cell(x) for x in row])
    return buf.getvalue()


def fmt_num(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


PAIR_HEADER = ["coders", "statements a", "statements b", "matched", "precision", "recall", "F1"]


def _pair_cells(p: DetectionPair) -> list[str]:
    """One coder pair's detection row, as the text and HTML reports show it."""
    return [f"{p.coder_a} – {p.coder_b}", str(p.n_a), str(p.n_b), str(p.n_matched), fmt_num(p.precision),
            fmt_num(p.recall), fmt_num(p.f1)]


def _variable_cells(key: str, v: VariableReport) -> list[str]:
    """One variable's summary row, as the text and HTML reports show it."""
    ci = "—" if v.alpha_ci95 is None else f"[{v.alpha_ci95[0]:.3f}, {v.alpha_ci95[1]:.3f}]"
    pct = "—" if v.percent_agreement is None else f"{100 * v.percent_agreement:.1f}%"
    return [key, v.level, str(v.n_units), str(v.n_pairable_values), fmt_num(v.krippendorff_alpha), ci, pct,
            fmt_num(v.cohen_kappa), fmt_num(v.fleiss_kappa), fmt_num(v.gwet_ac1)]


def _table(header: list[str], rows: Iterable[list[str]], indent: str = "  ") -> list[str]:
    rows = list(rows)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for k, r in enumerate([header, *rows]):
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths))]
        out.append(indent + "  ".join(cells).rstrip())
        if k == 0:
            out.append(indent + "  ".join("-" * w for w in widths))
    return out


def render_text(report: AgreementReport) -> str:
    a, u = report.alignment, report.unitizing
    lines = [f"claimcoder agreement — {len(report.coders)} coders: " + ", ".join(c.name for c in report.coders)]
    lines.append(
        f"Documents: {a.n_documents} coded; {a.n_documents_shared} shared by two or more coders "
        f"({a.n_documents_all_coders} by all); {len(a.documents_single_coder)} coded by one coder only (left out)"
    )
    lines += ["", f"1. Did they find the same statements?  (spans align at overlap ≥ {a.min_overlap:g})"]
    lines.append(
        f"  Units: {a.n_units} ({a.n_aligned_units} with two or more coders). Statements: {a.n_statements} — "
        f"{a.n_statements_matched} matched, {a.n_statements_unmatched} unmatched, {a.n_statements_split} split"
    )
    alpha_u = fmt_num(u.alpha_u) + (f"  ({u.alpha_u_undefined_reason})" if u.alpha_u_undefined_reason else "")
    lines.append(f"  Unitizing alpha (α_U): {alpha_u}")
    lines += _table(PAIR_HEADER, map(_pair_cells, u.pairs))
    lines += ["", "2. Did they code them alike?  (over aligned units; missing values allowed)"]
    rows = [_variable_cells(v.label or key, v) for key, v in report.variables.items()]
    lines += _table(["variable", "level", "units", "values", "alpha", "95% CI", "agree", "Cohen κ", "Fleiss κ", "AC1"], rows)
    notes = [f"  {v.label or key}: {undefined_sentence('krippendorff_alpha', v.undefined_reason)}"
             for key, v in report.variables.items() if v.undefined_reason]
    if notes:
        lines += ["", "Notes:", *notes]
    lines += ["", "Agreement per category (share of a category's pairable values matched by the same category):"]
    for key, v in report.variables.items():
        cats = sorted(v.per_category, key=lambda c: -c.n_values)[:10]
        more = f" … and {len(v.per_category) - len(cats)} more" if len(v.per_category) > len(cats) else ""
        shown = ", ".join(f"{c.value} {fmt_num(c.agreement, 2)}" for c in cats) or "—"
        lines.append(f"  {v.label or key}: {shown}{more}")
    total = sum(report.n_disagreements.values())
    counts = f" ({count_words(report)})" if total else ""
    lines += ["", f"Disagreements: {total}{counts}; list them with --format csv"]
    return "\n".join(lines) + "\n"


CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:70em;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:right}
th{background:#f4f4f4}td.l,th.l{text-align:left}.note{color:#666}.undef{color:#a33}
table.heat td{min-width:2.5em}table.dis td{vertical-align:top;text-align:left}.miss{color:#999;font-style:italic}
"""


def _e(x: object) -> str:
    return html.escape(str(x), quote=True)


def _heat(c: Coincidences) -> str:
    """The coincidence matrix with each cell shaded by its count (inline CSS, no script)."""
    if not c.values:
        return '<p class="note">No pairable values.</p>'
    peak = max((x for row in c.matrix for x in row), default=0.0) or 1.0
    head = "".join(f"<th>{_e(v)}</th>" for v in c.values)
    rows = []
    for v, row in zip(c.values, c.matrix):
        cells = []
        for k, x in enumerate(row):
            share = x / peak
            hue = 120 if v == c.values[k] else 0  # diagonal green, off-diagonal red
            style = f"background:hsla({hue},60%,45%,{share:.2f});color:{'#fff' if share > 0.55 else '#222'}"
            cells.append(f'<td style="{style}">{x:g}</td>')
        rows.append(f'<tr><th class="l">{_e(v)}</th>{"".join(cells)}</tr>')
    note = (f'<p class="note">Showing the {len(c.values)} most frequent of {c.n_categories} categories.</p>'
            if c.truncated else "")
    return f'<table class="heat"><tr><th></th>{head}</tr>{"".join(rows)}</table>{note}'


def _rows(header: list[str], rows: Iterable[list[str]], cls: str = "") -> str:
    th = "".join(f'<th class="l">{_e(h)}</th>' if i == 0 else f"<th>{_e(h)}</th>" for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f'<td class="l">{_e(c)}</td>' if i == 0 else f"<td>{_e(c)}</td>" for i, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f'<table class="{cls}"><tr>{th}</tr>{body}</table>'


def render_html(report: AgreementReport, *, max_disagreements: int = 500) -> str:
    a, u = report.alignment, report.unitizing
    coders = ", ".join(c.name for c in report.coders)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        f"<title>Agreement: {_e(coders)}</title><style>{CSS}</style></head><body>",
        f"<h1>Inter-coder agreement</h1><p>Coders: {_e(coders)}. Documents: {a.n_documents_shared} shared by "
        f"two or more coders ({a.n_documents_all_coders} by all); {len(a.documents_single_coder)} coded by one "
        "coder only (left out).</p>",
        "<h2>1. Did they find the same statements?</h2>",
        f'<p>{_e(a.rule)}</p><p>Units: {a.n_units} ({a.n_aligned_units} with two or more coders). Statements: '
        f"{a.n_statements}: {a.n_statements_matched} matched, {a.n_statements_unmatched} unmatched, "
        f"{a.n_statements_split} split.</p>",
        f"<p>Unitizing alpha (α<sub>U</sub>): <b>{fmt_num(u.alpha_u)}</b>"
        + (f' <span class="undef">({_e(u.alpha_u_undefined_reason)})</span>' if u.alpha_u_undefined_reason else "")
        + f'</p><p class="note">{_e(u.treatment)}</p>',
        _rows(PAIR_HEADER, map(_pair_cells, u.pairs)),
        "<h2>2. Did they code them alike?</h2>",
    ]
    summary = [_variable_cells(v.label or key, v) for key, v in report.variables.items()]
    parts.append(_rows(["variable", "level", "units", "values", "alpha", "95% CI", "agreement", "Cohen κ",
                        "Fleiss κ", "Gwet AC1"], summary))
    for key, v in report.variables.items():
        parts.append(f"<h3>{_e(v.label)} <span class=\"note\">({_e(key)}, {_e(v.level)})</span></h3>")
        for name, why in v.undefined_reasons.items():
            # the kappa that does not apply to this number of coders is expected, not a problem
            css = "note" if name in ("cohen_kappa", "fleiss_kappa") and "coders" in why else "undef"
            parts.append(f'<p class="{css}">{_e(undefined_sentence(name, why))}</p>')
        parts.append(_heat(v.confusion))
        cats = sorted(v.per_category, key=lambda c: -c.n_values)[:30]
        parts.append(_rows(["category", "pairable values", "agreement"],
                           ([c.value, f"{c.n_values:g}", fmt_num(c.agreement)] for c in cats)))
    names = [c.name for c in report.coders]
    rows = _need_rows(report, "HTML")
    parts.append(f"<h2>Disagreements ({len(rows)})</h2>")
    shown = rows[:max_disagreements]
    if len(shown) < len(rows):
        parts.append(f'<p class="note">The first {len(shown)}; the full list: --format csv.</p>')
    head = "".join(f"<th>{_e(h)}</th>" for h in ["document", "span", "text", "what differs", *names])
    body = []
    for d in shown:
        vals = "".join(
            f"<td>{_e(cell_value(v))}</td>" if v.state == "coded" else f'<td class="miss">{_e(cell_value(v))}</td>'
            for v in cell_values(d, names)
        )
        what = variable_words(report, d.variable) if d.variable else d.issue
        body.append(f"<tr><td>{_e(d.title)}</td><td>{d.start}–{d.end}</td><td>{_e(d.text)}</td><td>{_e(what)}</td>{vals}</tr>")
    parts.append(f'<table class="dis"><tr>{head}</tr>{"".join(body)}</table>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
