"""A cited, offline question-answering assistant for China's domestic GPU sector."""

from assistant.config import Settings
from assistant.core import Assistant, ask
from assistant.errors import (
    AssistantError,
    CalculatorError,
    ConfigError,
    IngestError,
    LLMError,
    StoreError,
)
from assistant.store import Filters
from assistant.types import Answer, Citation

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "CalculatorError",
    "Citation",
    "ConfigError",
    "Filters",
    "IngestError",
    "LLMError",
    "Settings",
    "StoreError",
    "ask",
]
