"""The chat UI (``pip install 'gpu-assistant[ui]'``): ``create_app(assistant)`` builds it, ``launch`` serves it.

Importing this package does not import Gradio; building the app does, and raises
:class:`~assistant.errors.ConfigError` naming the extra when Gradio is missing.
"""

from assistant.ui.app import create_app, launch, read_auth

__all__ = ["create_app", "launch", "read_auth"]
