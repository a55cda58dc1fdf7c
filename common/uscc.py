"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character over the first 17."""

from __future__ import annotations

import re

# The code's alphabet: digits and capitals without I, O, S, V, Z.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(rf"^[{ALPHABET}]{{18}}$")


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(code: str) -> str:
    """Upper-case and strip a code as typed."""
    return code.strip().upper()


def uscc_problem(code: str) -> str | None:
    """Why `code` is not a valid 统一社会信用代码, in Chinese; None when it is valid."""
    if len(code) != 18:
        return "统一社会信用代码应为18位 (a USCC has 18 characters)"
    if not _SHAPE.match(code):
        return "统一社会信用代码含有不允许的字符 (the USCC has characters outside its alphabet)"
    if check_character(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确 (the USCC check character is wrong)"
    return None
