"""Responsibility notes: （牵头单位：…；参与单位：…） and their wording variants."""

from __future__ import annotations

import re
from dataclasses import dataclass

LEAD_KEYWORDS = ("牵头单位", "牵头部门", "责任单位", "责任部门", "牽頭單位", "牽頭部門", "責任單位", "責任部門")
PARTICIPATING_KEYWORDS = (
    "参与单位",
    "参与部门",
    "配合单位",
    "配合部门",
    "参加单位",
    "參與單位",
    "參與部門",
    "配合單位",
    "配合部門",
    "參加單位",
)

_KEYWORD = "|".join(LEAD_KEYWORDS + PARTICIPATING_KEYWORDS)
_KEY_RE = re.compile(rf"({_KEYWORD})\s*[：:]")
_OPEN = "（(【"
_CLOSE = "）)】"
# Keywords may be wrapped across lines in PDF copies: （牵\n头单位：
_WRAPPABLE_KEYWORD = "|".join("\n?".join(keyword) for keyword in LEAD_KEYWORDS + PARTICIPATING_KEYWORDS)
_NOTE_START_RE = re.compile(rf"[（(【]\s*(?:{_WRAPPABLE_KEYWORD})\s*[：:]")
_BARE_NOTE_RE = re.compile(rf"^\s*(?:{_KEYWORD})\s*[：:]")
_SEPARATORS = "、"
_TRIM = " \t　；;，,。."


@dataclass(frozen=True, slots=True)
class Note:
    """A responsibility note found in a measure's text."""

    start: int
    end: int
    lead_units: tuple[str, ...]
    participating_units: tuple[str, ...]


def _matching_close(text: str, open_at: int) -> int:
    """Index just past the bracket closing the one at `open_at`; end of text if unclosed."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] in _OPEN:
            depth += 1
        elif text[i] in _CLOSE:
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def split_units(value: str) -> tuple[str, ...]:
    """Split a unit list on 、 outside brackets and drop a trailing 等."""
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in value:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        if ch in _SEPARATORS and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    cleaned = [item.strip(_TRIM) for item in items]
    if cleaned and cleaned[-1].endswith("等"):
        cleaned[-1] = cleaned[-1][:-1].strip(_TRIM)
    return tuple(item for item in cleaned if item)


def _parse_note_content(content: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    lead: dict[str, None] = {}
    participating: dict[str, None] = {}
    keys = list(_KEY_RE.finditer(content))
    for index, key in enumerate(keys):
        stop = keys[index + 1].start() if index + 1 < len(keys) else len(content)
        target = lead if key.group(1) in LEAD_KEYWORDS else participating
        target.update(dict.fromkeys(split_units(content[key.end() : stop])))
    return tuple(lead), tuple(participating)


def _bracketed_notes(text: str) -> list[Note]:
    notes: list[Note] = []
    for match in _NOTE_START_RE.finditer(text):
        if notes and match.start() < notes[-1].end:
            continue
        end = _matching_close(text, match.start())
        # A note wrapped across lines (PDF copies) must not leave line breaks inside unit names.
        lead, participating = _parse_note_content(text[match.start() + 1 : end - 1].replace("\n", ""))
        notes.append(Note(match.start(), end, lead, participating))
    return notes


def find_notes(text: str) -> list[Note]:
    """All responsibility notes in `text`, bracketed or on a line of their own."""
    notes = _bracketed_notes(text)
    bare: list[Note] = []
    covered = iter(notes)
    current = next(covered, None)
    offset = 0
    for line in text.splitlines(keepends=True):
        while current is not None and current.end <= offset:
            current = next(covered, None)
        inside = current is not None and current.start <= offset < current.end
        if not inside and _BARE_NOTE_RE.match(line):
            lead, participating = _parse_note_content(line.rstrip())
            bare.append(Note(offset, offset + len(line), lead, participating))
        offset += len(line)
    return sorted(notes + bare, key=lambda note: note.start)


def collect_units(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The lead and participating units named by all notes in `text`, in order, without repeats."""
    lead: dict[str, None] = {}
    participating: dict[str, None] = {}
    for note in find_notes(text):
        lead.update(dict.fromkeys(note.lead_units))
        participating.update(dict.fromkeys(note.participating_units))
    return tuple(lead), tuple(participating)


def strip_notes(text: str) -> str:
    """`text` without its responsibility notes."""
    parts: list[str] = []
    cursor = 0
    for note in find_notes(text):
        parts.append(text[cursor : note.start])
        cursor = note.end
    parts.append(text[cursor:])
    return "".join(parts).strip()
