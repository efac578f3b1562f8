"""Candidate statements: quotations and reported speech that a coder will probably code.

Pure functions: the window hands in the text, its sentences (from Qt's segmenter) and the
actor mentions (:mod:`app.core.mentions`); this module says where candidates are and whom
they are probably by. A candidate is only ever a suggestion: it becomes a statement when the
coder presses Enter on it.

Reported speech is found by cue words in five languages: a *verb* of saying ("said", "sagte",
"a déclaré", "заявил", "afirmó"), optionally followed by a complementiser ("that", "dass",
"que", "что"), or a *source* phrase before the speaker ("according to", "laut", "selon",
"по словам", "según"). Supervisors extend the lists with the project setting
``candidate_cues`` (see :func:`merge_cues`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from app.core.mentions import Mention
from app.core.spans import quotations, trim_span

Span = tuple[int, int]
MIN_WORDS = 3  # shorter quotations are mostly scare quotes ("the so-called 'plan'")


@dataclass(frozen=True, slots=True)
class Cues:
    verbs: tuple[str, ...] = ()  # "said": the content follows (after "that") or precedes
    sources: tuple[str, ...] = ()  # "according to": the speaker follows, the content is the rest
    complementisers: tuple[str, ...] = ()  # "that": the content starts after it
    bare: tuple[str, ...] = ()  # verbs whose content may follow with no "that" ("said the plan failed")
    # directive and accusation verbs whose whole sentence is the claim when no content can be
    # cut out of it ("She called on China to contribute.", "X accused the government of …")
    whole: tuple[str, ...] = ()
    # naming verbs: a quotation they introduce is the claim together with what it names, from
    # the verb on ("called the contingent "the only guarantor of the ceasefire"")
    naming: tuple[str, ...] = ()


CUES: dict[str, Cues] = {
    "en": Cues(
        verbs=("said", "says", "told", "tells", "stressed", "stresses", "added", "warned", "argued", "claimed",
               "insisted", "noted", "explained", "announced", "urged", "demanded", "accused", "insists",
               "called for", "pointed out", "declared", "stated", "believes", "maintained", "admitted",
               "promised", "predicted", "rejected", "criticised", "criticized", "denied", "asserted"),
        sources=("according to", "in the words of", "in the view of"),
        complementisers=("that",),
        bare=("said", "says", "added", "warned", "argued", "insisted", "noted", "believes", "claimed", "stressed"),
        whole=("called on", "calls on", "called for", "calls for", "urged", "urges", "demanded", "demands",
               "accused", "accuses", "asked", "asks", "appealed to", "appeals to", "blamed", "blames",
               "condemned", "condemns", "criticised", "criticized", "criticises", "criticizes"),
        naming=("called", "calls", "described", "describes", "termed", "branded", "labelled", "labeled", "dubbed"),
    ),
    "de": Cues(
        verbs=("sagte", "sagt", "erklärte", "erklärt", "betonte", "betont", "forderte", "fordert", "kritisierte",
               "warnte", "warnt", "meinte", "sagten", "erklärten", "kündigte an", "versprach", "behauptete",
               "räumte ein", "wies darauf hin", "teilte mit", "unterstrich"),
        sources=("laut", "zufolge", "nach Angaben von", "nach Ansicht von"),
        complementisers=("dass", "daß"),
        bare=("sagte", "sagt", "erklärte", "betonte", "meinte", "warnte"),
        whole=("forderte", "fordert", "forderten", "verlangte", "verlangt", "appellierte", "appelliert",
               "beschuldigte", "beschuldigt", "kritisierte", "kritisiert", "verurteilte", "verurteilt"),
        naming=("nannte", "nennt", "bezeichnete", "bezeichnet"),
    ),
    "fr": Cues(
        verbs=("a déclaré", "a dit", "a affirmé", "a souligné", "a ajouté", "a averti", "a estimé", "a assuré",
               "a annoncé", "a expliqué", "a indiqué", "a précisé", "a dénoncé", "a réclamé", "déclare", "affirme",
               "souligne", "estime", "explique", "a-t-il dit", "a-t-elle dit", "a-t-il déclaré",
               "a-t-elle déclaré", "a-t-il ajouté", "a-t-elle ajouté"),
        sources=("selon", "d'après", "d’après", "aux yeux de"),
        complementisers=("que", "qu'", "qu’"),
        whole=("a appelé", "a exhorté", "a exigé", "a réclamé", "a demandé", "a accusé", "a dénoncé", "a critiqué",
               "a condamné", "appelle", "exhorte", "exige", "accuse", "dénonce"),
        naming=("a qualifié", "a traité", "qualifie", "a décrit", "décrit"),
    ),
    "ru": Cues(
        verbs=("заявил", "заявила", "заявили", "сказал", "сказала", "сказали", "отметил", "отметила",
               "подчеркнул", "подчеркнула", "сообщил", "сообщила", "сообщили", "считает", "добавил", "добавила",
               "предупредил", "предупредила", "признал", "признала", "пообещал", "пообещала", "потребовал",
               "потребовала", "обвинил", "обвинила", "уверен", "уверена"),
        sources=("по словам", "по мнению", "по данным", "как сообщил", "как заявил"),
        complementisers=("что",),
        whole=("призвал", "призвала", "призвали", "потребовал", "потребовала", "потребовали", "обвинил", "обвинила",
               "обвинили", "попросил", "попросила", "попросили", "осудил", "осудила", "осудили",
               "раскритиковал", "раскритиковала", "раскритиковали"),
        naming=("назвал", "назвала", "назвали", "называет"),
    ),
    "es": Cues(
        verbs=("dijo", "afirmó", "declaró", "señaló", "aseguró", "subrayó", "advirtió", "añadió", "explicó",
               "anunció", "insistió", "destacó", "reclamó", "exigió", "denunció", "sostuvo", "indicó",
               "manifestó", "afirma", "asegura", "dice"),
        sources=("según", "de acuerdo con", "en palabras de"),
        complementisers=("que",),
        whole=("pidió", "exigió", "instó", "reclamó", "acusó", "llamó a", "criticó", "condenó", "denunció",
               "pide", "exige", "insta", "acusa", "critica"),
        naming=("calificó", "llamó", "describió", "tildó", "califica"),
    ),
}


def merge_cues(extra: Mapping[str, Any] | None) -> dict[str, Cues]:
    """The built-in cues plus a supervisor's additions, e.g. the project setting
    ``{"en": {"verbs": ["conceded"], "sources": ["as reported by"]}, "pl": {"verbs": ["powiedział"]}}``.
    The lists are ``verbs``, ``sources``, ``complementisers``, ``bare``, ``whole`` and ``naming``
    (see :class:`Cues`). Unknown keys and non-string entries are ignored: a setting typed by hand must not break coding."""
    out = dict(CUES)
    for lang, lists in (extra or {}).items():
        if not isinstance(lists, Mapping):
            continue
        base = out.get(str(lang), Cues())

        def more(field: str, have: tuple[str, ...]) -> tuple[str, ...]:
            add = lists.get(field, [])
            return have + tuple(x.strip() for x in add if isinstance(x, str) and x.strip()) if isinstance(add, list) else have

        verbs = more("verbs", base.verbs)
        # A supervisor's verb may take its content with or without "that": one list to fill in.
        bare = more("bare", base.bare) + verbs[len(base.verbs):]
        out[str(lang)] = Cues(verbs, more("sources", base.sources), more("complementisers", base.complementisers), bare,
                              more("whole", base.whole), more("naming", base.naming))
    return out


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    kind: Literal["quotation", "reported", "sentence"]
    cue: str  # the cue phrase found ("said"), or the quotation marks
    speaker: str | None  # the canonical name of the nearest actor mention, a suggestion


class _Patterns:
    def __init__(self, cues: Mapping[str, Cues]) -> None:
        verbs = {v for c in cues.values() for v in c.verbs}
        sources = {s for c in cues.values() for s in c.sources}
        comps = {x for c in cues.values() for x in c.complementisers}
        self.verb = _alternation(verbs)
        self.source = _alternation(sources)
        self.comp = _alternation(comps)
        self.bare = {b.casefold() for c in cues.values() for b in c.bare}
        self.whole = _alternation({w for c in cues.values() for w in c.whole})
        self.naming = _alternation({w for c in cues.values() for w in c.naming}, hyphen=False)


def _alternation(phrases: set[str], hyphen: bool = True) -> re.Pattern[str] | None:
    """One pattern for the phrases, longest first, each a whole word (an elided "qu'" may be
    glued to the next word); spaces in a phrase match any run of white space. ``hyphen=False``:
    not right after a hyphen either ("so-called" is no naming verb)."""
    if not phrases:
        return None
    alts = [re.escape(p).replace(r"\ ", r"\s+") + (r"(?!\w)" if p[-1].isalnum() else "")
            for p in sorted(phrases, key=len, reverse=True)]
    return re.compile((r"(?<![\w-])" if not hyphen else r"(?<!\w)") + "(?:" + "|".join(alts) + ")", re.IGNORECASE)


def find_candidates(text: str, sentences: Sequence[Span], mentions: Sequence[Mention] = (),
                    cues: Mapping[str, Cues] | None = None) -> list[Candidate]:
    """Quotations of at least ``MIN_WORDS`` words (outermost only, and not one whose words
    recur in a longer quotation of the text), then reported speech in sentences no quotation
    already covers, each with a suggested speaker; in text order.

    A quotation introduced by a naming verb in its sentence ("called the contingent "…"")
    starts at that verb. A sentence whose cue is a directive or accusation verb with no
    content of its own to cut out ("She called on China to contribute.") is a candidate as a
    whole (kind ``sentence``), full stop included, as a coder selects it with Alt+S."""
    patterns = _Patterns(CUES if cues is None else cues)
    found: list[Candidate] = []
    taken: list[Span] = []
    quotes = [q for q in _outermost(quotations(text)) if _words(text[q[0] : q[1]]) >= MIN_WORDS]
    kept = _unrepeated(text, quotes)
    taken.extend(q for q in quotes if q not in kept)  # a repeat: its sentence is no candidate either
    for qs, qe in kept:
        speaker = _speaker(text, (qs, qe), sentences, mentions, verb=patterns.verb)
        start = _named_from(text, qs, sentences, patterns.naming)
        found.append(Candidate(start, qe, "quotation", text[qs] + text[qe - 1], speaker))
        taken.append((start, qe))
    for s0, s1 in sentences:
        if any(s0 < te and ts < s1 for ts, te in taken):
            continue  # a quoted sentence's verb attributes the quotation ("…," said X)
        span_cue = _reported(text, s0, s1, patterns)
        if span_cue is None:
            whole = _whole(text, s0, s1, patterns.whole)
            if whole is not None:
                (a, b), cue, verb_at = whole
                found.append(Candidate(a, b, "sentence", cue, _subject(text, (a, b), verb_at, sentences, mentions)))
            continue
        (a, b), cue = span_cue
        if any(a < te and ts < b for ts, te in taken) or _words(text[a:b]) < MIN_WORDS:
            continue
        found.append(Candidate(a, b, "reported", cue, _speaker(text, (a, b), sentences, mentions, within=(s0, s1),
                                                               verb=patterns.verb)))
    return sorted(found, key=lambda c: (c.start, c.end))


def _inner(text: str, span: Span) -> str:
    """A quotation's words, marks and punctuation dropped, case folded: what it says."""
    return " ".join(re.findall(r"\w+", text[span[0] : span[1]].casefold()))


def _unrepeated(text: str, quotes: list[Span]) -> list[Span]:
    """``quotes`` without those whose words recur inside a longer quotation of the same text:
    a headline or teaser repeating the body's quotation is the same claim, coded once, where
    the body says it in full."""
    inner = [_inner(text, q) for q in quotes]
    return [q for q, words in zip(quotes, inner)
            if not any(len(other) > len(words) and f" {words} " in f" {other} " for other in inner)]


NAMING_GAP = 12  # most words between a naming verb and the quotation it introduces


def _named_from(text: str, qs: int, sentences: Sequence[Span], naming: re.Pattern[str] | None) -> int:
    """Where a quotation's candidate starts: at the naming verb that introduces it in its
    sentence ("called X "…"", "nannte X „…“"), with no clause punctuation and at most
    ``NAMING_GAP`` words between them; else at the quotation's opening mark."""
    if naming is None:
        return qs
    s0 = next((a for a, b in sentences if a <= qs < b), None)
    if s0 is None:
        return qs
    gaps = [(m.start(), text[m.end() : qs]) for m in naming.finditer(text, s0, qs)]
    starts = [at for at, gap in gaps if not any(ch in ",;:—–()\n\"“”„«»" for ch in gap) and _words(gap) <= NAMING_GAP]
    return starts[-1] if starts else qs


# Words that, right before a directive or accusation verb, make it a passive or a subordinate
# participle rather than what a speaker did.
NOT_A_SUBJECT = frozenset("was were been being is are be when if once after before while wurde wurden worden été".split())


def _whole(text: str, s0: int, s1: int, whole: re.Pattern[str] | None) -> tuple[Span, str, int] | None:
    """The sentence ``s0..s1`` as a candidate when a directive or accusation verb is in it with
    a subject before it ("She called on …"; not a participle opening it: "Asked about …")."""
    if whole is None:
        return None
    m = whole.search(text, s0, s1)
    if m is None or _words(text[s0 : m.start()]) == 0:
        return None
    before = text[s0 : m.start()].split()
    if before[-1].casefold() in NOT_A_SUBJECT:
        return None  # "He was accused of …", "When asked, he declined": nobody here demands or accuses
    a, b = trim_span(text, s0, s1)
    if _words(text[a:b]) < MIN_WORDS:
        return None
    return (a, b), " ".join(m.group(0).split()), m.start()


def _subject(text: str, span: Span, verb_at: int, sentences: Sequence[Span], mentions: Sequence[Mention]) -> str | None:
    """The speaker of a whole-sentence candidate: the actor named last before its verb (the
    subject: "The opposition Civic Alliance accused …"); for a pronoun subject ("She called
    on …") the actor named last in the sentence before, in the same paragraph."""
    before = [m for m in mentions if span[0] <= m.start and m.end <= verb_at]
    if before:
        return max(before, key=lambda m: m.end).name
    words = text[span[0] : verb_at].split()
    if not words or words[-1].strip(",").casefold() not in PRONOUNS:
        return None
    i = next((n for n, s in enumerate(sentences) if s[0] <= span[0] < s[1]), None)
    if not i:
        return None
    prev = sentences[i - 1]
    if "\n" in text[prev[1] : span[0]]:
        return None
    named = [m for m in mentions if prev[0] <= m.start and m.end <= prev[1]]
    return max(named, key=lambda m: m.end).name if named else None


def _outermost(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and s[1] <= out[-1][1]:
            continue
        out.append(s)
    return out


def _words(chunk: str) -> int:
    return sum(1 for w in chunk.split() if any(ch.isalnum() for ch in w))


def _reported(text: str, s0: int, s1: int, p: _Patterns) -> tuple[Span, str] | None:
    sentence = text[s0:s1]
    if p.source and (m := p.source.search(sentence)):
        if m.start() <= 2:  # "According to X, CONTENT."
            comma = sentence.find(",", m.end())
            if comma < 0:  # "Laut Merkel ist …": the content starts after the capitalised name
                words = list(re.finditer(r"\S+", sentence[m.end():]))
                first = next((w for w in words if not w.group(0)[0].isupper()), None)
                if first is None or first is words[0]:
                    return None
                return _content(text, s0 + m.end() + first.start(), s1), m.group(0)
            return _content(text, s0 + comma + 1, s1), m.group(0)
        return _content(text, s0, s0 + m.start()), m.group(0)  # "CONTENT, according to X."
    if not p.verb or not (m := p.verb.search(sentence)):
        return None
    after = sentence[m.end():]
    if p.comp and (c := p.comp.search(after)) and "," not in after[: c.start()].lstrip(" ,—–") and c.start() < 60:
        return _content(text, s0 + m.end() + c.end(), s1), m.group(0)  # "X said that CONTENT"
    before = sentence[: m.start()]
    comma = max(before.rfind(","), before.rfind("—"))
    if comma > 0 and after.lstrip().startswith(",") and _words(before[comma:]) <= 3:
        # "The EU, she said, had pledged …": what was said goes on after the inserted clause
        return _content(text, s0 + m.end() + after.index(",") + 1, s1), m.group(0)
    if comma > 0 and _words(after) <= 8:
        return _content(text, s0, s0 + comma), m.group(0)  # "CONTENT, X said."
    if " ".join(m.group(0).split()).casefold() not in p.bare:
        return None  # "X told reporters …", "X accused the government of …": no content of its own
    return _content(text, s0 + m.end(), s1), m.group(0)  # "X said CONTENT"


def _content(text: str, a: int, b: int) -> Span:
    a, b = trim_span(text, a, b)
    while a < b and text[a] in ",;:—–":
        a += 1  # "sagte, dass …", "— сказал"
    a, b = trim_span(text, a, b)
    while b > a and text[b - 1] in ".,;:":
        b -= 1  # the sentence's own full stop is not part of what was said
    return trim_span(text, a, b)


def _speaker(text: str, span: Span, sentences: Sequence[Span], mentions: Sequence[Mention],
             within: Span | None = None, verb: re.Pattern[str] | None = None) -> str | None:
    """The actor mention that goes with the cue verb nearest ``span`` (its subject before it,
    or right after it in "…," said X), else the nearest mention outside ``span``: in its
    sentence(s), else the sentence before, else the one after, staying in the paragraph."""
    if not mentions:
        return None
    holding = [s for s in sentences if s[0] < span[1] and span[0] < s[1]] or ([within] if within else [])
    if not holding:
        return None
    first = sentences.index(holding[0]) if holding[0] in sentences else -1
    last = sentences.index(holding[-1]) if holding[-1] in sentences else -1
    rings = [(holding[0][0], holding[-1][1])]
    if first > 0 and "\n" not in text[sentences[first - 1][1] : holding[0][0]]:
        rings.append(sentences[first - 1])
    if 0 <= last < len(sentences) - 1 and "\n" not in text[holding[-1][1] : sentences[last + 1][0]]:
        rings.append(sentences[last + 1])
    if verb is not None and _pronoun_speaker(text, rings[0], span, verb):
        rings = rings[1:2]  # "The EU, she said, …": the speaker was named before, not here
    for n, (lo, hi) in enumerate(rings):
        if n == 0 and lo > holding[0][0]:
            near = [m for m in mentions if lo <= m.start and m.end <= hi]
            if near:  # the previous sentence: its last-named actor
                return max(near, key=lambda m: m.end).name
            continue
        near = [m for m in mentions if lo <= m.start and m.end <= hi and (m.end <= span[0] or m.start >= span[1])]
        if near and n == 0 and verb is not None and (by_verb := _by_verb(text, span, lo, hi, near, verb)):
            return by_verb
        if near:
            return min(near, key=lambda m: min(abs(m.start - span[1]), abs(span[0] - m.end))).name
    return None


def _by_verb(text: str, span: Span, lo: int, hi: int, near: list[Mention], verb: re.Pattern[str]) -> str | None:
    cues = [
        (lo + m.start(), lo + m.end()) for m in verb.finditer(text[lo:hi])
        if lo + m.end() <= span[0] or lo + m.start() >= span[1]]
    if not cues:
        return None
    c0, c1 = min(cues, key=lambda c: min(abs(c[0] - span[1]), abs(span[0] - c[1])))
    after = [m for m in near if c1 <= m.start <= c1 + 3]  # "said Tevita Fonua"
    if after:
        return after[0].name
    before = [m for m in near if m.end <= c0]
    return max(before, key=lambda m: m.end).name if before else None


# Personal pronouns that stand for a speaker named earlier ("she said", "sagte er", "a-t-il dit").
PRONOUNS = frozenset("he she they sie er il elle ils elles он она они él ella ellos ellas".split())


def _pronoun_speaker(text: str, ring: Span, span: Span, verb: re.Pattern[str]) -> bool:
    """Whether the cue verb nearest ``span`` has a personal pronoun right before or after it."""
    lo, hi = ring
    for m in verb.finditer(text[lo:hi]):
        a, b = lo + m.start(), lo + m.end()
        if span[0] <= a < span[1]:
            continue
        before = text[max(lo, a - 12) : a].split()
        after = text[b : min(hi, b + 12)].split()
        words = [w.strip(",.;:—–«»\"'“”„").casefold() for w in (before[-1:] + after[:1])]
        if any(w in PRONOUNS for w in words):
            return True
    return False


def matching(candidates: Sequence[Candidate], sentences: Sequence[Span], start: int, end: int) -> Candidate | None:
    """The candidate a selection ``start..end`` (trimmed) stands for, however it was reached
    (F7, the next-quotation key, Alt+Q, Alt+S …), else None. A candidate matches when

    - the selection is the candidate, or lies inside it (a part of a quotation was said by
      whoever said the quotation);
    - the selection holds the candidate and stays in the sentence(s) the candidate is in (the
      candidate grown to its clause or sentence: "He demanded that …" for "the government …");
    - or they overlap by at least half of their union (grown or shrunk by a word or a clause).

    Of several, the one overlapping most (relative to the union), then the smallest."""
    if start >= end:
        return None
    best: tuple[float, int, Candidate] | None = None
    for c in candidates:
        inter = min(end, c.end) - max(start, c.start)
        if inter <= 0:
            continue
        share = inter / (max(end, c.end) - min(start, c.start))
        inside = c.start <= start and end <= c.end
        grown = start <= c.start and c.end <= end and _within_sentences(sentences, c, start, end)
        if not (inside or grown or share >= 0.5):
            continue
        key = (share, -(c.end - c.start), c)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def _within_sentences(sentences: Sequence[Span], c: Candidate, start: int, end: int) -> bool:
    holding = [s for s in sentences if s[0] < c.end and c.start < s[1]]
    return bool(holding) and holding[0][0] <= start and end <= holding[-1][1]
