"""The public surface is small, sorted and importable."""

from __future__ import annotations

import assistant


def test_all_is_sorted_and_complete() -> None:
    assert assistant.__all__ == sorted(assistant.__all__)
    public = {name for name in dir(assistant) if not name.startswith("_") and name[0].isupper() or name == "ask"}
    assert public <= set(assistant.__all__) | {"annotations"}
    for name in assistant.__all__:
        assert getattr(assistant, name) is not None


def test_settings_read_env_in_one_place_and_arguments_win() -> None:
    env = {"ASSISTANT_STORE": "/tmp/x", "ASSISTANT_TOP_K": "5", "ASSISTANT_AUTO_INGEST": "no"}
    settings = assistant.Settings.from_env(env, top_k=7)
    assert str(settings.store) == "/tmp/x" and settings.top_k == 7 and settings.auto_ingest is False


def test_bad_settings_raise_config_error() -> None:
    import pytest

    with pytest.raises(assistant.ConfigError):
        assistant.Settings.from_env({"ASSISTANT_TOP_K": "many"})
    with pytest.raises(assistant.ConfigError):
        assistant.Settings.from_env({}, chunk_chars=10)
