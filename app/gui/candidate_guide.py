"""Candidate statements in the coding window: which are shown, which one the coder is on, and
what a statement made from it starts with (its suggested speaker, its origin).

Off unless the project setting ``candidates`` is true, and always off in a document of the
reliability sample, so blind coding stays blind. A document is in the sample when its id is in
the project setting ``reliability_sample`` (a list of document ids) or its metadata has a true
``reliability_sample`` — the hook the study/assignment feature fills in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt

from app.core.candidates import Candidate, find_candidates, matching, merge_cues
from app.core.domain import Document, Statement
from app.core.mentions import MentionFinder
from app.core.spans import trim_span
from app.gui import segments
from app.gui.article_view import ArticleView
from app.services.project import Project

SETTING = "candidates"
SAMPLE_SETTING = "reliability_sample"
CUES_SETTING = "candidate_cues"


def in_reliability_sample(project: Project, doc: Document) -> bool:
    sample = project.setting(SAMPLE_SETTING, [])
    return bool(doc.metadata.get(SAMPLE_SETTING)) or (isinstance(sample, list) and doc.id in sample)


def enabled_for(project: Project, doc: Document | None) -> bool:
    return doc is not None and project.setting(SETTING, False) is True and not in_reliability_sample(project, doc)


class CandidateGuide(QObject):
    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.candidates: list[Candidate] = []
        self.pending: Candidate | None = None  # the candidate last jumped to
        self._finder: MentionFinder | None = None
        self._text = ""
        self._sentences: tuple[tuple[int, int], ...] = ()  # of the loaded document, for match()
        self._speaker_key = next((v.key for v in project.codebook.variables if v.kind == "entity"), None)

    def actors_changed(self) -> None:
        self._finder = None

    def load(self, doc: Document | None) -> None:
        """Find the candidates of ``doc`` (none when switched off or in the reliability sample)."""
        self.pending = None
        self.candidates = []
        self._text = doc.text if doc is not None else ""
        self._sentences = ()
        if doc is None or not enabled_for(self.project, doc):
            return
        if self._finder is None:
            self._finder = MentionFinder((label, e.name) for e in self.project.entities() for label in (e.name, *e.aliases))
        extra = self.project.setting(CUES_SETTING, {})
        cues = merge_cues(extra if isinstance(extra, dict) else {})  # a hand-typed setting must not break coding
        self._sentences = segments.sentences(doc.text)
        self.candidates = find_candidates(doc.text, self._sentences, self._finder.find(doc.text), cues)

    def open_ones(self, statements: Sequence[Statement]) -> list[Candidate]:
        """Candidates no statement covers yet (half their span or more): those still to code."""
        return [c for c in self.candidates if not any(_overlap(c, s) >= 0.5 for s in statements)]

    def step(self, offset: int, step: int, statements: Sequence[Statement]) -> Candidate | None:
        todo = self.open_ones(statements)
        if step > 0:
            found = next((c for c in todo if c.start >= offset), None) or (todo[0] if todo else None)
        else:
            found = next((c for c in reversed(todo) if c.start < offset), None) or (todo[-1] if todo else None)
        self.pending = found
        return found

    def jump(self, view: ArticleView, doc: Document | None, statements: Sequence[Statement], step: int) -> str:
        """F7 / Shift+F7: select the next (previous) open candidate in ``view``; returns what the
        status bar should say (what it is and whom it suggests, or why there is none)."""
        if doc is None or not enabled_for(self.project, doc):
            why = ("this article is in the reliability sample" if doc is not None and in_reliability_sample(self.project, doc)
                   else "candidates are switched off for this project (Tools)")
            return f"No candidates: {why}."
        cursor = view.textCursor()
        here = view.u16.from_utf16(cursor.selectionEnd() if step > 0 else cursor.selectionStart())
        cand = self.step(here, step, statements)
        if cand is None:
            return "No candidates left in this article."
        view.select_span(cand.start, cand.end)
        view.centre_on(view.textCursor(), only_if_hidden=True)
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.pending = cand
        return describe(cand)

    def match(self, start: int, end: int) -> Candidate | None:
        """The candidate the selection ``start..end`` stands for (see
        :func:`app.core.candidates.matching`): exactly it, inside it, it grown within its
        sentence, or overlapping it by half their union or more."""
        if not self.candidates:
            return None
        start, end = trim_span(self._text, start, end)  # as the statement will be stored
        return matching(self.candidates, self._sentences, start, end)  # runs on every selection change

    def preview(self, start: int, end: int) -> tuple[str, dict[str, Any]]:
        """Origin and starting values of a statement made from ``start..end`` now: a matching
        candidate's suggested speaker and origin ``candidate``, however the selection was made
        (F7, the next-quotation key, Alt+Q, Alt+S, grown or shrunk by hand)."""
        cand = self.match(start, end)
        if cand is None:
            return "", {}
        values = {self._speaker_key: cand.speaker} if cand.speaker and self._speaker_key else {}
        return "candidate", values

    def claim(self, start: int, end: int) -> tuple[str, dict[str, Any]]:
        """:meth:`preview`, for a statement being made: the pending F7 candidate is used up."""
        self.pending = None
        return self.preview(start, end)

    def unconfirmed(self, statements: Sequence[Statement]) -> int:
        """How many of ``statements`` still carry a suggested speaker nobody confirmed (origin
        ``candidate``: neither accepted nor replaced)."""
        key = self._speaker_key
        return sum(1 for s in statements if key and s.origin == "candidate" and s.values.get(key))

    @property
    def speaker_key(self) -> str | None:
        return self._speaker_key


def _overlap(c: Candidate, s: Statement) -> float:
    inter = min(c.end, s.end) - max(c.start, s.start)
    return max(0, inter) / (max(c.end, s.end) - min(c.start, s.start))


KIND_WORDS = {"quotation": "quotation", "reported": "reported speech", "sentence": "sentence"}


def describe(c: Candidate) -> str:
    kind = {"quotation": "quotation", "sentence": f"sentence (“{c.cue}”)"}.get(c.kind, f"reported speech (“{c.cue}”)")
    who = f"speaker suggested: {c.speaker}" if c.speaker else "no speaker suggested"
    return f"Candidate {kind}, {who} — Enter makes it a statement, F7 the next one."
