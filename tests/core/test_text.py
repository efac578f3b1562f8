"""Contract 1: normalisation, identity and offsets, including UTF-16 conversion for the GUI."""

from __future__ import annotations

import hashlib
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.core.text import Utf16Map, is_normalized, normalize_text, sha256_text

EMOJI_FAMILY = "\U0001F469\u200d\U0001F469\u200d\U0001F467"  # 3 astral code points + 2 joiners
CJK_EXT_B = "\U0002000B"
COMBINING = "e\u0301"  # e + combining acute → é under NFC


def test_normalize_removes_bom_and_unifies_line_endings() -> None:
    assert normalize_text("\ufeffa\r\nb\rc\nd") == "a\nb\nc\nd"


def test_normalize_is_nfc() -> None:
    assert normalize_text(COMBINING) == "\u00e9"
    assert normalize_text("Ангстрем \u212b") == "Ангстрем \u00c5"  # ANGSTROM SIGN → Å


def test_only_a_leading_bom_is_removed() -> None:
    assert normalize_text("a\ufeffb") == "a\ufeffb"


def test_sha256_is_of_the_utf8_text() -> None:
    text = "Путин 😀"
    assert sha256_text(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    # the published SHA-256 of the empty string
    assert sha256_text("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@given(st.text())
def test_normalize_is_idempotent_and_normalized(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once
    assert is_normalized(once)
    assert "\r" not in once
    assert unicodedata.is_normalized("NFC", once)


@given(st.text(), st.text())
def test_code_point_slicing_is_the_statement(prefix: str, span: str) -> None:
    text = prefix + span
    assert text[len(prefix) : len(prefix) + len(span)] == span


def test_utf16_map_on_astral_characters() -> None:
    text = f"a{EMOJI_FAMILY} {CJK_EXT_B}b"
    m = Utf16Map(text)
    assert m.length_utf16 == len(text.encode("utf-16-le")) // 2
    b = text.index("b")
    assert m.to_utf16(b) == len(text[:b].encode("utf-16-le")) // 2
    assert m.from_utf16(m.to_utf16(b)) == b
    # the middle of a surrogate pair snaps to the character's start, or its end with round_up
    first_emoji_u16 = 1
    assert m.from_utf16(first_emoji_u16 + 1) == 1
    assert m.from_utf16(first_emoji_u16 + 1, round_up=True) == 2


@given(st.text())
def test_utf16_round_trip(text: str) -> None:
    m = Utf16Map(text)
    assert m.length_utf16 == len(text.encode("utf-16-le")) // 2
    for i in range(len(text) + 1):
        u = m.to_utf16(i)
        assert u == len(text[:i].encode("utf-16-le")) // 2
        assert m.from_utf16(u) == i


@given(st.text(min_size=1), st.data())
def test_from_utf16_never_splits_a_character(text: str, data: st.DataObject) -> None:
    m = Utf16Map(text)
    pos = data.draw(st.integers(0, m.length_utf16))
    cp = m.from_utf16(pos)
    assert 0 <= cp <= len(text)
    assert m.to_utf16(cp) <= pos
    up = m.from_utf16(pos, round_up=True)
    assert m.to_utf16(up) >= pos


# Every C0 control but tab, line feed and carriage return, by hand from Contract 1: VT (0x0B)
# and FF (0x0C) become line feeds, the other 27 go.
_DROPPED = [chr(c) for c in (*range(0x00, 0x09), *range(0x0E, 0x20))]


def test_each_control_is_removed_from_a_short_field_and_a_long_article() -> None:
    for body in ("a b", "word " * 100):  # under and over the length where the scan changes method
        for ch in _DROPPED:
            assert normalize_text(body + ch + "end") == body + "end", repr(ch)
            assert not is_normalized(body + ch + "end")
        for ch in "\x0b\x0c":
            assert normalize_text(body + ch + "end") == body + "\nend"
        assert normalize_text(body + "\t\nend") == body + "\t\nend"
        assert is_normalized(body + "\t\nend")
