"""The Slack bot as a Bolt app: ``create_app(assistant)`` wires the listeners; starting it is ``server.py``'s job.

It answers ``app_mention`` events in channels and ``message`` events in direct messages, in the thread of the
asking message: a "searching…" placeholder is posted at once and then updated with the answer (in LLM mode first
with the model's draft as it grows, marked as unchecked, at most once a second). Earlier user
turns of the thread are the follow-up history. Each delivery is processed once (retries are dropped by
``event_id``), bots are never answered, rate-limited Web API calls are retried, and failures get a short apology.
"""

from __future__ import annotations

import functools
import logging
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from assistant.errors import ConfigError, missing_extra
from assistant.slack import blocks
from assistant.slack.config import SLACK_API_URL, SlackSettings
from assistant.slack.dedupe import SeenEvents
from assistant.types import Answer

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

HISTORY_TURNS = 20
"""Most earlier user turns of a thread handed to the assistant as history."""
RATE_LIMIT_RETRIES = 3
DRAFT_INTERVAL = 1.0
"""Least seconds between two updates of the placeholder with a model's growing draft (Slack's ~1 update/s)."""
"""How often a Web API call answered with HTTP 429 is retried (after its Retry-After)."""

log = logging.getLogger(__name__)


class Answerer(Protocol):
    """What the bot needs of an :class:`~assistant.Assistant`."""

    def ask(self, question: str, history: Sequence[Any] | None = None) -> Answer:
        """Answer ``question`` given the earlier user questions ``history``."""
        ...


def answer_streaming(
    assistant: Answerer, question: str, history: Sequence[Any], on_draft: Callable[[str], None]
) -> Answer:
    """The answer; with a chat model (LLM mode) its draft goes to ``on_draft`` at most every ``DRAFT_INTERVAL``."""
    if getattr(assistant, "chat_model", None) is None:
        return assistant.ask(question, history)  # also any answerer without drafts
    last = 0.0

    def throttled(text: str) -> None:
        nonlocal last
        if text.strip() and time.monotonic() - last >= DRAFT_INTERVAL:
            on_draft(text)
            last = time.monotonic()

    return assistant.ask(question, history, on_draft=throttled)  # type: ignore[call-arg]


def create_app(
    assistant: Answerer,
    client: WebClient | None = None,
    *,
    settings: SlackSettings | None = None,
    process_before_response: bool = False,
    seen: SeenEvents | None = None,
) -> App:
    """Build the Bolt app that answers questions in Slack; start it with :mod:`assistant.slack.server`.

    Args:
        assistant: an :class:`~assistant.Assistant` (anything with its ``ask``), index ready.
        client: the Web API client (its token is the bot token); built from ``settings`` when omitted.
            A rate-limit retry handler is attached to it either way.
        settings: token, signing secret and API URL; read from the environment when omitted. Without a signing
            secret no HTTP request verifies (Socket Mode needs none).
        process_before_response: answer before acknowledging the HTTP request (for FaaS and tests); by default
            Slack gets its acknowledgement at once and the answer follows.
        seen: the set of processed deliveries; a fresh in-memory one when omitted.

    Raises:
        ConfigError: slack-bolt is missing, or the bot token is missing or given twice.
    """
    try:
        from slack_bolt import App
    except ImportError as exc:
        raise missing_extra("slack-bolt", "slack") from exc
    settings = settings if settings is not None else SlackSettings.from_env()
    if client is None:
        if not settings.bot_token:
            raise ConfigError("The Slack bot needs SLACK_BOT_TOKEN (a bot token, xoxb-…): set it in the environment.")
        client = web_client(settings.bot_token, settings.base_url)
    elif settings.bot_token and client.token != settings.bot_token:
        raise ConfigError("create_app() got client= and settings.bot_token with different tokens: pass only one.")
    else:
        add_rate_limit_retries(client)
    app = App(
        client=client,
        # No secret: a random one, so that no HTTP request verifies. Socket Mode requests are not signed.
        signing_secret=settings.signing_secret or secrets.token_hex(32),
        process_before_response=process_before_response,
        name="gpu-assistant",
    )
    bot = _Bot(assistant, seen if seen is not None else SeenEvents())
    app.event("app_mention")(bot.on_mention)
    app.event("message")(bot.on_message)
    return app


def web_client(token: str, base_url: str = SLACK_API_URL) -> WebClient:
    """A Web API client for ``base_url`` that retries rate-limited calls."""
    try:
        from slack_sdk import WebClient
    except ImportError as exc:
        raise missing_extra("slack-sdk", "slack") from exc
    client = WebClient(token=token, base_url=base_url)
    add_rate_limit_retries(client)
    return client


def add_rate_limit_retries(client: WebClient) -> None:
    """Attach a :class:`RateLimitErrorRetryHandler` unless the client has one."""
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    if not any(isinstance(h, RateLimitErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))


def is_from_bot(event: dict[str, Any], bot_user_id: str | None, bot_id: str | None) -> bool:
    """True for a message by any bot, this one included (never answered: no loops)."""
    return bool(
        event.get("bot_id")
        or event.get("subtype") == "bot_message"
        or (bot_user_id and event.get("user") == bot_user_id)
        or (bot_id and event.get("bot_id") == bot_id)
    )


class _Bot:
    """The listeners; Bolt injects their arguments by name."""

    def __init__(self, assistant: Answerer, seen: SeenEvents):
        self.assistant = assistant
        self.seen = seen
        self._asking = threading.Lock()  # one question at a time: answers take milliseconds, the index is shared

    def on_mention(self, event: dict[str, Any], body: dict[str, Any], context: Any, client: WebClient) -> None:
        """``app_mention`` in a channel (or a thread of one)."""
        self._answer(event, body, context, client)

    def on_message(self, event: dict[str, Any], body: dict[str, Any], context: Any, client: WebClient) -> None:
        """``message``: only a person's plain new message in a direct message with the bot is a question."""
        if event.get("channel_type") == "im" and not event.get("subtype"):
            self._answer(event, body, context, client)

    def _answer(self, event: dict[str, Any], body: dict[str, Any], context: Any, client: WebClient) -> None:
        if is_from_bot(event, context.bot_user_id, context.bot_id) or not self._first_delivery(event, body):
            return
        channel, thread_ts = event["channel"], event.get("thread_ts") or event["ts"]
        question = blocks.question_from(event.get("text", ""))
        placeholder = None
        try:
            if not question:
                self._post(client, channel, thread_ts, blocks.usage())
                return
            placeholder = self._post(client, channel, thread_ts, blocks.searching(question))
            history = self._history(client, event, context.bot_user_id) if event.get("thread_ts") else []
            draft = functools.partial(self._show_draft, client, channel, placeholder, question)
            with self._asking:
                answer = answer_streaming(self.assistant, question, history, draft)
            reply = blocks.answer_message(answer)
            client.chat_update(channel=channel, ts=placeholder, text=reply.text, blocks=reply.blocks)
        except Exception:
            log.exception("answering %s/%s failed", channel, event.get("ts"))
            self._apologise(client, channel, thread_ts, placeholder, question)

    def _first_delivery(self, event: dict[str, Any], body: dict[str, Any]) -> bool:
        """Claim the delivery (``event_id``) and the message: a DM mention may arrive as two events."""
        keys = [f"event:{body['event_id']}"] if body.get("event_id") else []
        keys.append(f"message:{event.get('channel')}:{event.get('ts')}")
        return all([self.seen.first_time(key) for key in keys])

    @staticmethod
    def _post(client: WebClient, channel: str, thread_ts: str, message: blocks.Message) -> str:
        response = client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=message.text)
        return str(response["ts"])

    @staticmethod
    def _show_draft(client: WebClient, channel: str, placeholder: str, question: str, text: str) -> None:
        message = blocks.draft(text, question)
        client.chat_update(channel=channel, ts=placeholder, text=message.text, blocks=[])

    @staticmethod
    def _history(client: WebClient, event: dict[str, Any], bot_user_id: str | None) -> list[str]:
        """The thread's earlier questions by people, oldest first; none when the thread cannot be read."""
        from slack_sdk.errors import SlackApiError

        try:
            response = client.conversations_replies(channel=event["channel"], ts=event["thread_ts"], limit=200)
        except SlackApiError as exc:
            log.warning("cannot read thread %s: %s", event["thread_ts"], exc.response.get("error"))
            return []
        questions = []
        for message in response.get("messages") or []:
            if float(message.get("ts", 0)) >= float(event["ts"]) or message.get("subtype"):
                continue
            if is_from_bot(message, bot_user_id, None):
                continue
            text = blocks.question_from(message.get("text", ""))
            if text:
                questions.append(text)
        return questions[-HISTORY_TURNS:]

    @staticmethod
    def _apologise(client: WebClient, channel: str, thread_ts: str, placeholder: str | None, question: str) -> None:
        message = blocks.apology(question)
        try:
            if placeholder:
                client.chat_update(channel=channel, ts=placeholder, text=message.text, blocks=[])
            else:
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=message.text)
        except Exception:
            log.exception("could not post the apology to %s", channel)
