"""The small expression language of procedure specs: relevant, required, constraint, calculate.

Grammar (a strict subset of Python expression syntax, checked node by node before any
evaluation; see docs/forms.md):

    expr     := test [ "if" test "else" expr ]
    test     := ["not"] compare { ("and" | "or") ["not"] compare }
    compare  := sum { ("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") sum }
    sum      := term { ("+" | "-") term }
    term     := unary { ("*" | "/" | "%") unary }
    unary    := ["-"] atom
    atom     := NUMBER | 'STRING' | True | False | None | NAME | NAME "(" [expr {"," expr}] ")"
              | "[" [expr {"," expr}] "]" | "(" expr ")"

NAME is a field key of the spec (or ``today``-style functions listed in FUNCTIONS).
No attributes, subscripts, comprehensions, lambdas, f-strings or assignments: nothing
can reach Python objects, so a spec, even a hostile one, cannot run code. Evaluation is
done by ``simpleeval`` (a maintained safe evaluator) restricted to the same node set.
Dates are ISO strings ("2025-07-01"): they compare correctly as text.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from simpleeval import InvalidExpression, SimpleEval

from kiosk.errors import BadInput
from kiosk.forms.personal_id import check_id_number, is_phone
from kiosk.forms.vietnamese import date_in_words

MAX_LENGTH = 500


class ExpressionError(BadInput):
    """An expression in a spec is not in the language, or failed on the values given."""


def _to_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _age(born: Any, at: Any) -> int | None:
    """Whole years between two ISO dates (a partial or empty date gives None)."""
    start, end = _to_date(born), _to_date(at)
    if start is None or end is None:
        return None
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _days_between(first: Any, second: Any) -> int | None:
    start, end = _to_date(first), _to_date(second)
    return None if start is None or end is None else (end - start).days


def _year(value: Any) -> int | None:
    if isinstance(value, str) and re.match(r"\d{4}", value):
        return int(value[:4])
    return None


def _in_words(value: Any) -> str:
    day = _to_date(value)
    return date_in_words(day) if day else ""


def _is_id(value: Any, born: Any = None, sex: Any = None) -> bool:
    """A valid 12-digit ID; with a date (or year) of birth and sex, consistent with them."""
    return check_id_number(str(value or ""), birth_year=_year(born) if born else None,
                           sex=sex or None).ok


def _is_email(value: Any) -> bool:
    return bool(re.fullmatch(r"[^@\s]{1,64}@[^@\s]{1,255}\.[A-Za-z]{2,}", str(value or "")))


def _add_days(value: Any, days: Any) -> str:
    day = _to_date(value)
    return (day + timedelta(days=int(days))).isoformat() if day and isinstance(days, int) else ""


def _count(value: Any) -> int:
    return len(value) if isinstance(value, list) else 0


def _digits(value: Any, length: Any) -> bool:
    return isinstance(value, str) and value.isdigit() and len(value) == length


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str | list) else 0


def _coalesce(*values: Any) -> Any:
    return next((v for v in values if v not in (None, "")), "")


# The whole standard library of the language. Each takes plain values and returns one.
BASE_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "age": _age,
    "days_between": _days_between,
    "year": _year,
    "present": lambda value: value not in (None, "", []),
    "in_words": _in_words,
    "is_id": _is_id,
    "is_phone": lambda value: is_phone(str(value or "")),
    "is_email": _is_email,
    "add_days": _add_days,
    "count": _count,
    "digits": _digits,
    "length": _length,
    "coalesce": _coalesce,
    "min": min,
    "max": max,
}
# Functions whose value depends on the clock; the engine binds them to its own "today".
CLOCK_FUNCTIONS = ("today",)

_OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Mod: operator.mod, ast.USub: operator.neg,
    ast.Not: operator.not_, ast.Eq: operator.eq, ast.NotEq: operator.ne,
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}
_NODES = (ast.Expression, ast.Expr, ast.Name, ast.Load, ast.UnaryOp, ast.BinOp, ast.BoolOp,
          ast.And, ast.Or, ast.Compare, ast.IfExp, ast.Call, ast.Constant, ast.List)


@dataclass(frozen=True)
class Expression:
    """A parsed, checked expression; ``names`` are the field keys it reads."""

    source: str
    tree: ast.AST
    names: frozenset[str]


def compile_expression(source: str, known_names: set[str] | None = None) -> Expression:
    """Parse and check ``source``; raise ExpressionError naming the first thing not allowed."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("an expression must be non-empty text")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
    try:
        module = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"not a valid expression: {source!r} ({error.msg})") from error
    names: set[str] = set()
    functions = set(BASE_FUNCTIONS) | set(CLOCK_FUNCTIONS)
    for node in ast.walk(module):
        if isinstance(node, ast.operator | ast.unaryop | ast.cmpop):
            if type(node) not in _OPERATORS:
                raise ExpressionError(f"operator {type(node).__name__} not allowed in {source!r}")
            continue
        if not isinstance(node, _NODES):
            raise ExpressionError(f"{type(node).__name__} not allowed in {source!r}")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in functions:
                raise ExpressionError(f"unknown function in {source!r}")
            if node.keywords:
                raise ExpressionError(f"keyword arguments not allowed in {source!r}")
        elif isinstance(node, ast.Name) and node.id not in functions:
            if node.id.startswith("_"):
                raise ExpressionError(f"name {node.id!r} not allowed in {source!r}")
            names.add(node.id)
        elif isinstance(node, ast.Constant) and not isinstance(
                node.value, str | int | float | bool | type(None)):
            raise ExpressionError(f"constant not allowed in {source!r}")
    if known_names is not None and names - known_names:
        raise ExpressionError(f"unknown field {sorted(names - known_names)[0]!r} in {source!r}")
    return Expression(source, module.body, frozenset(names))


class _Evaluator(SimpleEval):
    """simpleeval with the node table cut down to the grammar above."""

    def __init__(self, names: Mapping[str, Any], functions: dict[str, Callable[..., Any]]):
        super().__init__(operators=dict(_OPERATORS), functions=functions, names=dict(names))
        allowed = {ast.Name, ast.UnaryOp, ast.BinOp, ast.BoolOp, ast.Compare, ast.IfExp,
                   ast.Call, ast.Constant}
        self.nodes = {kind: handler for kind, handler in self.nodes.items() if kind in allowed}
        self.nodes[ast.List] = lambda node: [self._eval(item) for item in node.elts]


def evaluate(expression: Expression, values: Mapping[str, Any], today: date) -> Any:
    """The value of a compiled expression; names not in ``values`` read as ""."""
    names = {name: values.get(name, "") for name in expression.names}
    functions = dict(BASE_FUNCTIONS, today=lambda: today.isoformat())
    try:
        return _Evaluator(names, functions).eval(expression.source, previously_parsed=expression.tree)
    except (InvalidExpression, TypeError, ValueError, ZeroDivisionError, ArithmeticError) as error:
        raise ExpressionError(f"expression {expression.source!r} failed: {type(error).__name__}") \
            from error
