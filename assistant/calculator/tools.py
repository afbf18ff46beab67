"""The calculator as typed LangChain tools: figures go in as written ("42.1亿港元"), a JSON working comes out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant.calculator import ops
from assistant.calculator.expression import evaluate
from assistant.errors import CalculatorError
from assistant.numbers import Quantity, parse_quantities

_IGNORED = " \t,，。.;；:：()（）"


def figure(text: str) -> Quantity:
    """Exactly one figure written as text, e.g. ``42.1亿-48.5亿港元`` or ``HK$5.58bn``.

    Raises:
        CalculatorError: when the text holds no figure, several figures, or words the parser does not know as a
            unit or currency (so "5 furlongs" is refused rather than read as 5).
    """
    found = parse_quantities(text or "")
    if len(found) != 1:
        what = "no figure" if not found else f"{len(found)} figures"
        raise CalculatorError(f"Expected one figure such as '42.1亿港元' or 'US$372.5m', got {what} in '{text}'.")
    q = found[0]
    leftover = (text[: q.start] + text[q.end :]).strip(_IGNORED)
    if leftover:
        raise CalculatorError(f"Unknown unit or word '{leftover}' in '{text}'.")
    return q


def number(text: str | float) -> Decimal:
    """A plain positive or negative number."""
    try:
        value = Decimal(str(text).replace(",", "").strip())
    except InvalidOperation:
        raise CalculatorError(f"'{text}' is not a number.") from None
    if not value.is_finite():
        raise CalculatorError(f"'{text}' is not a finite number.")
    return value


def _run(kind: str, **args: Any) -> dict[str, Any]:
    """Dispatch one tool call; errors come back as ToolException so an agent sees the message."""
    from langchain_core.tools import ToolException

    try:
        return _calculate(kind, args).to_json()
    except CalculatorError as exc:
        raise ToolException(str(exc)) from exc


def run_tool_call(name: str, args: dict[str, Any]) -> ops.Calculation:
    """The calculation a ``calc_<kind>`` tool call asks for (what the tool itself returns as JSON).

    Raises:
        CalculatorError: for an unknown tool or arguments the calculation cannot use.
    """
    kind = name.removeprefix("calc_")
    if kind not in _SPECS or not name.startswith("calc_"):
        raise CalculatorError(f"Unknown calculator tool '{name}'. Use one of: {', '.join('calc_' + k for k in _SPECS)}")
    try:
        return _calculate(kind, dict(args))
    except (KeyError, TypeError, AttributeError) as exc:
        raise CalculatorError(f"Missing or malformed argument for '{name}': {exc}") from None


def _calculate(kind: str, a: dict[str, Any]) -> ops.Calculation:
    if kind == "proceeds":
        return ops.proceeds(figure(a["shares"]), figure(a["price"]))
    if kind == "ratio":
        return ops.ratio(figure(a["a"]), figure(a["b"]))
    if kind == "share":
        return ops.share(figure(a["part"]), figure(a["total"]))
    if kind == "growth":
        return ops.growth(figure(a["new"]), figure(a["old"]))
    if kind == "cagr":
        return ops.cagr(figure(a["start"]), figure(a["end"]), number(a["years"]))
    if kind == "difference":
        return ops.difference(figure(a["a"]), figure(a["b"]))
    if kind == "sum":
        return ops.total([figure(t) for t in a["figures"]])
    if kind == "convert":
        rate = ops.Rate(a["source"].upper(), a["target"].upper(), number(a["rate"]))
        return ops.convert_currency(figure(a["amount"]), rate)
    if kind == "runway":
        try:
            start = dt.date.fromisoformat(a["start"]) if a.get("start") else None
        except ValueError:
            raise CalculatorError(f"'{a['start']}' is not a date; write it as YYYY-MM-DD.") from None
        return ops.runway(figure(a["cash"]), figure(a["burn"]), number(a["burn_months"]), start)
    value = evaluate(a["expression"])
    return ops.Calculation("expression", a["expression"], Quantity(value), ())


_SPECS: dict[str, tuple[str, dict[str, tuple[type, str]]]] = {
    "proceeds": ("Proceeds of a share offering: shares × price per share.", {
        "shares": (str, "number of shares, e.g. '7000万股'"), "price": (str, "price per share, e.g. '114.28元'")}),
    "ratio": ("How many times b is a (a ÷ b).", {"a": (str, "figure, e.g. '33亿元'"), "b": (str, "figure")}),
    "share": ("Share of a total in percent.", {"part": (str, "the part"), "total": (str, "the total")}),
    "growth": ("Growth in percent from old to new.", {"new": (str, "later figure"), "old": (str, "earlier figure")}),
    "cagr": ("Compound annual growth rate in percent.", {
        "start": (str, "first figure"), "end": (str, "last figure"), "years": (str, "years between them")}),
    "difference": ("a − b.", {"a": (str, "figure"), "b": (str, "figure")}),
    "sum": ("Sum of figures with the same unit and currency.", {"figures": (list[str], "figures as written")}),
    "convert": ("Currency conversion at an explicit, cited or user-given rate (1 source = rate target).", {
        "amount": (str, "figure with a currency"), "source": (str, "ISO code, e.g. HKD"),
        "target": (str, "ISO code, e.g. CNY"), "rate": (str, "units of target per 1 source")}),
    "runway": ("Months that cash lasts at a burn rate, and the quarter it runs out.", {
        "cash": (str, "cash or proceeds"), "burn": (str, "loss or burn over burn_months"),
        "burn_months": (str, "length of the burn period in months, e.g. '6'"),
        "start": (str, "ISO start date, e.g. '2026-01-02' (optional)")}),
    "expression": ("Evaluate arithmetic: numbers, + - * / ** ( ) %.", {"expression": (str, "e.g. '(42.1-16.01)*2'")}),
}  # fmt: skip


def calculator_tools() -> list[Any]:
    """One LangChain ``StructuredTool`` per calculation, typed with a pydantic schema."""
    from langchain_core.tools import StructuredTool
    from pydantic import Field, create_model

    tools = []
    for kind, (description, fields) in _SPECS.items():
        schema_fields: dict[str, Any] = {
            name: ((kind_ | None) if name == "start" else kind_, Field(None if name == "start" else ..., description=d))
            for name, (kind_, d) in fields.items()
        }
        schema = create_model(f"{kind.title()}Args", **schema_fields)
        tools.append(
            StructuredTool.from_function(
                func=lambda _kind=kind, **kw: _run(_kind, **kw),
                name=f"calc_{kind}",
                description=description,
                args_schema=schema,
                handle_tool_error=True,
                handle_validation_error=True,
            )
        )
    return tools
