"""The Slack bot end to end: signed events over real HTTP to the bot, Web API calls to a local stand-in server."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from slack_sdk import WebClient

from assistant import Answer, Assistant, Citation, ConfigError
from assistant.cli import main
from assistant.slack import SlackSettings, create_app, create_asgi_app
from assistant.slack.blocks import (
    MAX_BLOCKS,
    MAX_TEXT,
    SECTION_LIMIT,
    answer_message,
    escape,
    question_from,
    split_text,
)
from assistant.slack.dedupe import SeenEvents
from assistant.verify import Verification
from tests.conftest import make_assistant
from tests.servers import free_port, wait_until_up
from tests.slack_api import BOT_ID, BOT_USER_ID, TEAM_ID, Call, SlackAPI, SocketModeServer

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
CHANNEL, DM, USER = "C0000001", "D0000001", "U0000001"
EVENT_TS = "1700000000.000100"


# -- the running bot -------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def slack_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """One fake-embedder assistant over the three small briefs, shared by this module's tests."""
    from tests.conftest import BIREN, CAMBRICON_EN, METAX

    root = tmp_path_factory.mktemp("slack")
    docs = root / "docs"
    docs.mkdir()
    for name, text in (("biren.md", BIREN), ("metax.md", METAX), ("cambricon.md", CAMBRICON_EN)):
        (docs / name).write_text(text, encoding="utf-8")
    a = make_assistant(Path(root / "store"))
    assert a.ingest([docs]).ok
    return a


@pytest.fixture
def api() -> Iterator[SlackAPI]:
    with SlackAPI() as server:
        yield server


class Endpoint:
    """The bot's ``/slack/events`` URL, and a sender of signed requests."""

    def __init__(self, url: str):
        self.url = url

    def send(self, payload: dict[str, Any], *, secret: str = SECRET, age: int = 0, retry: int | None = None):  # type: ignore[no-untyped-def]
        body = json.dumps(payload).encode()
        timestamp = int(time.time()) - age
        headers = {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": sign(body, timestamp, secret),
        }
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return httpx.post(self.url, content=body, headers=headers, timeout=30)


@pytest.fixture
def start(api: SlackAPI) -> Iterator[Callable[..., Endpoint]]:
    """Start the bot (Bolt app behind uvicorn on a free loopback port) for an answerer; stopped after the test."""
    with ExitStack() as stack:

        def _start(answerer: Any, process_before_response: bool = True) -> Endpoint:
            client = WebClient(token="xoxb-test-token", base_url=api.url)
            settings = SlackSettings(signing_secret=SECRET)
            app = create_app(answerer, client, settings=settings, process_before_response=process_before_response)
            return Endpoint(stack.enter_context(_serving(create_asgi_app(app))) + "/slack/events")

        yield _start


@pytest.fixture
def bot(start: Callable[..., Endpoint], slack_assistant: Assistant) -> Endpoint:
    """The bot over the test briefs, answering before it acknowledges (so each request is done when it returns)."""
    return start(slack_assistant)


@contextmanager
def _serving(asgi_app: Any) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(asgi_app, log_level="warning", lifespan="off", ws="none", http="h11")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def sign(body: bytes, timestamp: int, secret: str = SECRET) -> str:
    """Slack's request signature: ``v0=`` HMAC-SHA256 of ``v0:{timestamp}:{body}``."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def envelope(event: dict[str, Any], event_id: str = "Ev0000000001") -> dict[str, Any]:
    return {
        "token": "unused-legacy-token",
        "team_id": TEAM_ID,
        "api_app_id": "A0000001",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": event,
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    }


def mention(text: str, ts: str = EVENT_TS, thread_ts: str | None = None, **extra: Any) -> dict[str, Any]:
    event = {"type": "app_mention", "channel": CHANNEL, "user": USER, "text": f"<@{BOT_USER_ID}> {text}", "ts": ts}
    return event | ({"thread_ts": thread_ts} if thread_ts else {}) | extra


def direct(text: str, ts: str = EVENT_TS, **extra: Any) -> dict[str, Any]:
    event = {"type": "message", "channel": DM, "channel_type": "im", "user": USER, "text": text, "ts": ts}
    return event | extra


def shown(call: Call) -> str:
    """Everything a person sees of a posted or updated message: its text and every text in its blocks."""
    blocks = call.args.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return call.args.get("text", "") + "\n" + json.dumps(blocks, ensure_ascii=False)


def only_reply(api: SlackAPI) -> Call:
    """The one answer the bot gave: one placeholder posted in the thread and one update of it."""
    posts, updates = api.to("chat.postMessage"), api.to("chat.update")
    assert len(posts) == 1 and len(updates) == 1, (posts, updates)
    assert updates[0].args["ts"] == f"1800000000.{1:06d}"
    assert updates[0].args["channel"] == posts[0].args["channel"]
    return updates[0]


# -- end to end --------------------------------------------------------------------------------------------------
def test_mention_gets_one_threaded_reply_with_linked_sources(bot: Endpoint, api: SlackAPI) -> None:
    response = bot.send(envelope(mention("壁仞科技2024年营收是多少？")))
    assert response.status_code == 200
    post = api.to("chat.postMessage")[0]
    assert post.args["channel"] == CHANNEL and post.args["thread_ts"] == EVENT_TS
    assert post.args["text"] == "正在检索资料…" and post.token == "xoxb-test-token"
    reply = only_reply(api)
    assert "壁仞科技2024年营收为3.37亿元。[1]" in reply.args["text"]
    assert "<https://example.test/biren|测试：壁仞科技港股招股> — 测试日报, 2025-12-22" in shown(reply)
    assert [b["type"] for b in reply.args["blocks"]] == ["section", "context", "context"]
    assert not api.to("conversations.replies"), "a top-level question has no thread to read"


def test_direct_message_is_answered_in_its_thread(bot: Endpoint, api: SlackAPI) -> None:
    assert bot.send(envelope(direct("What was Cambricon's 2024 revenue?"))).status_code == 200
    post = api.to("chat.postMessage")[0]
    assert (post.args["channel"], post.args["thread_ts"], post.args["text"]) == (DM, EVENT_TS, "Searching the sources…")
    reply = only_reply(api)
    assert "11.74亿 yuan" in reply.args["text"] and "<https://example.test/cambricon|" in shown(reply)


def test_thread_follow_up_uses_the_threads_earlier_questions(bot: Endpoint, api: SlackAPI) -> None:
    parent = "1700000000.000001"
    api.thread = [
        {"type": "message", "user": USER, "text": f"<@{BOT_USER_ID}> 寒武纪2024年营收是多少？", "ts": parent},
        {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "text": "寒武纪…[1]", "ts": "1700000000.000002"},
        {"type": "message", "user": USER, "text": f"<@{BOT_USER_ID}> 那净亏损呢？", "ts": EVENT_TS},
        {"type": "message", "user": USER, "text": "壁仞科技的发行价是多少？", "ts": "1700000000.000900"},
    ]
    bot.send(envelope(mention("那净亏损呢？", thread_ts=parent), "Ev01"))
    replies = api.to("conversations.replies")
    assert [(c.args["channel"], c.args["ts"]) for c in replies] == [(CHANNEL, parent)]
    assert api.to("chat.postMessage")[0].args["thread_ts"] == parent
    text = only_reply(api).args["text"]
    assert "4.52亿" in text and "15.38" not in text, text  # Cambricon's net loss, from the thread's first question

    bot.send(envelope(mention("那净亏损呢？", ts="1700000001.000100"), "Ev02"))  # the same words, not in a thread
    assert "15.38亿元" in api.to("chat.update")[-1].args["text"]


def test_forged_signature_gets_401_and_no_web_api_call(bot: Endpoint, api: SlackAPI) -> None:
    response = bot.send(envelope(mention("壁仞科技2024年营收是多少？")), secret="not-the-signing-secret")
    assert response.status_code == 401
    unsigned = httpx.post(bot.url, content=json.dumps(envelope(mention("壁仞？"), "Ev2")), timeout=10)
    assert unsigned.status_code == 401
    assert api.web_calls() == []


def test_stale_timestamp_gets_401_even_when_signed(bot: Endpoint, api: SlackAPI) -> None:
    payload = envelope(mention("壁仞科技2024年营收是多少？"))
    assert bot.send(payload, age=5 * 60 + 30).status_code == 401
    assert api.web_calls() == []
    assert bot.send(payload, age=60).status_code == 200  # the same event, within the window: answered
    only_reply(api)


def test_retried_deliveries_are_answered_once(bot: Endpoint, api: SlackAPI) -> None:
    payload = envelope(mention("壁仞科技2024年营收是多少？"), "Ev0RETRY")
    statuses = [bot.send(payload, retry=retry).status_code for retry in (None, 1, 2)]
    assert statuses == [200, 200, 200]
    only_reply(api)


def test_ack_comes_first_and_concurrent_retries_are_answered_once(
    start: Callable[..., Endpoint], slack_assistant: Assistant, api: SlackAPI
) -> None:
    release = threading.Event()

    class Held:
        def ask(self, question: str, history: Sequence[Any] | None = None) -> Any:
            assert release.wait(20)
            return slack_assistant.ask(question, history)

    bot = start(Held(), process_before_response=False)
    payload = envelope(mention("壁仞科技2024年营收是多少？"), "Ev0CONCURRENT")
    statuses: list[int] = []
    senders = [
        threading.Thread(target=lambda r=r: statuses.append(bot.send(payload, retry=r).status_code))
        for r in (None, 1, 2)
    ]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(20)
    assert statuses == [200, 200, 200]  # acknowledged while the answer is still held back
    api.wait_for("chat.postMessage")
    assert api.to("chat.update") == []
    release.set()
    api.wait_for("chat.update")
    time.sleep(0.3)  # a duplicate, if any, would be posted by now: the executor had every delivery before release
    reply = only_reply(api)
    assert "3.37亿元" in reply.args["text"]


@pytest.mark.parametrize(
    "event",
    [
        direct("壁仞科技2024年营收是多少？", user=BOT_USER_ID, bot_id=BOT_ID),  # the bot's own message
        direct("壁仞科技2024年营收是多少？", subtype="bot_message", bot_id="B0OTHER1", user=None),  # another bot
        mention("壁仞科技2024年营收是多少？", bot_id="B0OTHER1"),  # another bot mentions us
        direct("壁仞科技2024年营收是多少？", bot_id="B0OTHER1", user="U0OTHER1"),  # an app's DM, no subtype
        direct("壁仞科技2024年营收是多少？", subtype="message_changed"),  # an edit is not a new question
        direct("壁仞科技2024年营收是多少？", channel_type="channel"),  # channel chatter without a mention
    ],
    ids=["own", "other-bot", "bot-mention", "app-dm", "edit", "channel-message"],
)
def test_bots_and_non_questions_get_no_reply(bot: Endpoint, api: SlackAPI, event: dict[str, Any]) -> None:
    assert bot.send(envelope(event)).status_code == 200
    assert api.web_calls() == []


def test_rate_limited_post_is_retried_and_delivered(bot: Endpoint, api: SlackAPI) -> None:
    api.throttle("chat.postMessage", 1)
    assert bot.send(envelope(mention("壁仞科技2024年营收是多少？"))).status_code == 200
    assert len(api.to("chat.postMessage", status=429)) == 1
    assert "3.37亿元" in only_reply(api).args["text"]


def test_url_verification_challenge_is_answered_when_signed(bot: Endpoint, api: SlackAPI) -> None:
    payload = {
        "token": "legacy",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        "type": "url_verification",
    }
    response = bot.send(payload)
    assert response.status_code == 200 and response.json() == {"challenge": payload["challenge"]}
    assert bot.send(payload, secret="forged").status_code == 401


def test_failure_is_answered_with_an_apology_not_a_traceback(
    start: Callable[..., Endpoint], api: SlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        def ask(self, question: str, history: Sequence[Any] | None = None) -> Any:
            raise RuntimeError("index at /srv/secret/store is corrupt")

    bot = start(Broken())
    assert bot.send(envelope(mention("壁仞科技2024年营收是多少？"))).status_code == 200
    apology = only_reply(api)
    assert apology.args["text"].startswith("抱歉") and apology.args["blocks"] == []
    assert "secret" not in shown(apology) and "Traceback" not in shown(apology)
    assert "index at /srv/secret/store is corrupt" in caplog.text  # the operator's log has it


def test_mention_without_a_question_gets_a_hint(bot: Endpoint, api: SlackAPI) -> None:
    bot.send(envelope({**mention(""), "text": f"<@{BOT_USER_ID}>"}))
    (post,) = api.to("chat.postMessage")
    assert post.args["thread_ts"] == EVENT_TS and "Ask me a question" in post.args["text"]
    assert api.to("chat.update") == []


def test_socket_mode_answers_over_a_websocket(slack_assistant: Assistant, api: SlackAPI) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    with SocketModeServer() as wss:
        api.socket_url = wss.url
        app = create_app(slack_assistant, settings=SlackSettings(bot_token="xoxb-socket", api_url=api.url))
        handler = SocketModeHandler(app, "xapp-1-test")
        handler.connect()
        try:
            wss.push("env-1", envelope(direct("壁仞科技2024年营收是多少？")))
            api.wait_for("chat.update")
        finally:
            handler.close()
    assert [c.token for c in api.to("apps.connections.open")] == ["xapp-1-test"]
    assert {"envelope_id": "env-1"} in wss.acks
    assert "3.37亿元" in only_reply(api).args["text"]


def test_health_endpoint(bot: Endpoint) -> None:
    response = httpx.get(bot.url.replace("/slack/events", "/healthz"), timeout=10)
    assert (response.status_code, response.text) == (200, "ok")


# -- configuration ----------------------------------------------------------------------------------------------
def test_settings_name_the_missing_variables() -> None:
    settings = SlackSettings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": ""})
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        settings.check("socket")
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        settings.check("http")
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"):
        SlackSettings.from_env({}).check("http")
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN should start with 'xapp-'"):
        SlackSettings(bot_token="xoxb-1", app_token="xoxb-2").check("socket")
    SlackSettings(bot_token="xoxb-1", signing_secret="s").check("http")
    local = SlackSettings.from_env({"ASSISTANT_SLACK_API_URL": "http://127.0.0.1:9/api"})
    assert local.base_url == "http://127.0.0.1:9/api/" and SlackSettings().base_url == "https://slack.com/api/"


def test_create_app_takes_the_api_url_from_settings(slack_assistant: Assistant, api: SlackAPI) -> None:
    app = create_app(slack_assistant, settings=SlackSettings(bot_token="xoxb-from-env", api_url=api.url))
    assert app.client.base_url == api.url
    assert [c.token for c in api.to("auth.test")] == ["xoxb-from-env"]
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        create_app(slack_assistant, settings=SlackSettings())
    with pytest.raises(ConfigError, match="client= and settings.bot_token"):
        create_app(
            slack_assistant, WebClient(token="xoxb-a", base_url=api.url), settings=SlackSettings(bot_token="xoxb-b")
        )


def test_cli_names_the_missing_variable(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main(["slack", "--http", "--store", "/nonexistent/never-built"]) == 2
    assert "SLACK_SIGNING_SECRET" in capsys.readouterr().err
    assert main(["slack", "--socket", "--store", "/nonexistent/never-built"]) == 2
    assert "SLACK_APP_TOKEN" in capsys.readouterr().err
    assert not Path("/nonexistent/never-built").exists()


def test_cli_http_mode_answers_signed_events(tmp_path: Path, docs: Path, api: SlackAPI) -> None:
    port = free_port()
    env = os.environ | {
        "SLACK_BOT_TOKEN": "xoxb-cli",
        "SLACK_SIGNING_SECRET": SECRET,
        "ASSISTANT_SLACK_API_URL": api.url,
        "ASSISTANT_CORPUS": str(docs),
    }
    command = [sys.executable, "-m", "assistant.cli", "slack", "--http", "--port", str(port), "--embedder", "fake"]
    log = (tmp_path / "bot.log").open("w")
    process = subprocess.Popen([*command, "--store", str(tmp_path / "store")], env=env, stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz", process, 90, tmp_path / "bot.log")
        assert Endpoint(base + "/slack/events").send(envelope(mention("壁仞科技2024年营收是多少？"))).status_code == 200
        api.wait_for("chat.update", timeout=30)
        assert "3.37亿元" in only_reply(api).args["text"]
        assert [c.token for c in api.to("auth.test")] == ["xoxb-cli"]
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_missing_slack_bolt_names_the_extra(monkeypatch: pytest.MonkeyPatch, slack_assistant: Assistant) -> None:
    monkeypatch.setitem(sys.modules, "slack_bolt", None)  # what an environment without the extra looks like
    with pytest.raises(ConfigError, match=r"gpu-assistant\[slack\]"):
        create_app(slack_assistant, settings=SlackSettings(bot_token="xoxb-1"))


def test_importing_the_package_imports_no_slack_library() -> None:
    import assistant.slack

    assert assistant.slack.__all__ == sorted(assistant.slack.__all__)
    heavy = "('slack_bolt', 'slack_sdk', 'starlette', 'uvicorn')"
    code = f"import sys, assistant.slack; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- Block Kit ---------------------------------------------------------------------------------------------------
def _citation(n: int, **fields: Any) -> Citation:
    values = {
        "doc_id": f"d{n}",
        "chunk_id": f"d{n}:0",
        "title": f"Title {n}",
        "publisher": "Wire",
        "url": f"https://example.test/{n}",
        "published": "2025-01-02",
        "page": None,
        "quote": "q",
    }
    return Citation(n=n, **(values | fields))


def test_split_text_breaks_at_sentences_under_the_limit() -> None:
    sentence = "壁仞科技2024年营收为3.37亿元。"
    text = sentence * 400  # 8,400 characters
    pieces = split_text(text)
    assert len(pieces) == 3 and all(len(p) <= SECTION_LIMIT for p in pieces)
    assert all(p.endswith("。") for p in pieces) and "".join(pieces) == text


def test_split_text_never_cuts_an_entity() -> None:
    text = escape("a" * 2997 + "&" + "b" * 10)  # no break anywhere; the cut falls inside '&amp;'
    pieces = split_text(text)
    assert pieces[0] == "a" * 2997 and pieces[1].startswith("&amp;b")
    assert "".join(pieces) == text
    assert split_text("x" * 7, limit=3) == ["xxx", "xxx", "x"]


def test_escape_and_questions_from_slack_text() -> None:
    assert escape("R&D <b>1>0</b>") == "R&amp;D &lt;b&gt;1&gt;0&lt;/b&gt;"
    text = "<@U0BOT|gpu>  revenue &lt;2024&gt; &amp; <https://x.test/a|this link> in <#C123|finance> <!here> <https://y.test>"
    assert question_from(text) == "revenue <2024> & this link in #finance https://y.test"
    assert question_from("<@W123ABC>") == ""


def test_answer_message_escapes_corpus_text_and_links_sources() -> None:
    answer = Answer(
        text="Revenue <b>grew</b> & so did R&D. [1][2]",
        refused=False,
        language="en",
        citations=[
            _citation(
                1, title="Q3 <results> | A&B", publisher="<Wire>", url="https://example.test/a b?x=1&y=|>", page=7
            ),
            _citation(2, url="file:///etc/passwd", title="Local <file>"),
        ],
        verification=Verification(checked=2, unsupported=["9.99<亿>"]),
    )
    message = answer_message(answer)
    section, sources, check = message.blocks
    assert section["text"]["text"] == "Revenue &lt;b&gt;grew&lt;/b&gt; &amp; so did R&amp;D. [1][2]"
    first, second = (e["text"] for e in sources["elements"][1:])
    link = "<https://example.test/a%20b?x=1&amp;y=%7C%3E|Q3 &lt;results&gt; ¦ A&amp;B>"
    assert first == f"*[1]* {link} — &lt;Wire&gt;, 2025-01-02, p. 7"
    assert second == "*[2]* Local &lt;file&gt; — Wire, 2025-01-02"  # only http(s) URLs become links
    assert "9.99&lt;亿&gt;" in check["elements"][0]["text"]
    assert message.text.startswith("Revenue &lt;b&gt;grew") and "[1] Q3 &lt;results&gt;" in message.text
    everything = json.dumps(message.blocks) + message.text
    assert "<b>" not in everything and "<Wire>" not in everything and "<file>" not in everything


def test_long_answers_split_into_sections_and_stay_within_slack_limits() -> None:
    text = "\n\n".join(f"Paragraph {i}: " + "word " * 300 for i in range(12))  # ~18,000 characters
    message = answer_message(
        Answer(text=text, refused=False, language="en", citations=[_citation(i) for i in range(1, 13)])
    )
    sections = [b for b in message.blocks if b["type"] == "section"]
    assert len(sections) >= 7 and all(len(b["text"]["text"]) <= SECTION_LIMIT for b in sections)
    assert sections[0]["text"]["text"].startswith("Paragraph 0:") and sections[-1]["text"]["text"].endswith("word")
    contexts = [b for b in message.blocks if b["type"] == "context"]
    assert [len(c["elements"]) for c in contexts] == [10, 3]  # the label and 12 sources, ten elements a block

    huge = answer_message(Answer(text="稿" * 400_000, refused=False))
    assert len(huge.blocks) == MAX_BLOCKS and huge.blocks[-1]["text"]["text"].startswith("…")
    assert len(huge.text) <= MAX_TEXT and all(len(b["text"]["text"]) <= SECTION_LIMIT for b in huge.blocks)


def test_calculations_are_shown_with_their_steps(slack_assistant: Assistant) -> None:
    answer = slack_assistant.ask("壁仞科技2024年净亏损是营收的几倍？")
    assert answer.calculations
    message = answer_message(answer)
    texts = [e["text"] for b in message.blocks if b["type"] == "context" for e in b["elements"]]
    assert any("15.38亿元 ÷ 3.37亿元 = *4.56倍*" in t and "假设" in t for t in texts), texts
    assert any(t.startswith(":white_check_mark:") for t in texts)


def test_refusal_has_no_sources(slack_assistant: Assistant) -> None:
    message = answer_message(slack_assistant.ask("海光信息2024年营收是多少？"))
    assert [b["type"] for b in message.blocks] == ["section"] and "来源：" not in message.text


# -- dedupe ------------------------------------------------------------------------------------------------------
def test_seen_events_forget_after_the_ttl_and_past_the_cap() -> None:
    now = [0.0]
    seen = SeenEvents(ttl=300, max_keys=3, clock=lambda: now[0])
    assert seen.first_time("Ev1") and not seen.first_time("Ev1")
    now[0] = 299.0
    assert not seen.first_time("Ev1")
    now[0] = 300.0
    assert seen.first_time("Ev1")
    for key in ("Ev2", "Ev3", "Ev4"):
        assert seen.first_time(key)
    assert len(seen) == 3 and seen.first_time("Ev1")  # the oldest key made room
    with pytest.raises(ValueError):
        SeenEvents(ttl=0)


def test_manifest_subscribes_to_what_the_bot_handles() -> None:
    import yaml

    from tests.conftest import ROOT

    manifest = yaml.safe_load((ROOT / "slack" / "manifest.yaml").read_text(encoding="utf-8"))
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_mention", "message.im"]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "im:history", "channels:history", "groups:history"} <= scopes
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    about = manifest["display_information"]
    assert len(about["description"]) <= 140 and 175 <= len(about["long_description"]) <= 4000  # Slack's limits


def test_llm_mode_shows_the_draft_marked_unchecked_then_the_checked_answer(
    start: Callable[..., Endpoint], api: SlackAPI, tmp_path: Path, docs: Path
) -> None:
    from langchain_core.messages import AIMessage

    from assistant import Settings
    from assistant.embeddings import FakeEmbeddings
    from assistant.testing import ScriptedChatModel

    reply = "壁仞科技2024年营收为3.37亿元[1]。其毛利率为55%[1]。"
    model = ScriptedChatModel(responses=[AIMessage(reply)])
    settings = Settings(store=tmp_path / "llm-store", embedder="fake")
    llm = Assistant(settings, embedder=FakeEmbeddings(), chat_model=model)
    assert llm.ingest([docs]).ok
    bot = start(llm)
    assert bot.send(envelope(mention("壁仞科技2024年营收是多少？"))).status_code == 200
    updates = api.to("chat.update")
    assert len(updates) == 2, updates  # one draft (updates are at least a second apart), then the answer
    draft, final = updates[0].args["text"], shown(updates[1])
    text, note = draft.split("\n")
    assert reply.startswith(text) and "草稿" in note  # the model's words so far, said to be unchecked
    assert "3.37亿元" in final and "55%" not in final and "草稿" not in final and "已删除1句" in final


def test_the_answers_lead_is_bold_and_escaped() -> None:
    lead = "Biren <Technology> revenue, 2024: RMB 337 million [1]"
    answer = Answer(text=f"{lead}\nPer the report, revenue was 3.37亿元. [1]", refused=False, language="en", lead=lead)
    section = answer_message(answer).blocks[0]
    assert section["text"]["text"] == (
        "*Biren &lt;Technology&gt; revenue, 2024: RMB 337 million [1]*\nPer the report, revenue was 3.37亿元. [1]"
    )
