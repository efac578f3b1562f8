"""Build DNA 3 databases for the tests from DNA's published schema (``createTables`` for SQLite in
leifeld-lab/dna's Sql.java: the same tables, columns and types, without the CHECK clauses)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

SCHEMA = """
CREATE TABLE SETTINGS(Property TEXT PRIMARY KEY, Value TEXT NOT NULL);
CREATE TABLE CODERS(ID INTEGER NOT NULL PRIMARY KEY, Name TEXT NOT NULL, Red INTEGER NOT NULL DEFAULT 0,
    Green INTEGER NOT NULL DEFAULT 0, Blue INTEGER NOT NULL DEFAULT 0, Password TEXT NOT NULL DEFAULT '');
CREATE TABLE DOCUMENTS(ID INTEGER NOT NULL PRIMARY KEY, Title TEXT NOT NULL, Text TEXT NOT NULL, Coder INTEGER,
    Author TEXT NOT NULL DEFAULT '', Source TEXT NOT NULL DEFAULT '', Section TEXT NOT NULL DEFAULT '',
    Notes TEXT NOT NULL DEFAULT '', Type TEXT NOT NULL DEFAULT '', Date INTEGER NOT NULL,
    FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE);
CREATE TABLE STATEMENTTYPES(ID INTEGER NOT NULL PRIMARY KEY, Label TEXT NOT NULL, Red INTEGER NOT NULL DEFAULT 0,
    Green INTEGER NOT NULL DEFAULT 0, Blue INTEGER NOT NULL DEFAULT 0);
CREATE TABLE VARIABLES(ID INTEGER NOT NULL PRIMARY KEY, Variable TEXT NOT NULL,
    DataType TEXT NOT NULL DEFAULT 'short text', StatementTypeId INTEGER, UNIQUE (Variable, StatementTypeId));
CREATE TABLE REGEXES(Label TEXT PRIMARY KEY, Red INTEGER NOT NULL DEFAULT 0, Green INTEGER NOT NULL DEFAULT 0,
    Blue INTEGER NOT NULL DEFAULT 0);
CREATE TABLE STATEMENTS(ID INTEGER NOT NULL PRIMARY KEY, StatementTypeId INTEGER, DocumentId INTEGER,
    Start INTEGER NOT NULL, Stop INTEGER NOT NULL, Coder INTEGER);
CREATE TABLE DATABOOLEAN(ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL,
    Value INTEGER NOT NULL DEFAULT 1, UNIQUE (StatementId, VariableId));
CREATE TABLE DATAINTEGER(ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL,
    Value INTEGER NOT NULL DEFAULT 0, UNIQUE (StatementId, VariableId));
CREATE TABLE ENTITIES(ID INTEGER PRIMARY KEY NOT NULL, VariableId INTEGER NOT NULL, Value TEXT NOT NULL DEFAULT '',
    Red INTEGER, Green INTEGER, Blue INTEGER, ChildOf INTEGER, UNIQUE (VariableId, Value));
CREATE TABLE DATASHORTTEXT(ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL,
    Entity INTEGER NOT NULL, UNIQUE (StatementId, VariableId));
CREATE TABLE DATALONGTEXT(ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL,
    Value TEXT DEFAULT '', UNIQUE (StatementId, VariableId));
CREATE TABLE ATTRIBUTEVARIABLES(ID INTEGER PRIMARY KEY NOT NULL, VariableId INTEGER NOT NULL,
    AttributeVariable TEXT NOT NULL, UNIQUE(VariableId, AttributeVariable));
CREATE TABLE ATTRIBUTEVALUES(ID INTEGER PRIMARY KEY NOT NULL, EntityId INTEGER NOT NULL,
    AttributeVariableId INTEGER NOT NULL, AttributeValue TEXT NOT NULL DEFAULT '', UNIQUE (EntityId, AttributeVariableId));
"""

# Texts as DNA keeps them: Windows line endings, an astral character (two UTF-16 units in Java),
# and a decomposed "é" (e + U+0301), all of which move offsets when claimcoder normalises.
DOC1 = ("Ceasefire holds \U0001F54A in the valley\r\n\r\nThe president said the contingent was "
        "\"the guarantor of the ceasefire\". Critics disagreed.\r\nThe cafe\u0301 owner said prices rose.")
DOC2 = "Ministers met on Friday.\nThe deputy minister said the mission is still needed."


def utf16_index(text: str, needle: str) -> tuple[int, int]:
    """(Start, Stop) of ``needle`` in Java's UTF-16 string indices."""
    start_cp = text.index(needle)
    start = len(text[:start_cp].encode("utf-16-le")) // 2
    return start, start + len(needle.encode("utf-16-le")) // 2


def build(path: Path, *, version: str = "3.0.11") -> dict[str, object]:
    """A small DNA 3 project; returns what the tests compare against."""
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    con.execute("INSERT INTO SETTINGS VALUES ('version', ?)", (version,))
    con.executemany("INSERT INTO CODERS (ID, Name) VALUES (?, ?)", [(1, "Admin"), (2, "Ana")])
    epoch = int(datetime(2023, 10, 13, 9, 30, tzinfo=timezone.utc).timestamp())
    con.execute("INSERT INTO DOCUMENTS VALUES (1, 'Ceasefire holds', ?, 1, 'J. Doe', 'The Paper', 'World', "
                "'checked', 'news', ?)", (DOC1, epoch))
    con.execute("INSERT INTO DOCUMENTS VALUES (2, 'Ministers meet', ?, 2, '', 'Daily', '', '', '', ?)", (DOC2, epoch + 86400))
    con.executemany("INSERT INTO STATEMENTTYPES (ID, Label) VALUES (?, ?)", [(1, "DNA Statement"), (2, "Annotation")])
    con.executemany("INSERT INTO VARIABLES VALUES (?, ?, ?, ?)", [
        (1, "person", "short text", 1), (2, "organization", "short text", 1), (3, "concept", "short text", 1),
        (4, "agreement", "boolean", 1), (5, "intensity", "integer", 1), (6, "comment", "long text", 1),
        (7, "note", "long text", 2),
    ])
    con.executemany("INSERT INTO ENTITIES (ID, VariableId, Value) VALUES (?, ?, ?)", [
        (1, 1, "Vladimir Putin"), (2, 1, "Anna Petrova"), (3, 2, "Government"), (4, 3, "Mission is needed"),
        (5, 3, "Prices are rising"), (6, 1, ""),
    ])
    con.executemany("INSERT INTO ATTRIBUTEVARIABLES VALUES (?, ?, ?)", [(1, 1, "Type"), (2, 2, "Type"), (3, 1, "country")])
    con.executemany("INSERT INTO ATTRIBUTEVALUES VALUES (?, ?, ?, ?)", [
        (1, 1, 1, "head of state"), (2, 1, 3, "RU"), (3, 2, 3, "RU"), (4, 3, 2, "executive"),
    ])
    spans = [
        (1, 1, 1, "the guarantor of the ceasefire", 1),
        (2, 1, 1, "The cafe\u0301 owner said prices rose.", 2),
        (3, 1, 2, "the mission is still needed", 2),
        (4, 2, 1, "Critics disagreed.", 1),  # of the other statement type: reported, not carried over
    ]
    expected = []
    for sid, tid, did, needle, coder in spans:
        text = DOC1 if did == 1 else DOC2
        start, stop = utf16_index(text, needle)
        con.execute("INSERT INTO STATEMENTS VALUES (?, ?, ?, ?, ?, ?)", (sid, tid, did, start, stop, coder))
        expected.append((sid, needle))
    con.executemany("INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) VALUES (?, ?, ?)", [
        (1, 1, 1), (1, 2, 3), (1, 3, 4), (2, 1, 6), (2, 3, 5), (3, 1, 2), (3, 3, 4),
    ])
    con.executemany("INSERT INTO DATABOOLEAN (StatementId, VariableId, Value) VALUES (?, ?, ?)", [(1, 4, 1), (2, 4, 0), (3, 4, 1)])
    con.executemany("INSERT INTO DATAINTEGER (StatementId, VariableId, Value) VALUES (?, ?, ?)", [(1, 5, 3), (3, 5, 0)])
    con.executemany("INSERT INTO DATALONGTEXT (StatementId, VariableId, Value) VALUES (?, ?, ?)",
                    [(1, 6, "quoted directly"), (2, 6, ""), (4, 7, "skip")])
    con.commit()
    con.close()
    return {"spans": expected}
