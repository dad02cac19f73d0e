"""Expressions over observation ids, as written in ``data/raw/consistency.csv``.

``xiangxi.poor_population.2013 / xiangxi.poverty_incidence.2013``: observation ids
combined with ``+ - * /`` and parentheses. Typed numbers are refused, so every value in
a consistency check comes from a curated observation.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

_ID = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+\.\d{4}(\.ext)?$")
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


@dataclass(frozen=True)
class Expression:
    """A parsed side: its observation ids in order and a function of their values."""

    text: str
    ids: tuple[str, ...]
    func: Callable[..., float]


def parse_expression(text: str) -> Expression:
    """Parse ``"a.b.2013 / a.c.2013"`` (ids joined by + - * /).

    Raises
    ------
    ValueError
        On anything else than observation ids, the four operators and parentheses
        (typed numbers are refused: every value must come from an observation).

    >>> parse_expression("x.a.2019 + x.b.2019").ids
    ('x.a.2019', 'x.b.2019')
    """
    tokens = re.findall(r"[()+\-*/]|[^\s()+\-*/]+", text or "")
    if not tokens:
        raise ValueError("the expression is empty")
    names: dict[str, str] = {}
    out = []
    for tok in tokens:
        if tok in "()+-*/":
            out.append(tok)
        elif _ID.match(tok):
            names.setdefault(tok, f"v{len(names)}")
            out.append(names[tok])
        else:
            raise ValueError(f"'{tok}' is not an observation id (region.indicator.year) or one of + - * / ( )")
    code = " ".join(out)
    try:
        tree = ast.parse(code, mode="eval")
    except SyntaxError:
        raise ValueError(f"'{text}' is not a well-formed expression") from None
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Expression, ast.BinOp, ast.Name, ast.Load, *_OPS)):
            raise ValueError(f"'{text}' may only combine observation ids with + - * /")
    compiled = compile(tree, "<consistency>", "eval")
    order = list(names.values())

    def func(*args: float) -> float:
        return float(eval(compiled, {"__builtins__": {}}, dict(zip(order, args, strict=True))))

    return Expression(text.strip(), tuple(names), func)
