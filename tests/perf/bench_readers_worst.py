#!/usr/bin/env python
"""Every reader on a worst-case file just under its size limit: time and peak memory.

    .venv/bin/python tests/perf/bench_readers_worst.py               # every case, at the limits
    .venv/bin/python tests/perf/bench_readers_worst.py --only html   # the cases whose name has "html"
    .venv/bin/python tests/perf/bench_readers_worst.py --scale 0.1   # files a tenth of the limit

The promise (issue 12): any file under its reader's limit is read, or refused, within ~10 s and
500 MB. "Worst case" means the shape that costs a reader most per byte: one endless line of tiny
HTML tags, a table of one-character rows, a JSON array of empty objects, a paragraph forty times
the article limit, 100,000 archive members. Each case runs in a child process (peak memory is
the child's maximum resident set, which counts lxml's C allocations that tracemalloc misses),
with its address space capped and a timeout, so a reader that blows up cannot take the machine
down with it: such a case is reported as OVER.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.io.readers import MAX_ARTICLE_CHARS, Limits, ReadOptions, read_inputs  # noqa: E402

BUDGET_SECONDS = 10.0
BUDGET_MB = 500.0
CAP_BYTES = 2 * 1024**3  # address space of a child: enough to see "over 500 MB", not to swap
TIMEOUT = 60.0
CHUNK = 1 << 20


def _repeat(path: Path, size: int, unit: bytes, head: bytes = b"", tail: bytes = b"") -> None:
    """``head`` + ``unit`` repeated + ``tail``, at most ``size`` bytes, written in chunks."""
    body = size - len(head) - len(tail)
    block = unit * max(1, CHUNK // len(unit))
    with path.open("wb") as fh:
        fh.write(head)
        left = body // len(unit) * len(unit)
        while left > 0:
            piece = block[:left]
            fh.write(piece)
            left -= len(piece)
        fh.write(tail)


def _random_words(rng: random.Random, n: int) -> Iterator[bytes]:
    words = [b"ceasefire", b"mission", b"minister", b"said", b"the", b"refugees", b"peace", b"region"]
    for _ in range(n):
        yield b" ".join(rng.choices(words, k=12)) + b" " + str(rng.random()).encode()


# name -> (suffix, the limit (a field of Limits, or a number), writer(path, size))
Case = tuple[str, str | int, Callable[[Path, int], None]]


def _docx(path: Path, size: int, *, xml_unit: bytes, media: int = 0) -> None:
    """A Word file whose document.xml is ``xml_unit`` repeated to ``size`` bytes (stored with
    enough random text to compress under the zip-bomb ratio), plus ``media`` random bytes."""
    rng = random.Random(7)
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    tail = b"</w:body></w:document>"
    types = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
             b'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             b'wordprocessingml.document.main+xml"/></Types>')
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        with archive.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(head)
            written = len(head) + len(tail)
            words = _random_words(rng, 10**9)
            while written < size:
                block = b"".join(xml_unit.replace(b"WORDS", next(words)) for _ in range(40))
                fh.write(block)
                written += len(block)
            fh.write(tail)
        if media:
            archive.writestr(zipfile.ZipInfo("word/media/image1.png"), os.urandom(media),
                             compress_type=zipfile.ZIP_STORED)


def _zip_members(path: Path, size: int) -> None:
    """The archive-entry limit's worth of tiny text members."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for i in range(min(Limits().archive_members, max(size // 200, 100))):
            archive.writestr(f"a/{i:06d}.txt", f"Article {i}\n\nThe minister said the mission stays.\n")


def _json_array(path: Path, size: int, unit: bytes) -> None:
    _repeat(path, size, unit + b",", head=b"[", tail=unit + b"]")


CASES: dict[str, Case] = {
    "txt: one line of ASCII": (".txt", "text_file_bytes", lambda p, n: _repeat(p, n, b"a")),
    "txt: emoji (4 bytes a character)": (".txt", "text_file_bytes", lambda p, n: _repeat(p, n, "😀".encode())),
    "txt: CRLF lines": (".txt", "text_file_bytes", lambda p, n: _repeat(p, n, b"ab\r\n")),
    "txt: not UTF-8 (detection)": (".txt", "text_file_bytes", lambda p, n: _repeat(p, n, b"caf\xe9 na\xefve \x8f\x90 ")),
    "txt: bytes no code page explains": (".txt", "text_file_bytes", lambda p, n: _repeat(p, n, b"\xa4\xa6\xb6 ")),
    "txt: UTF-16 without BOM": (".txt", "text_file_bytes", lambda p, n: _repeat(p, n, "word ".encode("utf-16-le"))),
    "html: one line of tiny tags": (".html", "html_file_bytes", lambda p, n: _repeat(
        p, n, b"<p>x</p>", head=b"<html><body><article>", tail=b"</article></body></html>")),
    "html: one huge paragraph": (".html", "html_file_bytes", lambda p, n: _repeat(
        p, n, b"word ", head=b"<html><body><p>", tail=b"</p></body></html>")),
    "html: deep nesting": (".html", "html_file_bytes", lambda p, n: _repeat(p, n, b"<div>x", head=b"<html><body>")),
    "html: many attributes": (".html", "html_file_bytes", lambda p, n: _repeat(
        p, n, b' a="b"', head=b"<html><body><p", tail=b">text</p></body></html>")),
    "html: tiny tags, under the element limit": (".html", "html_elements", lambda p, n: _repeat(
        p, n * 8, b"<p>x</p>", head=b"<html><body><article>", tail=b"</article></body></html>")),
    "html: a paragraph under the article limit": (".html", MAX_ARTICLE_CHARS, lambda p, n: _repeat(
        p, n, b"word ", head=b"<html><body><p>", tail=b"</p></body></html>")),
    "docx: tiny paragraphs": (".docx", "docx_xml_bytes", lambda p, n: _docx(
        p, n - (64 << 10), xml_unit=b"<w:p><w:r><w:t>x</w:t></w:r></w:p><w:p><w:r><w:t>WORDS</w:t></w:r></w:p>")),
    "docx: tiny paragraphs, under the tag limit": (".docx", "docx_tags", lambda p, n: _docx(  # ~12 tags per ~170 bytes
        p, n // 12 * 160, xml_unit=b"<w:p><w:r><w:t>x</w:t></w:r></w:p><w:p><w:r><w:t>WORDS</w:t></w:r></w:p>")),
    "docx: big picture, small text": (".docx", "docx_file_bytes", lambda p, n: _docx(
        p, 4096, xml_unit=b"<w:p><w:r><w:t>WORDS</w:t></w:r></w:p>", media=n - (1 << 20))),
    "csv: one-character rows": (".csv", "table_file_bytes", lambda p, n: _repeat(p, n, b"a\n", head=b"text\n")),
    "csv: one huge cell": (".csv", "table_file_bytes", lambda p, n: _repeat(p, n, b"word ", head=b"text\n")),
    "csv: many columns": (".csv", "table_file_bytes", lambda p, n: _repeat(
        p, n, b",", head=b"text" + b"".join(b",c%d" % i for i in range(1000)) + b"\n")),
    "jsonl: tiny objects": (".jsonl", "table_file_bytes", lambda p, n: _repeat(p, n, b'{"text":"a"}\n')),
    "jsonl: one huge line": (".jsonl", "table_file_bytes", lambda p, n: _repeat(
        p, n, b"[],", head=b'{"text":"a","m":[', tail=b"[]]}")),
    "json: array of tiny objects": (".json", "table_file_bytes", lambda p, n: _json_array(p, n, b'{"text":"a"}')),
    "json: array of empty lists": (".json", "table_file_bytes", lambda p, n: _json_array(p, n, b"[]")),
    "json: tiny objects, under the value limit": (".json", "json_values", lambda p, n: _json_array(
        p, n // 4 * 14, b'{"text":"a"}')),  # 3 values a unit ({ : ,), with room
    "jsonl: a line under the value limit": (".jsonl", "json_values", lambda p, n: _repeat(
        p, n // 2 * 3, b"[],", head=b'{"text":"a","m":[', tail=b"[]]}")),  # 2 values a unit: [ ,
    "zip: the most members": (".zip", "archive_file_bytes", _zip_members),
}


def run_child(path: Path) -> None:
    """Read one file as ``claimcoder import`` would (archives member by member) and report."""
    start = time.perf_counter()
    docs, errors = 0, []
    for result in read_inputs([path], ReadOptions()):
        docs += len(result.documents)
        if result.error:
            errors.append(result.error)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    outcome = f"{docs:,} articles" if not errors else f"refused: {errors[0]}" + (
        f" (+{len(errors) - 1} more)" if len(errors) > 1 else "")
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "outcome": outcome}))


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the cases whose name contains this text")
    parser.add_argument("--scale", type=float, default=1.0, help="file size as a fraction of the limit")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child)
        return
    limits = Limits()
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, (suffix, field, write) in CASES.items():
            if args.only.lower() not in name.lower():
                continue
            limit = field if isinstance(field, int) else getattr(limits, field)
            size = min(int(limit * args.scale) - 1024, 4096 * 1024 * 1024 if suffix == ".zip" else limit)
            path = Path(tmp) / f"case{suffix}"
            write(path, size)
            on_disk = path.stat().st_size
            try:
                res = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True,
                                     text=True, timeout=TIMEOUT, preexec_fn=_cap)
                line = res.stdout.strip().splitlines()[-1] if res.stdout.strip() else ""
                got = json.loads(line) if line.startswith("{") else None
            except subprocess.TimeoutExpired:
                got, res = None, None
            path.unlink()
            if got is None:
                why = f"killed after {TIMEOUT:.0f} s" if res is None else (
                    "out of memory (over the 2 GB cap)" if "MemoryError" in res.stderr
                    else f"crashed: {(res.stderr.strip().splitlines() or ['?'])[-1][:120]}")
                print(f"{name:<44} {on_disk / 2**20:8.1f} MB   OVER: {why}", flush=True)
                failed += 1
                continue
            over = got["seconds"] > BUDGET_SECONDS or got["peak_mb"] > BUDGET_MB
            failed += over
            print(f"{name:<44} {on_disk / 2**20:8.1f} MB {got['seconds']:7.2f} s {got['peak_mb']:7.0f} MB"
                  f"  {'OVER' if over else 'ok'}  {got['outcome'][:110]}", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
