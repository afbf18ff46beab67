"""The Slack bot's settings, read from the environment in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.errors import ConfigError

SLACK_API_URL = "https://slack.com/api/"
MODES = ("socket", "http")
_VARIABLES = {
    "bot_token": "SLACK_BOT_TOKEN",
    "app_token": "SLACK_APP_TOKEN",
    "signing_secret": "SLACK_SIGNING_SECRET",
    "api_url": "ASSISTANT_SLACK_API_URL",
}
_NEEDED = {"socket": ("bot_token", "app_token"), "http": ("bot_token", "signing_secret")}
_PREFIXES = {"bot_token": "xoxb-", "app_token": "xapp-"}


@dataclass(frozen=True)
class SlackSettings:
    """Credentials and the Web API address of the Slack bot.

    Attributes:
        bot_token: ``SLACK_BOT_TOKEN``, the bot token (``xoxb-…``); both modes.
        app_token: ``SLACK_APP_TOKEN``, the app-level token (``xapp-…``, scope ``connections:write``); Socket Mode.
        signing_secret: ``SLACK_SIGNING_SECRET``, verifies requests; HTTP (Events API) mode.
        api_url: ``ASSISTANT_SLACK_API_URL``, the Web API base URL, e.g. a local stand-in server; Slack's by default.
    """

    bot_token: str | None = None
    app_token: str | None = None
    signing_secret: str | None = None
    api_url: str = SLACK_API_URL

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: str | None) -> SlackSettings:
        """Read the variables above (empty counts as unset); explicit ``overrides`` win."""
        env = os.environ if env is None else env
        values = {name: env.get(variable) or None for name, variable in _VARIABLES.items()}
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**{k: v for k, v in values.items() if v is not None})
        except TypeError as exc:
            raise ConfigError(f"Unknown Slack setting: {exc}") from exc

    @property
    def base_url(self) -> str:
        """``api_url`` with the trailing slash the Slack SDK needs to join method names."""
        return self.api_url.rstrip("/") + "/"

    def check(self, mode: str) -> None:
        """Raise :class:`ConfigError` naming every variable ``mode`` ('socket' or 'http') needs and lacks."""
        if mode not in MODES:
            raise ConfigError(f"Unknown Slack mode '{mode}'. Use one of: {', '.join(MODES)}")
        missing = [_VARIABLES[name] for name in _NEEDED[mode] if not getattr(self, name)]
        if missing:
            how = "Socket Mode" if mode == "socket" else "HTTP (Events API) mode"
            raise ConfigError(
                f"{how} needs {' and '.join(missing)}: set {'them' if len(missing) > 1 else 'it'} in the environment "
                "(the app's tokens and signing secret are on its api.slack.com page; see docs/slack.md)."
            )
        for name in _NEEDED[mode]:
            prefix = _PREFIXES.get(name)
            if prefix and not str(getattr(self, name)).startswith(prefix):
                raise ConfigError(
                    f"{_VARIABLES[name]} should start with '{prefix}'; check that the two tokens are not swapped."
                )
        if not self.base_url.startswith(("http://", "https://")):
            raise ConfigError(f"ASSISTANT_SLACK_API_URL={self.api_url!r} is not an http(s) URL")
