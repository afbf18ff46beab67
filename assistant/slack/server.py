"""Starting the Slack bot: Socket Mode, or the Events API over HTTP (Starlette + uvicorn)."""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from assistant.errors import missing_extra
from assistant.slack.app import Answerer, create_app
from assistant.slack.config import SlackSettings

if TYPE_CHECKING:
    from slack_bolt import App
    from starlette.applications import Starlette

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1_000_000
"""Larger request bodies are refused before they reach Bolt (Slack's events are a few kilobytes)."""

log = logging.getLogger(__name__)


def check(mode: str, settings: SlackSettings) -> None:
    """Fail early, before any index is built: the mode's packages are installed and its variables set.

    Raises:
        ConfigError: naming the missing extra or environment variable.
    """
    settings.check(mode)
    packages = {"slack_bolt": "slack-bolt", "slack_sdk": "slack-sdk"}
    if mode == "http":
        packages |= {"starlette": "starlette", "uvicorn": "uvicorn"}
    for module, package in packages.items():
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise missing_extra(package, "slack") from exc


def create_asgi_app(app: App, path: str = EVENTS_PATH) -> Starlette:
    """An ASGI app that hands Slack's signed requests at ``path`` to Bolt; ``GET /healthz`` answers ``ok``.

    Bolt's ``dispatch`` is synchronous, so it runs in the thread pool and never blocks the event loop.
    """
    from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    async def events(request: Request) -> Response:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                return PlainTextResponse("request body too large", status_code=413)
        bolt_response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(routes=[Route(path, events, methods=["POST"]), Route("/healthz", health, methods=["GET"])])


def serve(assistant: Answerer, mode: str, settings: SlackSettings, host: str = "127.0.0.1", port: int = 3000) -> None:
    """Run the bot until interrupted: ``mode`` 'socket' (no public URL needed) or 'http' (Events API).

    Raises:
        ConfigError: a needed variable or package is missing.
    """
    check(mode, settings)
    app = create_app(assistant, settings=settings)
    if mode == "socket":
        _serve_socket(app, settings)
    else:
        _serve_http(app, host, port)


def _serve_socket(app: App, settings: SlackSettings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    log.info("connecting to Slack in Socket Mode")
    SocketModeHandler(app, settings.app_token).start()


def _serve_http(app: App, host: str, port: int, **uvicorn_options: Any) -> None:
    import uvicorn

    log.info("listening for Slack events on http://%s:%d%s", host, port, EVENTS_PATH)
    uvicorn.run(create_asgi_app(app), host=host, port=port, log_level="info", **uvicorn_options)
