"""The Slack front end: ``create_app(assistant)`` builds the Bolt app, ``serve`` runs it (Socket Mode or HTTP).

Needs the ``[slack]`` extra; importing this package does not import Slack's libraries.
"""

from assistant.slack.app import create_app
from assistant.slack.config import SlackSettings
from assistant.slack.server import create_asgi_app, serve

__all__ = ["SlackSettings", "create_app", "create_asgi_app", "serve"]
