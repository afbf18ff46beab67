"""The deterministic calculator: exact ``Decimal`` arithmetic on cited figures, as functions and LangChain tools."""

from assistant.calculator.expression import evaluate
from assistant.calculator.ops import Calculation, Operand, Rate
from assistant.calculator.render import render
from assistant.calculator.tools import calculator_tools, figure

__all__ = ["Calculation", "Operand", "Rate", "calculator_tools", "evaluate", "figure", "render"]
