"""A synthetic study for the benchmarks: articles as .txt files, entities, coders, statements.

Deterministic (seeded). Articles are ~3,000 characters of news-like prose with direct and
indirect quotes, German and Russian quotation marks, diacritics, Cyrillic and, in a few, an
emoji (an astral character, so code-point offsets are exercised). The statements of the coders
share most spans with small jitter, so agreement has real work to do.

Statement rows are bulk-inserted with SQLAlchemy Core: that is setup, not a measured target.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, select

from app.services.project import Project
from app.store.models import DocumentRow, DocumentStatusRow, EntityRow, StatementRow

FIRST = ["Anna", "Jean", "Olaf", "Ursula", "Recep", "Lech", "Jacinda", "Sergei", "Maria", "José", "Björn",
         "Zoë", "Ahmed", "Chen", "Priya", "Kwame", "Łukasz", "Søren", "Ines", "Dmitri", "Fatima", "Giorgos",
         "Hélène", "Ivan", "Kateryna", "Luis", "Mariam", "Nikolai", "Oona", "Pedro", "Rania", "Tomáš",
         "Ulrike", "Vikram", "Wanjiru", "Xavier", "Yusuf", "Zuzana", "Ángel", "Émile"]
LAST = ["Petrova", "Macron", "Scholz", "von der Leyen", "Erdoğan", "Wałęsa", "Ardern", "Lavrov", "Müller",
        "García", "Andersson", "Okafor", "Haddad", "Wei", "Sharma", "Mensah", "Kowalski", "Jørgensen",
        "Ferreira", "Ivanov", "Benali", "Papadopoulos", "Dubois", "Horvat", "Shevchenko", "Fernández",
        "Nasser", "Smirnov", "Virtanen", "Costa", "Khalil", "Novák", "Schröder", "Iyer", "Kamau",
        "Lefèvre", "Demir", "Dvořák", "Ruiz", "Brontë"]
ROLES = ["President", "Deputy Foreign Minister", "Defence Minister", "spokesperson", "opposition leader",
         "UN envoy", "Chancellor", "Prime Minister", "mayor", "general secretary"]
SUBJECTS = ["the peacekeeping mission", "the ceasefire", "the contingent", "the sanctions regime",
            "the humanitarian corridor", "the border agreement", "the government", "the coalition",
            "the refugee programme", "the reconstruction fund", "die Mission", "миротворческая миссия"]
VERBS = ["is still needed", "has failed", "must be extended", "will collapse without support",
         "guarantees stability in the region", "was never legitimate", "should be reviewed in March",
         "has saved thousands of lives", "is a violation of international law", "will be funded until 2027",
         "cannot continue in its present form", "deserves our full backing"]
FACTS = [
    "More than {n:,} people have fled the region since September, according to UN figures.",
    "The contingent numbers about {n:,} soldiers, most of them stationed near the border.",
    "Talks resumed on Tuesday in Genève after a pause of {m} weeks.",
    "Prices for bread rose by {m} per cent in the capital, local traders said.",
    "The parliament will vote on the measure next {day}.",
    "Le cessez-le-feu a été violé {m} fois cette semaine, selon les observateurs.",
    "В пятницу в столицу прибыли ещё {m} колонн с гуманитарной помощью.",
    "Observers counted {n:,} violations of the truce in the first half of the year.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
EMOJI = ["🕊️", "📉", "🇺🇳", "✌🏽"]


@dataclass
class Study:
    folder: Path
    articles: Path
    texts: list[str]
    entity_names: list[str] = field(default_factory=list)
    coder_names: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)  # in position order
    statements_per_coder: int = 0


def entity_names(n: int, rng: random.Random) -> list[str]:
    names = [f"{f} {l}" for f in FIRST for l in LAST]
    rng.shuffle(names)
    if n > len(names):
        names += [f"Actor {i}" for i in range(n - len(names))]
    return names[:n]


def _claim(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)}"


def _sentence(rng: random.Random, people: list[str]) -> str:
    who = f"{rng.choice(ROLES)} {rng.choice(people)}"
    claim = _claim(rng)
    form = rng.randrange(8)
    if form == 0:
        return f"\u201c{claim[0].upper()}{claim[1:]},\u201d said {who}."
    if form == 1:
        return f"{who[0].upper()}{who[1:]} said that {claim}."
    if form == 2:
        return f"According to {who}, {claim}."
    if form == 3:
        return f"\u201e{claim[0].upper()}{claim[1:]}\u201c, sagte {who}."
    if form == 4:
        return f"\u00ab{claim[0].upper()}{claim[1:]}\u00bb, \u2014 заявил {who}."
    if form == 5:
        return f"{who[0].upper()}{who[1:]} warned that {claim}, adding: \"{_claim(rng)}.\""
    fact = rng.choice(FACTS)
    return fact.format(n=rng.randrange(1_000, 250_000), m=rng.randrange(2, 40), day=rng.choice(DAYS))


def article_text(i: int, rng: random.Random, people: list[str], size: int = 3000) -> str:
    title = f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)}, says {rng.choice(people)} (#{i})"
    paras: list[str] = []
    length = len(title)
    while length < size:
        para = " ".join(_sentence(rng, people) for _ in range(rng.randrange(2, 6)))
        if rng.random() < 0.02:
            para += " " + rng.choice(EMOJI)
        paras.append(para)
        length += len(para) + 2
    return title + "\n\n" + "\n\n".join(paras) + "\n"


def write_articles(folder: Path, n: int, *, seed: int = 1, people: list[str]) -> tuple[Path, list[str]]:
    rng = random.Random(seed)
    out = folder / "articles"
    out.mkdir(parents=True, exist_ok=True)
    texts = []
    for i in range(n):
        text = article_text(i, rng, people)
        texts.append(text)
        (out / f"a{i:05d}.txt").write_text(text, encoding="utf-8", newline="")
    return out, texts


def _spans(n: int, k: int, rng: random.Random) -> list[tuple[int, int]]:
    """k spans of 60–250 code points, one in each k-th of a text of length n."""
    spans = []
    for j in range(k):
        lo = (n * j) // k
        hi = max(lo + 1, (n * (j + 1)) // k - 260)
        start = rng.randrange(lo, hi) if hi > lo else lo
        end = min(n, start + rng.randrange(60, 250))
        if end > start:
            spans.append((start, end))
    return spans


def add_coding(project: Project, study: Study, *, coders: int, entities: int, per_coder: int,
               seed: int = 2, batch: int = 20_000) -> None:
    """Entities, coders and ``per_coder`` statements per coder, bulk-inserted (setup only)."""
    rng = random.Random(seed)
    engine = project._repo.engine
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    names = study.entity_names or entity_names(entities, rng)
    study.entity_names = names
    with engine.begin() as conn:
        conn.execute(insert(EntityRow), [
            {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "name": name, "kind": "person",
             "aliases": [name.split(" ", 1)[-1] + f" ({k})"], "created_at": now}
            for k, name in enumerate(names)
        ])
        docs = conn.execute(select(DocumentRow.id, DocumentRow.length).order_by(DocumentRow.position)).all()
    study.doc_ids = [d for d, _ in docs]
    coder_objs = [project.ensure_coder(f"coder{c + 1}") for c in range(coders)]
    study.coder_names = [c.name for c in coder_objs]
    study.statements_per_coder = per_coder
    per_doc = max(1, per_coder // max(1, len(docs)))
    extra = per_coder - per_doc * len(docs)
    stances = ["oppose", "neutral", "support"]
    types = ["assertion", "evaluation", "demand", "prediction", "commitment", "accusation"]
    rows: list[dict[str, object]] = []
    counts = [0] * coders

    def flush() -> None:
        if rows:
            with engine.begin() as conn:
                conn.execute(insert(StatementRow), rows)
            rows.clear()

    for d, (doc_id, length) in enumerate(docs):
        k = per_doc + (1 if d < extra else 0)
        base = _spans(length, k, rng)
        truth = [(rng.choice(names), rng.choice(stances), rng.choice(types)) for _ in base]
        for c in range(coders):
            for (start, end), (speaker, stance, ctype) in zip(base, truth):
                if counts[c] >= per_coder:
                    break
                if rng.random() < 0.15:  # a coder's span drifts by a few characters
                    start = max(0, start + rng.randrange(-8, 9))
                    end = min(length, max(start + 1, end + rng.randrange(-8, 9)))
                values = {
                    "speaker": speaker if rng.random() < 0.85 else rng.choice(names),
                    "stance": stance if rng.random() < 0.8 else rng.choice(stances),
                    "claim_type": ctype if rng.random() < 0.75 else rng.choice(types),
                }
                stamp = now + timedelta(seconds=len(rows))
                rows.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "document_id": doc_id,
                             "coder_id": coder_objs[c].id, "start": start, "end": end, "values": values,
                             "note": "", "created_at": stamp, "updated_at": stamp})
                counts[c] += 1
            if len(rows) >= batch:
                flush()
    flush()
    with engine.begin() as conn:
        conn.execute(insert(DocumentStatusRow), [
            {"document_id": doc_id, "coder_id": coder.id, "status": "done" if i % 3 else "in_progress",
             "updated_at": now}
            for coder in coder_objs for i, doc_id in enumerate(study.doc_ids)
        ])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # no ANALYZE: users never run it
