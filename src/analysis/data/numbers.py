"""Parsing numbers written in the raw tables and the documents, without guessing.

Numeric columns are text in the CSV. Full-width digits (``７０５．７``, as a Chinese input
method types them) are normalised to ASCII with Unicode NFKC before parsing, so they are
read as the number they show, never misread. Anything else that is not a plain decimal
number is refused with a message naming file, row and column.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from analysis.errors import Problem

LARGEST = Decimal("1e18")
"""No cell of the raw tables holds a number this large (China's GDP is about 1e14 yuan, and
cells hold printed units): ``1e308`` is a slip, refused before any arithmetic overflows."""

_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_PRINTED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def normalise(text: str) -> str:
    """Return ``text`` with full-width characters folded to ASCII (NFKC) and stripped."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_plain(text: str) -> Decimal:
    """Parse a plain decimal number (after NFKC normalisation).

    Raises
    ------
    ValueError
        When ``text`` is not a plain decimal number (thousands separators, units,
        words and empty cells are refused), or its magnitude reaches :data:`LARGEST`.
    """
    t = normalise(text)
    if not _PLAIN.match(t):
        raise ValueError(f"'{text}' is not a plain number (use digits and a decimal point only, e.g. 705.7)")
    try:
        d = Decimal(t)
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        raise ValueError(f"'{text}' is not a number") from None
    if abs(d) >= LARGEST:
        raise ValueError(f"'{text}' is too large for a value of these tables (at least {LARGEST:.0E}): a slip?")
    return d


def parse_chinese(text: str) -> int:
    """Parse a small Chinese numeral such as 四, 十二, 两百 (up to 9999).

    Raises
    ------
    ValueError
        When ``text`` contains characters that are not Chinese numerals.
    """
    if not text or any(c not in _CN_DIGITS and c not in _CN_UNITS for c in text):
        raise ValueError(f"'{text}' is not a Chinese numeral")
    total, digit = 0, None
    for c in text:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[c]
            digit = None
    return total + (digit or 0)


def parse_printed(text: str) -> Decimal:
    """Parse a number as printed in a document: ``705.7``, ``4,000`` or ``四``.

    Printed values are compared with the document text character for character, so
    they are not normalised: a full-width digit in a printed value must also be in the
    quote.
    """
    t = text.strip()
    if _PRINTED.match(t):
        return Decimal(t.replace(",", ""))
    return Decimal(parse_chinese(t))


def decimals_of(text: str) -> int:
    """Number of digits after the decimal point in a printed number (``68.47`` -> 2)."""
    t = normalise(text).replace(",", "")
    return len(t.split(".")[1]) if "." in t else 0


def cell_number(
    value: str | None, file: str, row: int, column: str, problems: list[Problem], required: bool = True
) -> Decimal | None:
    """Parse one numeric cell, appending a :class:`Problem` instead of raising.

    Returns
    -------
    Decimal or None
        The number, or None when the cell is empty (and not required) or invalid.
    """
    if value is None or not str(value).strip():
        if required:
            problems.append(Problem(file, row, column, "the cell is empty; a number is required."))
        return None
    try:
        return parse_plain(str(value))
    except ValueError as exc:
        problems.append(Problem(file, row, column, f"{exc}."))
        return None


# Numbers as printed in external sources: Chinese, English, Spanish, Korean and Hindi pages
# reprint the official figures with their own separators and scale words.
_SCALE_WORDS = {
    "trillion": Decimal(10) ** 12,
    "billion": Decimal(10) ** 9,
    "million": Decimal(10) ** 6,
    "万": Decimal(10) ** 4,
    "萬": Decimal(10) ** 4,
    "亿": Decimal(10) ** 8,
    "億": Decimal(10) ** 8,
    "만": Decimal(10) ** 4,
    "억": Decimal(10) ** 8,
    "조": Decimal(10) ** 12,
}
_UNIT_WORDS = ("CNY", "yuanes", "yuan", "元", "원", "위안", "%", "por ciento", "percent")
_SPANISH = ("yuanes", "por ciento")
_TOKEN = re.compile(r"(\d[\d.,。]*)\s*(" + "|".join(map(re.escape, _SCALE_WORDS)) + r")?")


def _number(digits: str, spanish: bool) -> Decimal:
    """One run of digits and separators (``82,712.2``; Spanish ``7.917`` and ``10,7``; ``7。3``)."""
    t = digits.replace("。", ".")
    thousands, point = (".", ",") if spanish else (",", ".")
    if thousands in t:
        head, *groups = t.split(point)[0].split(thousands)
        if not (1 <= len(head) <= 3 and all(len(g) == 3 for g in groups)):
            raise ValueError(f"'{digits}' has misplaced thousands separators")
    t = t.replace(thousands, "").replace(point, ".")
    if not re.fullmatch(r"\d+(\.\d+)?", t):
        raise ValueError(f"'{digits}' is not a number")
    return Decimal(t)


def parse_printed_scaled(text: str) -> tuple[Decimal, bool]:
    """Parse an external source's printed number, with scale words and unit words.

    Handles thousands separators (``2,488,105``), the ideographic full stop as decimal
    point (``7。3%``), Spanish conventions (``7.917 yuanes`` is 7917, ``10,7 por ciento``
    is 10.7), English scale words (``82,712.2 billion``) and Chinese or Korean ones
    (``63조 6463억 위안`` is 636463 亿, ``1만 4617원`` is 14617).

    Returns
    -------
    (Decimal, bool)
        The number, and whether a scale word was printed. With a scale word the number
        is in the base unit (yuan, persons); without, it is in the row's unit.

    Raises
    ------
    ValueError
        When the text holds words that are neither scale nor unit words, or no number.

    Examples
    --------
    >>> parse_printed_scaled("63조 6463억 위안")
    (Decimal('63646300000000'), True)
    >>> parse_printed_scaled("10,7 por ciento")
    (Decimal('10.7'), False)
    """
    t = text.strip()
    spanish = any(w in t for w in _SPANISH)
    rest = t
    for w in sorted(_UNIT_WORDS, key=len, reverse=True):
        rest = rest.replace(w, " ")
    tokens = list(_TOKEN.finditer(rest))
    leftover = _TOKEN.sub(" ", rest).strip()
    if not tokens or leftover:
        try:  # a Chinese numeral (四) or a plain number
            return parse_printed(t), False
        except (ValueError, InvalidOperation):
            raise ValueError(f"'{text}' is not a number this project can read (unknown words: '{leftover}')") from None
    scaled = any(m.group(2) for m in tokens)
    if len(tokens) > 1 and not all(m.group(2) for m in tokens[:-1]):
        raise ValueError(f"'{text}' holds several numbers")
    total = Decimal(0)
    for m in tokens:
        total += _number(m.group(1), spanish) * (_SCALE_WORDS[m.group(2)] if m.group(2) else 1)
    return total, scaled
