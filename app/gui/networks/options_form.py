"""The network options as a form: the same choices as ``claimcoder network``."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QWidget

from app.core.codebook import Codebook
from app.core.networks import options as opt

NONE = "(none)"


class OptionsForm(QWidget):
    changed = Signal()

    def __init__(self, codebook: Codebook, sources: list[str], colour_keys: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.codebook = codebook
        form = QFormLayout(self)
        self.source = self._combo(sources)
        self.mode = QComboBox()
        self.mode.addItems(list(opt.MODES))
        keys = codebook.keys
        defaults = opt.resolve(codebook, opt.NetworkOptions())
        self.rows = self._combo(keys, defaults.rows.key)
        self.cols = self._combo(keys, defaults.cols.key)
        self.qualifier = self._combo([NONE, *keys], defaults.qualifier.key if defaults.qualifier else NONE)
        self.aggregation = self._combo(list(opt.ONE_MODE_AGGREGATIONS), "congruence")
        self.normalization = self._combo(list(opt.ONE_MODE_NORMALIZATIONS), "none")
        self.duplicates = self._combo(list(opt.DUPLICATES), "all")
        self.date_from = self._line("YYYY-MM-DD")
        self.date_to = self._line("YYYY-MM-DD")
        self.window = self._line("e.g. 3m (none: one network)")
        self.step = self._line("e.g. 1m (default: the width)")
        self.exclude = self._line("VAR=VALUE; VAR=VALUE")
        self.isolates = QCheckBox("every actor, even without statements")
        self.isolates.toggled.connect(self.changed)
        self.colour = self._combo([NONE, *colour_keys], colour_keys[0] if colour_keys else NONE)
        for label, w in (("Statements of", self.source), ("Mode", self.mode), ("Nodes (rows)", self.rows),
                         ("Linked by (cols)", self.cols), ("Qualifier", self.qualifier),
                         ("Aggregation", self.aggregation), ("Normalisation", self.normalization),
                         ("Duplicates", self.duplicates), ("From", self.date_from), ("To", self.date_to),
                         ("Time window", self.window), ("Step", self.step), ("Leave out", self.exclude),
                         ("Isolates", self.isolates), ("Colour nodes by", self.colour)):
            form.addRow(label, w)
        self.mode.currentTextChanged.connect(self._mode_changed)  # the lists first, then recompute
        self.mode.currentTextChanged.connect(self.changed)

    def _combo(self, items: list[str], current: str | None = None) -> QComboBox:
        box = QComboBox()
        box.addItems(items)
        if current is not None:
            box.setCurrentText(current)
        box.currentTextChanged.connect(self.changed)
        return box

    def _line(self, placeholder: str) -> QLineEdit:
        line = QLineEdit()
        line.setPlaceholderText(placeholder)
        line.editingFinished.connect(self.changed)
        return line

    def _mode_changed(self, mode: str) -> None:
        one = mode == "one-mode"
        for box, items, default in ((self.aggregation, opt.ONE_MODE_AGGREGATIONS if one else opt.TWO_MODE_AGGREGATIONS,
                                     "congruence" if one else "ignore"),
                                    (self.normalization, opt.ONE_MODE_NORMALIZATIONS if one else opt.TWO_MODE_NORMALIZATIONS, "none")):
            box.blockSignals(True)
            box.clear()
            box.addItems(list(items))
            box.setCurrentText(default)
            box.blockSignals(False)

    def options(self) -> opt.NetworkOptions:
        """The options as typed; raises NetworkOptionError with the line to show."""
        def day(line: QLineEdit, name: str) -> date | None:
            text = line.text().strip()
            if not text:
                return None
            try:
                return date.fromisoformat(text)
            except ValueError:
                raise opt.NetworkOptionError(f"{name} takes a date as YYYY-MM-DD (got '{text}')") from None

        window = self.window.text().strip()
        step = self.step.text().strip()
        exclude = tuple(opt.parse_exclusion(x) for x in self.exclude.text().split(";") if x.strip())
        qualifier = self.qualifier.currentText()
        return opt.NetworkOptions(
            mode=self.mode.currentText(), rows=self.rows.currentText(), cols=self.cols.currentText(),
            qualifier=None if qualifier == NONE else qualifier, no_qualifier=qualifier == NONE,
            aggregation=self.aggregation.currentText(), normalization=self.normalization.currentText(),
            duplicates=self.duplicates.currentText(), date_from=day(self.date_from, "From"), date_to=day(self.date_to, "To"),
            window=opt.Span.parse(window, "Time window") if window else None,
            step=opt.Span.parse(step, "Step") if step else None, exclude=exclude, isolates=self.isolates.isChecked())

    def colour_key(self) -> str | None:
        key = self.colour.currentText()
        return None if key == NONE else key
