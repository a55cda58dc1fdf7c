"""YAML → plain values that remember their line numbers, so checkers can say `file:line`.

Admins paste this YAML, so reading it is bounded: its size, nesting, alias uses and the nodes the aliases
expand to (a few hundred bytes of nested aliases otherwise expand to billions of nodes), and a recursive
alias is refused.
"""

from __future__ import annotations

import yaml
from yaml.constructor import SafeConstructor


class YamlSyntaxError(ValueError):
    """The text is not valid YAML; `line` says where."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


MAX_YAML_CHARS = 512 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 100
MAX_NODES = 50_000


class YamlRefused(ValueError):
    """The text is too large or too complex to read safely (not a finding at a line: the whole text is refused)."""


class LineDict(dict[object, object]):
    """A mapping read from YAML: `line` of the mapping, `key_lines` of each key."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[object, int] = {}


class LineList(list[object]):
    """A sequence read from YAML: `line` of the sequence, `item_lines` of each item."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


_PLAIN_COLLECTIONS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


class _Reader:
    """Converts a composed node graph, counting nodes and alias uses against the limits."""

    def __init__(self) -> None:
        self.constructor = SafeConstructor()
        self.seen: set[int] = set()
        self.path: set[int] = set()
        self.nodes = 0
        self.aliases = 0

    def convert(self, node: yaml.Node, depth: int = 0) -> object:
        self._count(node, depth)
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            if node.tag not in _PLAIN_COLLECTIONS:  # `!!python/object/apply:…` and the like
                raise YamlSyntaxError(f"YAML 标签无效：{node.tag} (invalid tag)", _line(node))
            self.path.add(id(node))
            try:
                return self._mapping(node, depth) if isinstance(node, yaml.MappingNode) else self._sequence(node, depth)
            finally:
                self.path.discard(id(node))
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:  # e.g. `!!int x`, `!!python/name`
            raise YamlSyntaxError(f"YAML 标签或值无效：{node.tag} (invalid tag or value)", _line(node)) from exc

    def _count(self, node: yaml.Node, depth: int) -> None:
        if id(node) in self.path:
            raise YamlRefused("YAML 含递归引用 (recursive YAML alias)")
        if id(node) in self.seen:
            self.aliases += 1
        self.seen.add(id(node))
        self.nodes += 1
        if depth > MAX_DEPTH:
            raise YamlRefused(f"YAML 嵌套超过 {MAX_DEPTH} 层 (YAML nested too deeply)")
        if self.aliases > MAX_ALIASES or self.nodes > MAX_NODES:
            limits = f"至多 {MAX_ALIASES} 次别名引用、{MAX_NODES} 个节点"
            raise YamlRefused(f"YAML 别名或节点过多（{limits}）(too many YAML aliases or nodes)")

    def _mapping(self, node: yaml.MappingNode, depth: int) -> LineDict:
        mapping = LineDict(_line(node))
        for key_node, value_node in node.value:
            key = self.convert(key_node, depth + 1)
            if not isinstance(key, str | int | bool | float) and key is not None:
                raise YamlSyntaxError("映射的键必须是简单值 (mapping keys must be scalars)", _line(key_node))
            mapping[key] = self.convert(value_node, depth + 1)
            mapping.key_lines[key] = _line(key_node)
        return mapping

    def _sequence(self, node: yaml.SequenceNode, depth: int) -> LineList:
        sequence = LineList(_line(node))
        for item in node.value:
            sequence.append(self.convert(item, depth + 1))
            sequence.item_lines.append(_line(item))
        return sequence


def load_yaml_with_lines(text: str) -> object:
    """Parse one YAML document; mappings and sequences come back as `LineDict` / `LineList`.

    `YamlSyntaxError` for invalid YAML (at its line), `YamlRefused` for text past the limits.
    """
    if len(text) > MAX_YAML_CHARS:
        raise YamlRefused(f"YAML 文本超过 {MAX_YAML_CHARS} 个字符 (YAML text too long)")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        raise YamlSyntaxError(f"YAML 语法错误：{exc.problem} (invalid YAML)", line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML 语法错误：{exc} (invalid YAML)", 1) from None
    except RecursionError:
        raise YamlRefused(f"YAML 嵌套超过 {MAX_DEPTH} 层 (YAML nested too deeply)") from None
    if node is None:
        return None
    return _Reader().convert(node)


def line_of(value: object, default: int) -> int:
    """The line a value read by `load_yaml_with_lines` starts on, else `default`."""
    return value.line if isinstance(value, LineDict | LineList) else default


def key_line(mapping: object, key: str, default: int) -> int:
    """The line of `key` in a mapping read by `load_yaml_with_lines`, else `default`."""
    if isinstance(mapping, LineDict):
        return mapping.key_lines.get(key, mapping.line)
    return default
