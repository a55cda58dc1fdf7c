"""What a document's text says about itself: 文号, issuer, level, status and dates.

Everything here is a proposal the admin confirms or corrects (DESIGN.md, "Policy library"): a
value that cannot be read with confidence stays None rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from common.documents import DocumentLevel, DocumentStatus
from policy_index.dates import DATE_PATTERN, STANDALONE_DATE_RE, days_after, last_day_of, parse_date
from policy_index.document import DocumentMeta, Measure
from policy_index.numerals import parse_chinese_numeral

# 文号 on a line of its own: agency prefix, year in any of the brackets offices use, serial, 号.
# Only a whole line counts, so a number cited inside a sentence (按照《…》（川府发〔2020〕3号）) never does.
# An upward document (上行文) may carry 签发人 on the same line.
_DOC_NUMBER_RE = re.compile(
    r"^(?P<number>[\u4e00-\u9fff]{1,12}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d{1,4}\s*[号號]"
    r"|[\u4e00-\u9fff ]{2,30}公告\s*(?:19|20)\d{2}\s*年\s*第\s*\d{1,4}\s*[号號])"
    r"(?:\s+(?:签发人|簽發人)\s*[：:].*)?$"
)
# The name of an office, as it appears in letterheads, titles and signatures (党政办, 管委会 included).
_AUTHORITY_RE = re.compile(r"(?:政府|委員會|委员会|会|會|厅|廳|局|部|委|署|院|办|辦|办公室|辦公室|银行|銀行|中心)$")
_AUTHORITY_MAX = 40
_TWO_NAMES_RE = re.compile(r"^(?P<name>[^（）()]+)[（(](?P<alias>[^（）()]+)[）)]$")
_LETTERHEAD_RE = re.compile(r"^(?P<name>.{2,80}?)\s*文\s*件$")
# Spaced-out letterheads: 财 政 部 文 件 is one name, not five.
_SPACED_RE = re.compile(r"^(?:[\u4e00-\u9fff][ \u3000]+)+[\u4e00-\u9fff]$")
_TITLE_ISSUER_RE = re.compile(r"^(?P<name>[^，。：:《]{2,80}?)\s*(?:关于|關於)")
# A heading line marking a text that is not final: 征求意见稿, 送审稿, 草案, 公开征求…意见.
_DRAFT_RE = re.compile(r"征求意见稿|徵求意見稿|征求意見稿|送审稿|送審稿|草案|(?:征求|徵求).{0,60}?(?:意见|意見)")
# Where the measures start when the parser gave none: a numbered line or a sentence.
_BODY_START_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、．.]|第[一二三四五六七八九十]+[章条條]|[（(][一二三四五六七八九十]+[）)])"
)
_TITLE_MAX = 80

# Closing sentences. Candidates are provisions' sentences and sentences that start with 本 (本办法…):
# both speak of this document, not of one it cites.
_SELF_SENTENCE_RE = re.compile(r"^本[\u4e00-\u9fff]{1,12}?(?:自|从|從|于|於|有效期|执行|執行|实施|實施|试行|試行|由)")
_SENTENCE_SPLIT_RE = re.compile(r"[。；;\n]+")
_IN_FORCE = r"(?:施行|实施|實施|执行|執行|试行|試行|生效)"
_FROM_DATE_RE = re.compile(
    rf"(?:自|从|從|于|於)\s*(?P<date>{DATE_PATTERN})\s*(?:起|开始|開始)[^，,。；]{{0,8}}?{_IN_FORCE}"
)
_ON_ISSUE_RE = re.compile(
    r"(?:自|从|從)\s*(?:印发|印發|发布|發布|公布|颁布|頒布|发文|發文|签发|簽發)之日起\s*"
    rf"(?:(?P<days>\d{{1,3}}|[一二三四五六七八九十百]{{1,4}})\s*(?:日|天)\s*[以之]?\s*[后後])?\s*{_IN_FORCE}"
)
_RANGE_RE = re.compile(rf"(?P<start>{DATE_PATTERN})\s*起?\s*(?:至|到|—|－|~|～)\s*(?P<end>{DATE_PATTERN})")
_UNTIL_RE = re.compile(
    rf"(?:有效期|有效期限|(?:执行|執行|实施|實施|试行|試行)(?:期限?)?)\s*(?:为|為)?\s*(?:至|到|截至|截止)\s*"
    rf"(?P<end>{DATE_PATTERN})"
)
_YEARS_RE = re.compile(
    r"(?:有效期|有效期限|(?:执行|執行|实施|實施|试行|試行)期限?)\s*(?:为|為|是)?\s*"
    r"(?P<n>\d{1,3}|[一二两兩三四五六七八九十]{1,3})\s*年"
)

PREFIXES_FILE = Path(__file__).parent / "data" / "doc_number_prefixes.yaml"


@dataclass(frozen=True, slots=True)
class DocNumberPrefixes:
    """What a 文号's prefix tells: the one issuer it names, or only that the issuer is national."""

    issuers: Mapping[str, str]
    national: tuple[str, ...]


@cache
def bundled_prefixes() -> DocNumberPrefixes:
    """The bundled table of 文号 prefixes (policy_index/data/doc_number_prefixes.yaml)."""
    data = yaml.safe_load(PREFIXES_FILE.read_text(encoding="utf-8"))
    return DocNumberPrefixes({str(k): str(v) for k, v in data["issuers"].items()}, tuple(map(str, data["national"])))


# Levels, most specific first: 成都市双流区 is a county, 成都高新区 a zone, 国家税务总局四川省税务局 provincial.
_LEVEL_MARKERS: tuple[tuple[DocumentLevel, re.Pattern[str]], ...] = (
    (
        DocumentLevel.ZONE,
        re.compile(r"高新区|高新區|开发区|開發區|园区|園區|新区|新區|管委会|管委會|管理委员会|管理委員會"),
    ),
    # 区 of a district's office (新都区人力资源和社会保障局), not of 区域 (成都市区域经济合作局).
    (DocumentLevel.COUNTY, re.compile(r"[县縣旗]|(?<!自治)[区區](?!域)(?:人民|政府|委|管|办|辦|.{0,14}局)")),
    (DocumentLevel.CITY, re.compile(r"市(?!场|場)|自治州|州人民政府|盟")),  # 四川省市场监督管理局 is provincial
    (DocumentLevel.PROVINCIAL, re.compile(r"省|自治区|自治區")),
    (
        DocumentLevel.NATIONAL,
        re.compile(r"^(?:国务院|國務院|国家|國家|中共中央|全国|全國|中国人民银行)|(?:部|总局|總局|总署|總署|委)$"),
    ),
    (DocumentLevel.PROVINCIAL, re.compile(r"[厅廳]$")),  # 科技厅: only provinces have 厅; 国务院办公厅 is caught above
)
# Whom a document addresses tells its issuer's level when nothing else does (主送 line).
_ADDRESSEE_LEVELS: tuple[tuple[DocumentLevel, re.Pattern[str]], ...] = (
    (DocumentLevel.NATIONAL, re.compile(r"各省、自治区、直辖市|国务院各部委")),
    (DocumentLevel.PROVINCIAL, re.compile(r"各市（州）|各市\(州\)|省政府各部门|省级各部门|省直各部门|省級各部門")),
    (DocumentLevel.CITY, re.compile(r"各区（市）县|各區（市）縣|市政府各部门|市级各部门|市級各部門|市级有关部门")),
    (DocumentLevel.COUNTY, re.compile(r"各镇（街道）|各乡镇|各鄉鎮|县级各部门|縣級各部門")),
)


@dataclass(frozen=True, slots=True)
class _Signature:
    issuers: tuple[str, ...] = ()
    day: date | None = None


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = ("".join(ch for ch in raw if unicodedata.category(ch)[0] != "C").strip() for raw in text.split("\n"))
    return [line for line in cleaned if line]


def _body_start(lines: list[str], measures: Sequence[Measure]) -> int:
    """Index of the line where the first measure begins (the end of the heading block)."""
    if measures:
        first = measures[0]
        probe = first.body.split("\n", 1)[0][:12]
        for index, line in enumerate(lines):
            if line.startswith(first.label) and probe in line:
                return index
    for index, line in enumerate(lines):
        if _BODY_START_RE.match(line):
            return index
    return len(lines)


def _is_authority(name: str) -> bool:
    if two_names := _TWO_NAMES_RE.match(name):  # 一个机构两块牌子: 某市场监督管理局（某知识产权局）
        return _is_single_authority(two_names.group("name")) and _is_single_authority(two_names.group("alias"))
    return _is_single_authority(name)


def _is_single_authority(name: str) -> bool:
    return (
        2 <= len(name) <= _AUTHORITY_MAX
        and not re.search(r"[，。：:；;、,（）()《》]", name)
        and bool(_AUTHORITY_RE.search(name))
    )


def authorities(line: str) -> tuple[str, ...]:
    """The office names on a line (joint issuers are separated by spaces), or () if it holds anything else."""
    if _SPACED_RE.match(line):
        line = re.sub(r"[ \u3000]+", "", line)
    names = tuple(part for part in re.split(r"[ \u3000]+", line) if part)
    return names if names and all(_is_authority(n) for n in names) else ()


def read_doc_number(heading: Sequence[str]) -> str | None:
    """The 文号 written on a line of its own in the heading block, as written."""
    for line in heading:
        match = _DOC_NUMBER_RE.match(line)
        if match:
            return match.group("number").strip()
    return None


def _letterhead_issuer(heading: Sequence[str]) -> tuple[str, ...]:
    for index, line in enumerate(heading):
        match = _LETTERHEAD_RE.match(line)
        if match is None:
            continue
        names = authorities(match.group("name").strip())
        earlier: list[str] = []  # a joint letterhead may stack names on the lines above
        for above in reversed(heading[:index]):
            stacked = authorities(above)
            if not stacked:
                break
            earlier[:0] = stacked
        if names:
            return (*earlier, *names)
    return ()


def _title_lines(heading: Sequence[str]) -> list[str]:
    """The heading's lines up to the 主送 line or the first sentence."""
    lines: list[str] = []
    for line in heading:
        if line.endswith(("：", ":")) or "。" in line or len(line) > _TITLE_MAX:
            break
        lines.append(line)
    return lines


def _title_issuer(heading: Sequence[str]) -> tuple[str, ...]:
    heading = _title_lines(heading)
    for index, line in enumerate(heading):
        match = _TITLE_ISSUER_RE.match(line)
        if match:
            return authorities(match.group("name").strip())
        if index + 1 < len(heading) and heading[index + 1].startswith(("关于", "關於")):
            names = authorities(line)
            if names:
                return names
    return ()


def _signature(lines: Sequence[str]) -> _Signature:
    """The last date line (the signature's, or a 印发日期 under the heading) and the office names above it."""
    for index in range(len(lines) - 1, -1, -1):
        if STANDALONE_DATE_RE.match(lines[index]):
            names: list[str] = []
            for above in reversed(lines[:index]):
                stacked = authorities(above)
                if not stacked:
                    break
                names[:0] = stacked
            return _Signature(tuple(names), parse_date(lines[index]))
    return _Signature()


def _prefix_of(doc_number: str | None) -> str:
    return re.split(r"[\s〔\[［(（【]", doc_number, maxsplit=1)[0] if doc_number else ""


def guess_level(issuer: str) -> DocumentLevel | None:
    """The level an issuer's name suggests (高新区 → zone, 双流区 → county, 成都市 → city…), or None."""
    for level, marker in _LEVEL_MARKERS:
        if marker.search(issuer):
            return level
    return None


def _level(issuers: Sequence[str], doc_number: str | None, heading: Sequence[str]) -> DocumentLevel | None:
    for issuer in issuers:
        level = guess_level(issuer)
        if level is not None:
            return level
    prefix, known = _prefix_of(doc_number), bundled_prefixes()
    if prefix in known.issuers:
        return guess_level(known.issuers[prefix])
    if prefix.startswith(known.national):
        return DocumentLevel.NATIONAL
    for line in heading:
        if line.endswith(("：", ":")):
            return next((level for level, marker in _ADDRESSEE_LEVELS if marker.search(line)), None)
    return None


def _is_draft(heading: Sequence[str]) -> bool:
    return any(len(line) <= _TITLE_MAX and "。" not in line and _DRAFT_RE.search(line) for line in heading)


def _closing_sentences(text: str, measures: Sequence[Measure]) -> list[str]:
    sources = [m.body for m in measures if m.provision] or [text]
    sentences = [s.strip() for source in sources for s in _SENTENCE_SPLIT_RE.split(source)]
    if any(m.provision for m in measures):
        return [s for s in sentences if s]
    return [s for s in sentences if _SELF_SENTENCE_RE.match(s)]


def _count(text: str) -> int | None:
    return int(text) if text.isdecimal() else parse_chinese_numeral(text.replace("兩", "两"))


def read_validity(sentences: Sequence[str], issued_on: date | None) -> tuple[date | None, date | None]:
    """`(effective_from, effective_to)` from closing sentences; 自印发之日 means `issued_on`."""
    start: date | None = None
    end: date | None = None
    years: int | None = None
    for sentence in sentences:
        if span := _RANGE_RE.search(sentence):
            start = start or parse_date(span.group("start"))
            end = end or parse_date(span.group("end"))
        if (since := _FROM_DATE_RE.search(sentence)) and start is None:
            start = parse_date(since.group("date"))
        if (on_issue := _ON_ISSUE_RE.search(sentence)) and start is None and issued_on is not None:
            delay = _count(on_issue.group("days")) if on_issue.group("days") else 0
            start = days_after(issued_on, delay) if delay is not None else None
        if (until := _UNTIL_RE.search(sentence)) and end is None:
            end = parse_date(until.group("end"))
        if (period := _YEARS_RE.search(sentence)) and years is None:
            years = _count(period.group("n"))
    first_day = start or issued_on
    if end is None and years is not None and first_day is not None:
        end = last_day_of(first_day, years)
    return start, end


def read_metadata(text: str, measures: Sequence[Measure] = ()) -> DocumentMeta:
    """Propose a document's metadata from its text; the level is a guess the admin confirms."""
    lines = _lines(text)
    start = _body_start(lines, measures)
    heading = lines[:start]
    doc_number = read_doc_number(heading)
    signature = _signature(lines)
    issuers = _letterhead_issuer(heading) or signature.issuers or _title_issuer(heading)
    issuer = "、".join(issuers) or bundled_prefixes().issuers.get(_prefix_of(doc_number))
    issued_on = signature.day
    effective_from, effective_to = read_validity(_closing_sentences(text, measures), issued_on)
    level = _level(issuers or ((issuer,) if issuer else ()), doc_number, heading)
    return DocumentMeta(
        doc_number=doc_number,
        issuer=issuer,
        level=level or DocumentMeta().level,
        status=DocumentStatus.DRAFT if _is_draft(heading) else DocumentStatus.IN_FORCE,
        issued_on=issued_on,
        effective_from=effective_from,
        effective_to=effective_to,
    )
