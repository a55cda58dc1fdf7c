"""Policy document text → `Document` with its numbered measures.

The measure level is the outermost enumerated item under the section headings (一、二、…):
（一） where present, else 第X条, else 1. / 一是 (see DESIGN.md, "Parsing documents").
Closing articles (施行日期, 解释权) are measures too, numbered or not, marked `provision`; the
document's metadata (文号, issuer, dates) is read from the text by `policy_index.metadata`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from policy_index.dates import STANDALONE_DATE_RE
from policy_index.document import Document, Measure, Numbering
from policy_index.metadata import authorities, read_metadata
from policy_index.numerals import NUMERAL_CHARS, to_int
from policy_index.provisions import is_provision
from policy_index.units import collect_units, strip_notes

_N = f"[{NUMERAL_CHARS}]+"
_SECTION_RE = re.compile(rf"^(?P<label>{_N})\s*[、．.]\s*(?P<text>\S.*)$")
_CHAPTER_RE = re.compile(rf"^(?P<label>第\s*(?:{_N}|\d+)\s*(?:章|编|編|节|節|部分))\s*(?P<text>.*)$")
_MEASURE_RES: dict[str, re.Pattern[str]] = {
    "paren": re.compile(rf"^(?P<label>[（(]\s*(?P<n>{_N})\s*[）)])\s*(?P<text>.*)$"),
    "article": re.compile(rf"^(?P<label>第\s*(?P<n>{_N}|\d+)\s*[条條])[\s:：]*(?P<text>.*)$"),
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
# 一是… may follow a sentence end, a colon, or a closing note bracket: 。二是 ：一是 ）二是
_INLINE_SHI_RE = re.compile(rf"(?<=[。；;：:！？）)】])\s*(?=(?:{_N})是)")
_PAGE_NOISE_RES = (
    re.compile(r"^[-—－–~·\s]*\d{1,4}[-—－–~·\s]*$"),
    re.compile(r"^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$"),
    re.compile(r"^共\s*\d+\s*页\s*[,，/]?\s*第\s*\d+\s*页$"),
    re.compile(r"^\d+\s*/\s*\d+$"),
    re.compile(r"^page\s*\d+(?:\s*of\s*\d+)?$", re.IGNORECASE),
    re.compile(r"^[-=_—*·.。…]{3,}$"),
)
_CLOSING_RES = (
    STANDALONE_DATE_RE,  # the signature date, in any form dates.py reads
    re.compile(r"^(?:抄送|抄报|主送|印发)\s*[：:]"),
    re.compile(r"^附件\s*\d*\s*[：:]?$"),
    re.compile(r"^附件\s*\d*\s*[：:]"),
    re.compile(r"^[（(]此件.*[）)]$"),
)
_ATTACHMENT_LIST_RE = re.compile(r"^附件\s*[：:]")
_ATTACHMENT_HEADER_RE = re.compile(r"^附件\s*\d*\s*$")
_ATTACHMENT_ITEM_RE = re.compile(r"^\d{1,2}\s*[.．、]\s*[^。]{1,60}$")
_DOC_NUMBER_RE = re.compile(r"〔\d{4}〕|\[\d{4}\]|\d+号$|\d+號$")
_LETTERHEAD_RE = re.compile(r"^.{2,30}文件$")
_CLOSING_ARTICLE_RE = re.compile(
    r"^本[^，。,]{1,8}?(?:(?:自|從|从).*(?:施行|实施|實施|执行|執行)|由.*(?:负责解释|負責解釋)|.*(?:解释权|解釋權))"
)
_CLOSING_SECTIONS = ("附则", "附則")
_TITLE_TRIM = " \t　：:；;，,"
_WRAPPED_HEADING_MIN = 28


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
    """Numbered, stripped, non-empty lines without page-break noise or attachment lists."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    result: list[tuple[int, str]] = []
    in_attachment_list = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch == "\t").strip()
        if not line or any(noise.match(line) for noise in _PAGE_NOISE_RES):
            continue
        if in_attachment_list and _ATTACHMENT_ITEM_RE.match(line):
            continue  # 附件：1．… 2．… lists name files, they are not measures
        in_attachment_list = bool(_ATTACHMENT_LIST_RE.match(line))
        result.append((number, line))
    return result


def _section_match(line: str) -> re.Match[str] | None:
    chapter = _CHAPTER_RE.match(line)
    if chapter and to_int(re.sub(r"[第章编編节節部分\s]", "", chapter.group("label"))) is not None:
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
        if "二是" in line and re.search(rf"(?:^|[。；;：:）)】])\s*(?:{_N})是", line):
            result.extend((number, part) for part in _INLINE_SHI_RE.split(line) if part)
        else:
            result.append((number, line))
    return result


def _is_closing(line: str) -> bool:
    return any(pattern.match(line) for pattern in _CLOSING_RES)


def _document_title(preamble: list[str], fallback: str) -> str:
    parts: list[str] = []
    for line in preamble:
        if _ATTACHMENT_HEADER_RE.match(line) or _DOC_NUMBER_RE.search(line) or _LETTERHEAD_RE.match(line):
            continue
        if not parts and authorities(line):
            continue  # a letterhead without 文件 (四川省科学技术厅  四川省财政厅) names the issuers, not the title
        if line.endswith(("：", ":")) or "。" in line or len(line) > 80:
            break
        parts.append(line)
    return "".join(parts) or fallback


def _title_of(lines: list[str]) -> str:
    """The heading sentence: up to the first 。, joining lines a PDF copy wrapped mid-sentence."""
    texts = [text for text in (strip_notes(line) for line in lines) if text]
    if not texts:
        return ""
    first = texts[0]
    wrapped = (
        "。" not in first
        and not first.endswith(("：", ":"))
        and ("，" in first or "、" in first or len(first) >= _WRAPPED_HEADING_MIN)
    )
    if wrapped:
        joined = "".join(texts)
        if "。" in joined:
            first = joined
    if "。" in first:
        return first.split("。", 1)[0].strip()
    return first.strip(_TITLE_TRIM)


def _drop_signature(lines: list[str]) -> None:
    """Remove the issuing authority's name lines that precede a closing date."""
    while len(lines) > 1 and authorities(lines[-1]):
        lines.pop()


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
        """Closing articles in a section without numbered items (附则) are measures of their own."""
        if not self.section_has_measures and self.scheme is not None:
            closing_section = self.section in _CLOSING_SECTIONS
            for number, text in self.unnumbered:
                if _CLOSING_ARTICLE_RE.match(text):
                    self.drafts.append(_Draft("", self.section, number, [text]))
                elif closing_section and self.drafts and self.drafts[-1].section == self.section:
                    self.drafts[-1].lines.append(text)
                elif closing_section:
                    self.drafts.append(_Draft("", self.section, number, [text]))
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
        if not self.drafts and _ATTACHMENT_HEADER_RE.match(line):
            # A cover letter ends where its attachment, the document proper, begins.
            self.preamble, self.sections, self.section = [], [], None
            self.unnumbered = []
            return
        if self.in_body:
            current = self.drafts[-1]
            if current.lines and self.scheme != "article" and _CLOSING_ARTICLE_RE.match(line):
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
            walk.close_section()  # a closing 附则 section's lines become measures before the signature goes
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
            provision=is_provision(body),
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
    drafts, sections = walk.drafts, walk.sections
    if scheme is None:
        drafts = [d for d in drafts if any("。" in line for line in d.lines)]
        sections = []
    if not drafts:
        raise ParseError(
            "未找到可识别的政策措施编号（（一）、第X条、1.、一是）(no recognisable measures)",
            lines[0][0],
        )
    measures = tuple(_measures(document_id, drafts))
    return Document(
        id=document_id,
        title=_document_title(walk.preamble, document_id),
        numbering=_SCHEME_NUMBERING[scheme] if scheme else Numbering.SECTION,
        sections=tuple(sections),
        measures=measures,
        meta=read_metadata(text, measures),
    )
