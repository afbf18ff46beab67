"""Fakes that ship with the package: a scripted chat model for LLM mode, deterministic and offline.

Use it like a real model::

    model = ScriptedChatModel(responses=[AIMessage("壁仞科技2024年营收为3.37亿元[1]。")])
    assistant = Assistant(settings, chat_model=model)
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field, PrivateAttr


class ScriptedChatModel(BaseChatModel):
    """A chat model that replays scripted replies in order, one per call.

    Attributes:
        responses: the replies: an ``AIMessage`` (content and/or ``tool_calls``), or an exception to raise
            (a model that fails or times out).
        chunk_chars: characters per streamed chunk.
        bound_tools: the tools passed to :meth:`bind_tools`, by name.
        calls: the messages of every call, in order (to check what the model was shown).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    responses: list[Any] = Field(default_factory=list)
    chunk_chars: int = 4
    bound_tools: list[str] = Field(default_factory=list)
    calls: list[list[BaseMessage]] = Field(default_factory=list)
    _next: int = PrivateAttr(default=0)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:  # type: ignore[override]
        """Record the tools' names; the script decides which tool calls are made."""
        self.bound_tools = [getattr(t, "name", str(t)) for t in tools]
        return self

    def _reply(self, messages: list[BaseMessage]) -> AIMessage:
        self.calls.append(list(messages))
        if self._next >= len(self.responses):
            raise RuntimeError(f"ScriptedChatModel has only {len(self.responses)} scripted replies")
        reply = self.responses[self._next]
        self._next += 1
        if isinstance(reply, BaseException):
            raise reply
        return reply if isinstance(reply, AIMessage) else AIMessage(str(reply))

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._reply(messages))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        reply = self._reply(messages)
        text = reply.content if isinstance(reply.content, str) else ""
        for i in range(0, len(text), max(1, self.chunk_chars)):
            piece = text[i : i + self.chunk_chars]
            if run_manager is not None:
                run_manager.on_llm_new_token(piece)
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
        if reply.tool_calls:
            calls = [
                {"name": c["name"], "args": _json(c["args"]), "id": c.get("id"), "index": i, "type": "tool_call_chunk"}
                for i, c in enumerate(reply.tool_calls)
            ]
            yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=calls))  # type: ignore[arg-type]


def _json(args: dict[str, Any]) -> str:
    return json.dumps(args, ensure_ascii=False)
