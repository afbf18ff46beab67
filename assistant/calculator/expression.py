"""A safe arithmetic evaluator for free expressions: numbers, + − × ÷, bounded **, parentheses and %. Never eval."""

from __future__ import annotations

import ast
import re
from decimal import Decimal, InvalidOperation, localcontext

from assistant.errors import CalculatorError
from assistant.text import normalise

MAX_CHARS = 200
MAX_NODES = 60
MAX_EXPONENT = 12
MAX_MAGNITUDE = Decimal(10) ** 30
_SYMBOLS = str.maketrans({"×": "*", "÷": "/", "−": "-", "–": "-", "（": "(", "）": ")", "^": "**"})
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")


def evaluate(expression: str) -> Decimal:
    """The exact value of an arithmetic expression such as ``(42.1 - 16.01) * 2`` or ``15% * 80``.

    Raises:
        CalculatorError: for anything but numbers and arithmetic, division by zero, a too-large exponent or
            result, or an expression too long to be a question's arithmetic.
    """
    text = normalise(expression or "").strip()
    if not text:
        raise CalculatorError("The expression is empty.")
    if len(text) > MAX_CHARS:
        raise CalculatorError(f"The expression is too long ({len(text)} characters; the limit is {MAX_CHARS}).")
    text = _PERCENT.sub(r"(\1/100)", _THOUSANDS.sub("", text.translate(_SYMBOLS)))
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise CalculatorError(f"'{expression}' is not an arithmetic expression.") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise CalculatorError("The expression has too many terms.")
    with localcontext() as ctx:
        ctx.prec = 28
        return _check(_eval(tree.body, text))


def _eval(node: ast.AST, source: str) -> Decimal:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        literal = ast.get_source_segment(source, node) or str(node.value)
        return _check(Decimal(literal.replace("_", "")))  # the digits as written, never through a float
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        value = _eval(node.operand, source)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        return _binary(node, source)
    raise CalculatorError(f"Only numbers and + - * / ** ( ) % are allowed, not {_describe(node)}.")


def _binary(node: ast.BinOp, source: str) -> Decimal:
    left, right = _eval(node.left, source), _eval(node.right, source)
    if isinstance(node.op, ast.Add):
        return _check(left + right)
    if isinstance(node.op, ast.Sub):
        return _check(left - right)
    if isinstance(node.op, ast.Mult):
        return _check(left * right)
    if isinstance(node.op, ast.Div):
        if right == 0:
            raise CalculatorError("Division by zero.")
        return _check(left / right)
    if isinstance(node.op, ast.Pow):
        return _power(left, right)
    raise CalculatorError(f"The operator {type(node.op).__name__} is not allowed.")


def _power(base: Decimal, exponent: Decimal) -> Decimal:
    if abs(exponent) > MAX_EXPONENT:
        raise CalculatorError(f"Exponents are limited to ±{MAX_EXPONENT}.")
    if base == 0 and exponent < 0:
        raise CalculatorError("Division by zero.")
    if base < 0 and exponent != exponent.to_integral_value():
        raise CalculatorError("A negative number has no real fractional power.")
    try:
        return _check(base**exponent)
    except InvalidOperation:
        raise CalculatorError("The power cannot be computed.") from None


def _check(value: Decimal) -> Decimal:
    if not value.is_finite() or abs(value) > MAX_MAGNITUDE:
        raise CalculatorError("The number is too large to be a figure from the news (limit 10^30).")
    return value


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return f"the name '{node.id}'"
    if isinstance(node, ast.Call):
        return "a function call"
    if isinstance(node, ast.Attribute):
        return "an attribute"
    if isinstance(node, ast.Constant):
        return f"the value {node.value!r}"
    return f"a {type(node).__name__} expression"
