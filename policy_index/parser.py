"""Policy document text → `Document` with its numbered measures.

The measure level is the outermost enumerated item under the section headings (一、二、…):
（一） where present, else 第X条, else 1. / 一是 (see DESIGN.md, "Parsing documents").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from policy_index.document import Document, Measure, Numbering
from policy_index.numerals import NUMERAL_CHARS, to_int
from policy_index.units import collect_units, strip_notes

_N = f"[{NUMERAL_CHARS}]+"
_SECTION_RE = re.compile(rf"^(?P<label>{_N})\s*[、．.]\s*(?P<text>\S.*)$")
_CHAPTER_RE = re.compile(rf"^(?P<label>第\s*(?:{_N}|\d+)\s*[章编部节](?:分)?)\s*(?P<text>.*)$")
_MEASURE_RES: dict[str, re.Pattern[str]] = {
    "paren": re.compile(rf"^(?P<label>[（(]\s*(?P<n>{_N})\s*[）)])\s*(?P<text>.*)$"),
    "article": re.compile(rf"^(?P<label>第\s*(?P<n>{_N}|\d+)\s*条)[\s:：]*(?P<text>.*)$"),
    "arabic": re.compile(r"^(?P<label>(?P<n>\d{1,3})\s*[.．、](?!\d))\s*(?P<text>.*)$"),
    "ordinal_shi": re.compile(rf"^(?P<label>(?P<n>{_N})是)(?P<text>.*)$"),
    "paren_arabic": re.compile(r"^(?P<label>[（(]\s*(?P<n>\d{1,3})\s*[）)])\s*(?P<text>.*)$"),
}
_SCHEME_NUMBERING = {
    "paren": Numbering.PAREN,
    "article": Numbering.ARTICLE,
    "arabic": Numbering.ARABIC,
    "ordinal_shi": Numbering.ORDINAL_SHI,
    "paren_arabic": Numbering.PAREN,
}
_INLINE_SHI_RE = re.compile(rf"(?<=[。；;！？])\s*(?=(?:{_N})是)")
_PAGE_NOISE_RES = (
    re.compile(r"^[-—－–~·\s]*\d{1,4}[-—－–~·\s]*$"),
    re.compile(r"^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$"),
    re.compile(r"^\d+\s*/\s*\d+$"),
    re.compile(r"^page\s*\d+(?:\s*of\s*\d+)?$", re.IGNORECASE),
    re.compile(r"^[-=_—*·.。…]{3,}$"),
)
_CLOSING_RES = (
    re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$"),
    re.compile(r"^[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日$"),
    re.compile(r"^(?:抄送|抄报|主送|印发)\s*[：:]"),
    re.compile(r"^附件\s*\d*\s*[：:]"),
    re.compile(r"^[（(]此件.*[）)]$"),
)
_DOC_NUMBER_RE = re.compile(r"〔\d{4}〕|\[\d{4}\]|\d+号$")
_TITLE_SKIP_RE = re.compile(r"^附件\s*\d*$")
_TITLE_TRIM = " \t　：:；;，,"


class ParseError(ValueError):
    """The text is not a policy document this parser can read; `line` says where."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"第 {line} 行：{message}")
        self.line = line


@dataclass(slots=True)
class _Draft:
    label: str
    section: str | None
    line: int
    lines: list[str] = field(default_factory=list)


def _clean_lines(text: str) -> list[tuple[int, str]]:
    """Numbered, stripped, non-empty lines without page-break noise."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    result: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch == "\t")
        line = line.strip()
        if line and not any(noise.match(line) for noise in _PAGE_NOISE_RES):
            result.append((number, line))
    return result


def _section_match(line: str) -> re.Match[str] | None:
    chapter = _CHAPTER_RE.match(line)
    if chapter and to_int(re.sub(r"[第章编部节分\s]", "", chapter.group("label"))) is not None:
        return chapter
    section = _SECTION_RE.match(line)
    if section and to_int(section.group("label")) is not None:
        return section
    return None


def _measure_match(scheme: str, line: str) -> re.Match[str] | None:
    match = _MEASURE_RES[scheme].match(line)
    if match is None or to_int(match.group("n")) is None:
        return None
    if scheme == "ordinal_shi" and not match.group("text"):
        return None
    return match


def _choose_scheme(lines: list[tuple[int, str]]) -> str | None:
    """The scheme whose first item comes first: that is the outermost level."""
    for _, line in lines:
        if _section_match(line) and not _measure_match("paren", line):
            continue
        for scheme in _MEASURE_RES:
            if _measure_match(scheme, line):
                return scheme
    return None


def _split_inline_shi(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Put each inline 一是…二是… item on a line of its own."""
    result: list[tuple[int, str]] = []
    for number, line in lines:
        if re.search(rf"(?:^|[。；;])\s*(?:{_N})是", line) and "二是" in line:
            result.extend((number, part) for part in _INLINE_SHI_RE.split(line) if part)
        else:
            result.append((number, line))
    return result


def _is_closing(line: str) -> bool:
    return any(pattern.match(line) for pattern in _CLOSING_RES)


def _document_title(preamble: list[str], fallback: str) -> str:
    parts: list[str] = []
    for line in preamble:
        if not parts and (_TITLE_SKIP_RE.match(line) or _DOC_NUMBER_RE.search(line)):
            continue
        if line.endswith(("：", ":")) or "。" in line or len(line) > 80:
            break
        parts.append(line)
    return "".join(parts) or fallback


def _title_of(lines: list[str]) -> str:
    first = next((strip_notes(line) for line in lines if strip_notes(line)), "")
    if "。" in first:
        return first.split("。", 1)[0].strip()
    return first.strip(_TITLE_TRIM)


def _drop_signature(lines: list[str]) -> None:
    """Remove the issuing authority's name lines that precede a closing date."""
    while lines and len(lines[-1]) <= 30 and not re.search(r"[。；;，,：:）)]", lines[-1]):
        lines.pop()


_CLOSING_ARTICLE_RE = re.compile(r"^本(?:意见|办法|措施|细则|规定|通知|方案|政策|条例|实施意见).*(?:施行|实施|解释)")


@dataclass(slots=True)
class _Walk:
    """State of one pass over a document's lines."""

    scheme: str | None
    preamble: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    drafts: list[_Draft] = field(default_factory=list)
    section: str | None = None
    section_has_measures: bool = False
    in_body: bool = False
    unnumbered: list[tuple[int, str]] = field(default_factory=list)

    def close_section(self) -> None:
        """A section with text but no numbered measure (附则 and the like) is a measure of its own."""
        if self.unnumbered and not self.section_has_measures and self.scheme is not None:
            self.drafts.append(_Draft("", self.section, self.unnumbered[0][0], [t for _, t in self.unnumbered]))
        self.unnumbered = []

    def heading(self, text: str) -> None:
        self.close_section()
        self.section = text
        self.sections.append(text)
        self.section_has_measures = False
        self.in_body = False

    def measure(self, label: str, text: str, number: int) -> None:
        self.unnumbered = []
        self.drafts.append(_Draft(label, self.section, number, [text] if text else []))
        self.section_has_measures = True
        self.in_body = True

    def text(self, line: str, number: int) -> None:
        if self.in_body:
            current = self.drafts[-1]
            if current.lines and _CLOSING_ARTICLE_RE.match(line):
                self.drafts.append(_Draft("", self.section, number, [line]))
            else:
                current.lines.append(line)
        elif self.sections:
            self.unnumbered.append((number, line))
        elif not self.drafts:
            self.preamble.append(line)


def _heading_of(scheme: str | None, line: str) -> re.Match[str] | None:
    heading = _section_match(line)
    if heading is not None and scheme == "article" and not heading.group("label").startswith("第"):
        return None  # inside 第X条 documents, 一、二、 items are nested in the article
    return heading


def _walk(lines: list[tuple[int, str]], scheme: str | None) -> _Walk:
    walk = _Walk(scheme)
    for number, line in lines:
        if walk.drafts and _is_closing(line):
            _drop_signature(walk.drafts[-1].lines)
            break
        measure = _measure_match(scheme, line) if scheme else None
        heading = None if measure else _heading_of(scheme, line)
        if scheme is None and heading is not None:
            measure, heading = heading, None
        if heading is not None:
            walk.heading(heading.group("text").strip() or heading.group("label"))
        elif measure is not None:
            walk.measure(measure.group("label"), measure.group("text").strip(), number)
        else:
            walk.text(line, number)
    walk.close_section()
    return walk


def _measures(document_id: str, drafts: list[_Draft]) -> Iterator[Measure]:
    for ordinal, draft in enumerate(drafts, start=1):
        body = "\n".join(draft.lines)
        lead, participating = collect_units(body)
        yield Measure(
            document_id=document_id,
            number=ordinal,
            label=draft.label,
            title=_title_of(draft.lines),
            body=body,
            section=draft.section,
            lead_units=lead,
            participating_units=participating,
        )


def parse_document(text: str, document_id: str) -> Document:
    """Parse a policy document's text into its measures; raise `ParseError` if it has none."""
    lines = _clean_lines(text)
    if not lines:
        raise ParseError("文本为空，没有可识别的政策措施 (empty document)", 1)
    scheme = _choose_scheme(lines)
    if scheme in (None, "ordinal_shi"):
        lines = _split_inline_shi(lines)
        scheme = _choose_scheme(lines)
    walk = _walk(lines, scheme)
    preamble, sections, drafts = walk.preamble, walk.sections, walk.drafts
    if scheme is None:
        drafts = [d for d in drafts if any("。" in line for line in d.lines)]
        sections = []
    if not drafts:
        raise ParseError(
            "未找到可识别的政策措施编号（（一）、第X条、1.、一是）(no recognisable measures)",
            lines[0][0],
        )
    numbering = _SCHEME_NUMBERING[scheme] if scheme else Numbering.SECTION
    return Document(
        id=document_id,
        title=_document_title(preamble, document_id),
        numbering=numbering,
        sections=tuple(sections),
        measures=tuple(_measures(document_id, drafts)),
    )
