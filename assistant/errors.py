"""Every error the assistant raises on purpose.

    AssistantError
    ├── ConfigError      a setting is wrong or an optional extra is missing
    ├── IngestError      one file could not be read, decoded or chunked
    ├── StoreError       the index is missing, corrupt or built by another embedder
    ├── CalculatorError  a calculation cannot be done as asked
    └── LLMError         a chat model failed or is misconfigured

Messages say what went wrong and how to fix it; front ends show the message, never a traceback.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class of every error raised on purpose by the assistant."""


class ConfigError(AssistantError):
    """A setting is invalid or an optional dependency is missing."""


class IngestError(AssistantError):
    """One input file could not be ingested; the message is one line."""


class StoreError(AssistantError):
    """The index cannot be used as it is."""


class CalculatorError(AssistantError):
    """A calculation cannot be carried out as asked."""


class LLMError(AssistantError):
    """A chat model call failed or is misconfigured."""


def missing_extra(package: str, extra: str) -> ConfigError:
    """Build the error for an optional dependency that is not installed."""
    return ConfigError(
        f"The optional package '{package}' is not installed. Install it with: pip install 'gpu-assistant[{extra}]'"
    )
