"""A drawn network as SVG, written from the same marks the window paints (no QtSvg needed, and
text stays text: a slide can be edited, a label searched)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from app.core.export_model import write_text_atomic
from app.core.networks.drawing import LEGEND, NEGATIVE, POSITIVE, Drawing


def svg_text(d: Drawing) -> str:
    legend_h = 22 * (len(d.legend) + (2 if d.signed else 1)) + 20
    h = max(d.height, legend_h)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{d.width:.0f}" height="{h:.0f}" '
           f'viewBox="0 0 {d.width:.0f} {h:.0f}" font-family="Helvetica, Arial, sans-serif">',
           f'<rect width="100%" height="100%" fill="#ffffff"/>']
    if d.title:
        out.append(f'<text x="16" y="28" font-size="18" font-weight="bold" fill="#222">{escape(d.title)}</text>')
    if d.note:
        out.append(f'<text x="16" y="48" font-size="12" fill="#666">{escape(d.note)}</text>')
    out.append('<g stroke-linecap="round">')
    for t in d.ties:
        out.append(f'<line x1="{t.x1:.1f}" y1="{t.y1:.1f}" x2="{t.x2:.1f}" y2="{t.y2:.1f}" stroke="{t.colour}" '
                   f'stroke-opacity="0.6" stroke-width="{t.width:.2f}"/>')
    out.append("</g><g stroke=\"#ffffff\" stroke-width=\"1.5\">")
    for n in d.nodes:
        out.append(f'<circle cx="{n.x:.1f}" cy="{n.y:.1f}" r="{n.radius:.1f}" fill="{n.colour}">'
                   f"<title>{escape(n.label)} ({n.statements} statements)</title></circle>")
    out.append("</g><g font-size=\"12\" fill=\"#111\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\" "
               "stroke-linejoin=\"round\">")
    for n in d.nodes:
        if n.show_label:
            out.append(f'<text x="{n.x + n.radius + 3:.1f}" y="{n.y + 4:.1f}">{escape(n.label)}</text>')
    out.append("</g>")
    y = 84.0
    x = d.width - LEGEND + 24
    for group, colour in d.legend:
        out.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="6" fill="{colour}"/>'
                   f'<text x="{x + 12:.0f}" y="{y + 4:.0f}" font-size="12" fill="#333">{escape(group)}</text>')
        y += 22
    if d.ties:
        for colour, what in ((POSITIVE, "agreement / positive tie"), (NEGATIVE, "conflict / negative tie"))[: 2 if d.signed else 1]:
            out.append(f'<line x1="{x - 6:.0f}" y1="{y:.0f}" x2="{x + 6:.0f}" y2="{y:.0f}" stroke="{colour}" stroke-width="3"/>'
                       f'<text x="{x + 12:.0f}" y="{y + 4:.0f}" font-size="12" fill="#333">{escape(what)}</text>')
            y += 22
    out.append("</svg>\n")
    return "\n".join(out)


def write_svg(path: Path, d: Drawing) -> None:
    write_text_atomic(path, svg_text(d))


__all__ = ["svg_text", "write_svg"]
