"""Build every kind of input the readers accept, good and bad, at test time.

Nothing is downloaded and no binary fixture is committed: DOCX files come from python-docx,
archives and zip bombs from zipfile, legacy encodings from str.encode.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx

from app.core.text import normalize_text

RUSSIAN = (
    "Путин: миротворцы остаются гарантом перемирия\r\n"
    "\r\n"
    "Президент России назвал миротворческий контингент «гарантом прекращения огня». "
    "Заместитель министра иностранных дел заявил, что миссия по-прежнему необходима.\r\n"
    "По данным журналиста, более 100 тысяч человек покинули регион с сентября.\r\n"
)
GERMAN = (
    "Baerbock: Die Mission bleibt nötig\n"
    "\n"
    "Außenministerin Annalena Baerbock äußerte sich am Freitag in Brüssel zur Lage. "
    "Über 300 Flüchtlinge seien gezählt worden, sagte sie; die Größe der Mission sei „angemessen“.\n"
)
FRENCH = (
    "Le président défend la mission de paix\n"
    "\n"
    "Le président a déclaré que la mission était « nécessaire ». Le ministre des Affaires étrangères "
    "a évoqué à Genève un problème « très grave » ; l'été dernier, déjà, il s'était exprimé. Ça coûte cher.\n"
)
ENGLISH = (
    "Peacekeepers to stay, says president\n"
    "\n"
    "The president called the contingent \u201cthe guarantor of the ceasefire\u201d on Friday. \U0001F54A\ufe0f "
    "A deputy foreign minister said the mission was still needed.\n"
)
TURKISH = (
    "Erdoğan: Barış görüşmeleri sürüyor\n"
    "\n"
    "Cumhurbaşkanı Erdoğan, İstanbul'da yaptığı açıklamada ateşkesin korunacağını söyledi. "
    "Dışişleri Bakanı ise Şubat ayında Ankara'ya gideceğini açıkladı.\n"
)
PORTUGUESE = (
    "Ministro defende a missão de paz\n"
    "\n"
    "O ministro afirmou que a missão será prolongada. «Não vamos recuar», acrescentou; a oposição "
    "pediu explicações sobre as negociações.\n"
)
# NFD input ("e" + combining acute) must come out NFC.
DECOMPOSED = "Cafe\u0301 owner quoted\r\nShe said the cafe\u0301 had closed.\r"


@dataclass
class Expected:
    """What reading one input must give: exact texts and titles, or an error containing ``error``."""

    texts: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    error: str | None = None


def write(path: Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def docx_bytes(*blocks: str | list[list[str]], title: str | None = None, heading: str | None = None) -> bytes:
    """A DOCX with an optional heading, then paragraphs (str) and tables (list of rows), in order."""
    document = docx.Document()
    if heading is not None:
        document.add_heading(heading, level=1)
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for r, row in enumerate(block):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    if title is not None:
        document.core_properties.title = title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return out.getvalue()


def bomb_member(size: int) -> bytes:
    """``size`` bytes that deflate about a thousandfold: the shape of a zip bomb."""
    return b"A" * size


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    import csv

    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def build_good_corpus(root: Path) -> dict[str, Expected]:
    """One file per supported format and encoding, keyed by the origin ``read_inputs`` reports."""
    expected: dict[str, Expected] = {}

    def add(path: Path, texts: list[str], titles: list[str]) -> None:
        expected[str(path)] = Expected(texts=[normalize_text(t) for t in texts], titles=titles)

    t = root / "text"
    add(write(t / "utf8.txt", ENGLISH), [ENGLISH], ["Peacekeepers to stay, says president"])
    add(write(t / "utf8-bom.txt", b"\xef\xbb\xbf" + ENGLISH.encode()), [ENGLISH], ["Peacekeepers to stay, says president"])
    add(write(t / "utf16le.txt", b"\xff\xfe" + RUSSIAN.encode("utf-16-le")), [RUSSIAN],
        ["Путин: миротворцы остаются гарантом перемирия"])
    add(write(t / "utf16be.txt", b"\xfe\xff" + GERMAN.encode("utf-16-be")), [GERMAN], ["Baerbock: Die Mission bleibt nötig"])
    add(write(t / "utf16le-nobom.txt", FRENCH.encode("utf-16-le")), [FRENCH], ["Le président défend la mission de paix"])
    add(write(t / "cp1251.txt", RUSSIAN, "cp1251"), [RUSSIAN], ["Путин: миротворцы остаются гарантом перемирия"])
    add(write(t / "latin1-de.txt", GERMAN.replace("„", '"').replace("“", '"'), "latin-1"),
        [GERMAN.replace("„", '"').replace("“", '"')], ["Baerbock: Die Mission bleibt nötig"])
    add(write(t / "latin1-fr.txt", FRENCH, "latin-1"), [FRENCH], ["Le président défend la mission de paix"])
    add(write(t / "cp1252-de.txt", GERMAN, "cp1252"), [GERMAN], ["Baerbock: Die Mission bleibt nötig"])
    add(write(t / "cp1254-tr.txt", TURKISH, "cp1254"), [TURKISH], ["Erdoğan: Barış görüşmeleri sürüyor"])
    add(write(t / "cp1252-pt.txt", PORTUGUESE, "cp1252"), [PORTUGUESE], ["Ministro defende a missão de paz"])
    add(write(t / "nfd.txt", DECOMPOSED), [DECOMPOSED], ["Café owner quoted"])
    add(write(t / "story.md", "# Markdown headline\n\nBody **bold**.\n"), ["# Markdown headline\n\nBody **bold**.\n"],
        ["Markdown headline"])

    d = root / "docx"
    add(write(d / "article.docx", docx_bytes("First paragraph.", [["Actor", "Stance"], ["Putin", "support"]],
                                             "Last paragraph.", heading="Ceasefire holds")),
        ["Ceasefire holds\n\nFirst paragraph.\n\nActor\tStance\nPutin\tsupport\n\nLast paragraph."], ["Ceasefire holds"])

    h = root / "html"
    add(write(h / "page.html", HTML_PAGE), [HTML_TEXT], ["Peacekeepers remain guarantors of ceasefire"])

    c = root / "tables"
    rows = [["text", "title", "date", "source", "url", "section"],
            ["Line one\r\nline two, with a comma", "First", "13 October 2023", "Daily", "https://e.org/1", "world"],
            [RUSSIAN, "Второй", "13.10.2023", "ТАСС", "", "politics"]]
    add(write(c / "articles.csv", csv_text(rows)), ["Line one\nline two, with a comma", RUSSIAN], ["First", "Второй"])
    add(write(c / "cp1251.csv", csv_text(rows, ";"), "cp1251"), ["Line one\nline two, with a comma", RUSSIAN],
        ["First", "Второй"])
    add(write(c / "articles.tsv", csv_text([r[:3] for r in rows], "\t")), ["Line one\nline two, with a comma", RUSSIAN],
        ["First", "Второй"])
    lines = [{"text": ENGLISH, "title": "One", "published": "2023-10-13T10:00:00+02:00"}, {"text": FRENCH, "extra": [1]}]
    add(write(c / "articles.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n"),
        [ENGLISH, FRENCH], ["One", "Le président défend la mission de paix"])
    add(write(c / "articles.json", json.dumps({"articles": lines})), [ENGLISH, FRENCH],
        ["One", "Le président défend la mission de paix"])

    archive = write(root / "bundle.zip", zip_bytes({
        "news/a.txt": RUSSIAN.encode("cp1251"),
        "news/b.docx": docx_bytes("Inside the archive."),
        "__MACOSX/news/._a.txt": b"\x00\x05\x16\x07resource fork",
        "news/.hidden.txt": b"hidden",
        "news/readme.odt": b"PK\x03\x04",
    }))
    expected[f"{archive}!news/a.txt"] = Expected([normalize_text(RUSSIAN)], ["Путин: миротворцы остаются гарантом перемирия"])
    expected[f"{archive}!news/b.docx"] = Expected(["Inside the archive."], ["Inside the archive."])
    return expected


HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Peacekeepers stay | The Daily Planet</title>
<meta property="og:title" content="Peacekeepers remain guarantors of ceasefire">
<meta property="og:site_name" content="The Daily Planet">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2023-10-13T09:00:00Z">
<link rel="canonical" href="https://example.org/news/peacekeepers">
<link rel="stylesheet" href="https://cdn.example.org/site.css">
<script src="https://cdn.example.org/tracker.js"></script>
<script>var secret = "SCRIPT_IN_HEAD"; document.write("SCRIPT_OUTPUT");</script>
<style>.x { content: "STYLE_TEXT" }</style>
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article>
<h1>Peacekeepers remain guarantors of ceasefire</h1>
<p>The president called the peacekeeping contingent the guarantor of the ceasefire on Friday, speaking to reporters in the capital.</p>
<script>alert("SCRIPT_IN_BODY")</script>
<noscript>NOSCRIPT_TEXT</noscript>
<p>A deputy foreign minister said the mission is still needed, adding that &quot;withdrawal is not on the table&quot; for now.</p>
<img src="https://images.example.org/photo.jpg" alt="photo">
<p>According to the journalist&#8217;s own figures, more than 100,000 refugees have left the region since the conflict began.</p>
</article>
<footer>Copyright 2023 The Daily Planet</footer>
</body></html>
"""
HTML_TEXT = (
    "Peacekeepers remain guarantors of ceasefire\n"
    "The president called the peacekeeping contingent the guarantor of the ceasefire on Friday, speaking to "
    "reporters in the capital.\n"
    'A deputy foreign minister said the mission is still needed, adding that "withdrawal is not on the table" '
    "for now.\n"
    "According to the journalist\u2019s own figures, more than 100,000 refugees have left the region since the "
    "conflict began."
)
