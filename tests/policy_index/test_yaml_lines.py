"""Reading admin-supplied YAML safely: limits on size, nesting and aliases; bad tags found at their line."""

from __future__ import annotations

import pytest

from policy_index.yaml_lines import MAX_YAML_CHARS, YamlRefused, YamlSyntaxError, load_yaml_with_lines

# The "billion laughs": 390 bytes that expand to 9**9 list items.
ALIAS_BOMB = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]" for prev, name in zip("abcdefgh", "bcdefghi", strict=True)),
    ]
)


def test_the_alias_bomb_is_small() -> None:
    assert len(ALIAS_BOMB.encode()) <= 400


def test_an_alias_bomb_is_refused() -> None:
    with pytest.raises(YamlRefused, match="别名或节点过多"):
        load_yaml_with_lines(ALIAS_BOMB)


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(YamlRefused, match="递归"):
        load_yaml_with_lines("a: &x [1, *x]\n")


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(YamlRefused, match="嵌套"):
        load_yaml_with_lines("[" * 5000 + "]" * 5000)


def test_text_past_the_size_limit_is_refused() -> None:
    with pytest.raises(YamlRefused, match="文本超过"):
        load_yaml_with_lines("#" * (MAX_YAML_CHARS + 1))


def test_a_few_aliases_are_still_fine() -> None:
    data = load_yaml_with_lines("base: &b {x: 1}\none: *b\ntwo: *b\n")
    assert data == {"base": {"x": 1}, "one": {"x": 1}, "two": {"x": 1}}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: !!python/object:os.system x\n", 2),
        ("a: !!int lots\n", 1),
        ("a: !!float nope\n", 1),
        ("- !!timestamp 2020-13-45\n", 1),
        ("a:\n  - !!python/object/apply:os.system ['true']\n", 2),
        ("a: !!set {x}\n", 1),
        ("a: !unknown x\n", 1),
    ],
)
def test_malformed_tags_are_syntax_errors_at_their_line(text: str, line: int) -> None:
    with pytest.raises(YamlSyntaxError) as raised:
        load_yaml_with_lines(text)
    assert raised.value.line == line
