"""Chat models from ``Settings.llm`` (``<provider>:<model>``) through LangChain's ``init_chat_model``."""

from __future__ import annotations

import os
from typing import Any

from assistant.config import Settings
from assistant.errors import ConfigError, LLMError, missing_extra

PACKAGES = {"openai": "langchain-openai", "anthropic": "langchain-anthropic", "ollama": "langchain-ollama"}


def make_chat_model(settings: Settings) -> Any:
    """The chat model ``settings.llm`` names, with its base URL, timeout and retries.

    Raises:
        ConfigError: when ``langchain`` or the provider's package is not installed (names the ``[llm]`` extra, or
            the package for a provider outside it).
        LLMError: when the provider is unknown or the model cannot be set up.
    """
    provider, _, model = settings.llm.partition(":")
    try:
        from langchain.chat_models import init_chat_model
    except ImportError:
        raise missing_extra("langchain", "llm") from None
    kwargs: dict[str, Any] = {"timeout": settings.llm_timeout, "max_retries": settings.llm_retries}
    if provider == "ollama":
        kwargs = {"client_kwargs": {"timeout": settings.llm_timeout}}
    kwargs["temperature"] = settings.llm_temperature
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
        if provider == "openai" and not os.environ.get("OPENAI_API_KEY"):
            kwargs["api_key"] = "unused"  # local OpenAI-compatible servers (llama.cpp, vLLM) take any key
    try:
        return init_chat_model(model, model_provider=provider, **kwargs)
    except ImportError:
        if provider in PACKAGES:
            raise missing_extra(PACKAGES[provider], "llm") from None
        package = "langchain-" + provider.replace("_", "-")
        raise ConfigError(
            f"The chat model provider '{provider}' needs its LangChain package. Install it with: pip install {package}"
        ) from None
    except ValueError as exc:
        raise LLMError(
            f"Cannot use ASSISTANT_LLM='{settings.llm}': {exc}. "
            f"Write '<provider>:<model>' with a provider such as {', '.join(PACKAGES)}."
        ) from None
    except Exception as exc:  # a provider's client refusing its arguments, e.g. no API key
        raise LLMError(
            f"Cannot set up the chat model '{settings.llm}': {exc}. Check its API key variable "
            "(e.g. OPENAI_API_KEY, any value for a local server) and ASSISTANT_LLM_BASE_URL."
        ) from None
