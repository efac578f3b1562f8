"""Rebuild Qt's ICU data library (libicudata.so.NN, 31 MB) with only the data a claimcoder
session can reach, for the Linux bundle.

Qt links ICU for collation, locale-aware case mapping and time zones; the data library holds all
of ICU's data for every locale: 5 MB of code-page converters Qt only opens for codecs we never
ask for (our readers decode in Python), 3 MB of CJK/Thai word dictionaries, transliterators, and
the display names of units, currencies, languages and regions in some 800 locales. We keep every
item that is not tied to a locale (normalisation, properties, the time-zone database, break
rules, the shared key pool, collation for every locale), and of the other per-locale trees (display
names, number spelling) the root and English locales; a lookup of another locale there falls
back to root, ICU's ordinary fallback. Core character properties and case mapping
are compiled into libicuuc, not this file.

The common-data package format (ICU's udata: a header, a table of contents of name and data
offsets, then the items) is read from the library's one exported symbol, icudtNN_dat, and
written again with the kept items; a C compiler turns it back into a shared library with the
same soname and symbol. Without a compiler the spec ships the original.

    python packaging/icu_subset.py IN.so OUT.so
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_([A-Z]{2}|\d{3}))?(_[A-Za-z0-9]+)*$")
NOT_LOCALES = {"root", "res_index", "pool"}


def keep_item(name: str) -> bool:
    """``name`` is an item of the package, e.g. ``icudt73l/coll/de.res``."""
    parts = name.split("/")[1:]
    if not parts:
        return True
    leaf = parts[-1]
    stem, _, suffix = leaf.rpartition(".")
    if suffix in ("cnv", "dict") or parts[0] == "translit":
        return False
    if parts[0] == "coll":
        return True  # collation of every locale (3 MB): sorting must stay right for every user
    if suffix == "res" and stem not in NOT_LOCALES and LOCALE.match(stem):
        return stem == "en" or stem.startswith("en_")
    return True


def _elf_symbol(data: bytes, prefix: bytes) -> tuple[str, int, int, str]:
    """(symbol name, file offset, size, soname) of the data symbol in a 64-bit little-endian ELF."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    dynsym = next(s for s in sections if s[1] == 11)  # SHT_DYNSYM
    strtab = sections[dynsym[6]]
    dynamic = next(s for s in sections if s[1] == 6)  # SHT_DYNAMIC

    def string(offset: int) -> bytes:
        start = strtab[4] + offset
        return data[start:data.index(b"\0", start)]

    soname = ""
    for i in range(dynamic[5] // 16):
        tag, value = struct.unpack_from("<qQ", data, dynamic[4] + 16 * i)
        if tag == 14:  # DT_SONAME
            soname = string(value).decode()
    for i in range(dynsym[5] // 24):
        st_name, _info, _other, shndx, value, size = struct.unpack_from("<IBBHQQ", data, dynsym[4] + 24 * i)
        name = string(st_name)
        if name.startswith(prefix) and name.endswith(b"_dat") and shndx:
            section = sections[shndx]
            return name.decode(), value - section[3] + section[4], size, soname
    raise ValueError("no icudt*_dat symbol")


def subset_package(blob: bytes) -> tuple[bytes, int, int]:
    """The package with only the kept items; also (items before, items after)."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    count, = struct.unpack_from("<I", blob, header_size)
    toc = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(toc):
        start = header_size + name_offset
        name = blob[start:blob.index(b"\0", start)]
        end = header_size + (toc[i + 1][1] if i + 1 < count else len(blob) - header_size)
        items.append((name, blob[header_size + data_offset:end]))
    kept = [(n, d) for n, d in items if keep_item(n.decode())]
    # Layout as ICU's pkgdata writes it: header, count, entries, names, then the items, each
    # 16-byte aligned; offsets are relative to the table of contents (the end of the header).
    names_start = 4 + 8 * len(kept)
    names = b""
    name_offsets = []
    for name, _ in kept:
        name_offsets.append(names_start + len(names))
        names += name + b"\0"
    body_start = names_start + len(names)
    pad = (-(header_size + body_start)) % 16
    body = b""
    data_offsets = []
    for _, item in kept:
        body += b"\0" * ((-(header_size + body_start + pad + len(body))) % 16)
        data_offsets.append(body_start + pad + len(body))
        body += item
    table = struct.pack("<I", len(kept)) + b"".join(
        struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True))
    return blob[:header_size] + table + names + b"\0" * pad + body, count, len(kept)


def build(source: Path, target: Path, cc: str | None = None) -> tuple[int, int]:
    """Write the reduced library to ``target``; returns (items before, items after)."""
    cc = cc or shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        raise RuntimeError("no C compiler (cc) to build the reduced ICU data library")
    data = source.read_bytes()
    symbol, offset, size, soname = _elf_symbol(data, b"icudt")
    package, before, after = subset_package(data[offset:offset + size])
    with tempfile.TemporaryDirectory() as tmp:
        blob = Path(tmp) / "icu.dat"
        blob.write_bytes(package)
        asm = Path(tmp) / "icu.S"
        asm.write_text(
            f'.section .rodata\n.globl {symbol}\n.type {symbol}, @object\n.balign 16\n{symbol}:\n'
            f'.incbin "{blob.as_posix()}"\n.size {symbol}, . - {symbol}\n'
            '.section .note.GNU-stack,"",@progbits\n', encoding="ascii")
        subprocess.run([cc, "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-o", str(target), str(asm)],
                       check=True, capture_output=True)
    return before, after

def check(reduced: Path, icu_dir: Path) -> None:
    """Load the reduced library beside the wheel's libicuuc/libicui18n and use it as Qt would:
    ICU initialises, collation opens for English, German and Turkish (with Turkish's own
    rules), UTF-8 conversion works, a time zone has its offset. Run it in a process of its
    own (``--check``): it replaces the ICU data of the process it runs in."""
    import ctypes

    version = reduced.name.rsplit(".", 1)[1]
    # The reduced library first, under the soname libicuuc needs: the loader then uses it.
    ctypes.CDLL(str(reduced), mode=ctypes.RTLD_GLOBAL)
    uc = ctypes.CDLL(str(icu_dir / f"libicuuc.so.{version}"), mode=ctypes.RTLD_GLOBAL)
    i18n = ctypes.CDLL(str(icu_dir / f"libicui18n.so.{version}"), mode=ctypes.RTLD_GLOBAL)

    def fn(lib: ctypes.CDLL, name: str):  # type: ignore[no-untyped-def]
        return getattr(lib, f"{name}_{version}")

    status = ctypes.c_int(0)
    fn(uc, "u_init")(ctypes.byref(status))
    assert status.value == 0

    def uchars(text: str) -> tuple[ctypes.Array[ctypes.c_uint16], int]:
        units = text.encode("utf-16-le")
        codes = [int.from_bytes(units[i:i + 2], "little") for i in range(0, len(units), 2)]
        return (ctypes.c_uint16 * len(codes))(*codes), len(codes)

    ucol_open = fn(i18n, "ucol_open")
    ucol_open.restype = ctypes.c_void_p
    strcoll = fn(i18n, "ucol_strcoll")
    strcoll.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
    for locale in (b"en_GB", b"de", b"tr"):
        status = ctypes.c_int(0)
        collator = ucol_open(locale, ctypes.byref(status))
        assert collator and status.value <= 0, (locale, status.value)  # warnings (< 0) are fallbacks
        assert strcoll(collator, *uchars("äpfel"), *uchars("Zebra")) == -1  # ä sorts with a, not after z
    status = ctypes.c_int(0)
    collator = ucol_open(b"tr", ctypes.byref(status))
    assert status.value == 0  # Turkish's own tailoring is there, not a fallback

    ucnv_open = fn(uc, "ucnv_open")
    ucnv_open.restype = ctypes.c_void_p
    status = ctypes.c_int(0)
    assert ucnv_open(b"UTF-8", ctypes.byref(status)) and status.value == 0

    ucal_open = fn(i18n, "ucal_open")
    ucal_open.restype = ctypes.c_void_p
    ucal_get = fn(i18n, "ucal_get")
    ucal_get.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
    status = ctypes.c_int(0)
    calendar = ucal_open(*uchars("Asia/Kolkata"), b"en_US", 0, ctypes.byref(status))
    assert status.value == 0
    assert ucal_get(calendar, 15, ctypes.byref(status)) == 19_800_000  # UCAL_ZONE_OFFSET: +5:30, no DST


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check"]:
        check(Path(sys.argv[2]), Path(sys.argv[3]))
        print("ICU data: collation, conversion and time zones work")
    else:
        b, a = build(Path(sys.argv[1]), Path(sys.argv[2]))
        print(f"ICU data: kept {a} of {b} items; {Path(sys.argv[2]).stat().st_size / 1e6:.1f} MB")
