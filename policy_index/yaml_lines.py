"""YAML → plain values that remember their line numbers, so checkers can say `file:line`."""

from __future__ import annotations

import yaml
from yaml.constructor import SafeConstructor


class YamlSyntaxError(ValueError):
    """The text is not valid YAML; `line` says where."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


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


def _convert(node: yaml.Node, constructor: SafeConstructor) -> object:
    if isinstance(node, yaml.MappingNode):
        mapping = LineDict(_line(node))
        for key_node, value_node in node.value:
            key = _convert(key_node, constructor)
            if not isinstance(key, str | int | bool | float) and key is not None:
                raise YamlSyntaxError("映射的键必须是简单值 (mapping keys must be scalars)", _line(key_node))
            mapping[key] = _convert(value_node, constructor)
            mapping.key_lines[key] = _line(key_node)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        sequence = LineList(_line(node))
        for item in node.value:
            sequence.append(_convert(item, constructor))
            sequence.item_lines.append(_line(item))
        return sequence
    return constructor.construct_object(node, deep=True)


def load_yaml_with_lines(text: str) -> object:
    """Parse one YAML document; mappings and sequences come back as `LineDict` / `LineList`."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        raise YamlSyntaxError(f"YAML 语法错误：{exc.problem} (invalid YAML)", line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML 语法错误：{exc} (invalid YAML)", 1) from None
    if node is None:
        return None
    return _convert(node, SafeConstructor())


def line_of(value: object, default: int) -> int:
    """The line a value read by `load_yaml_with_lines` starts on, else `default`."""
    return value.line if isinstance(value, LineDict | LineList) else default


def key_line(mapping: object, key: str, default: int) -> int:
    """The line of `key` in a mapping read by `load_yaml_with_lines`, else `default`."""
    if isinstance(mapping, LineDict):
        return mapping.key_lines.get(key, mapping.line)
    return default
