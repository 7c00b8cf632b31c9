"""Digits as the words a speech model knows: the Sphinx vocabulary has no digit tokens."""

from __future__ import annotations

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _two_digits(n: int) -> list[str]:
    if n < 20:
        return [_ONES[n]]
    tens, ones = divmod(n, 10)
    return [_TENS[tens] if ones == 0 else f"{_TENS[tens]}-{_ONES[ones]}"]


def spell_number(digits: str) -> list[str] | None:
    """Spoken form of 0..9999 (years read as pairs: 1984 -> nineteen eighty-four)."""
    if not digits.isascii() or not digits.isdigit() or len(digits) > 4:
        return None
    n = int(digits)
    if n < 100:
        return _two_digits(n)
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return [_ONES[hundreds], "hundred", *(_two_digits(rest) if rest else [])]
    if 1100 <= n <= 1999 or n >= 2010:  # year-style reading
        hi, lo = divmod(n, 100)
        if lo == 0:
            return [*_two_digits(hi), "hundred"]
        return [*_two_digits(hi), *(["oh", _ONES[lo]] if lo < 10 else _two_digits(lo))]
    thousands, rest = divmod(n, 1000)
    words = [_ONES[thousands], "thousand"]
    if rest:
        words += spell_number(str(rest)) or []
    return words
