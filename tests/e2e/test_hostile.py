"""Hostile input, end to end: every row of the tables below is posted from a real frame (the
provider frame, a frame nested in it, a popup of it) through the real relay and bridge, and must be
dropped with the right reason (``Bridge.dropped`` and the event log's ``dropped`` line), or answered
exactly as a valid message is, and a valid message right after it must still work.

The tables come from section 5 of the postMessage security reference (docs/security.md lists every
row; ``python -m tests.e2e.test_hostile`` rewrites that list, and a test checks that it is current).
One Shell per table: the rows run one after the other in it.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import json
import pathlib
import re
import sys
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWebEngineCore import QWebEngineFrame, QWebEngineScript

from desktop.demo.server import LoopbackServer
from desktop.demo.spoki import SpokiSimulator
from desktop.providers.spoki.events import MAX_CHATS, ChatMessagesChanged, ChatsChanged
from tests.helpers.fixtures import read_event_log, run_in_frame, spatialchat_toml, wait_ready, write_config
from tests.helpers.paths import ROOT
from tests.helpers.sites import hostile_route
from tests.helpers.spoki import spoki_shell

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

MAIN_WORLD = QWebEngineScript.ScriptWorldId.MainWorld
DOC = ROOT / "docs" / "security.md"
VALID_SC = "{name: 'get_user_info', requestId: 'evil'}"


@dataclasses.dataclass(frozen=True)
class Case:
    """One hostile input.

    Attributes:
        id: stable name (docs/security.md lists it).
        what: the input, for people.
        send: JS statements run in the frame ``where`` (``post(x)`` posts x to the parent).
        drops: the reason codes it must be dropped with (empty: not dropped).
        layer: what refuses it: relay (JS), envelope / provider (Python), browser, csp.
        answers: requestIds the host must answer (SpatialChat), in order; or a marker the
            provider must emit (Spoki: the page number of an accepted event).
        where: ``provider``, the name of a frame nested in it, or ``action`` (see the runner).
        throws: the browser refuses it in the sender (the script throws; nothing is posted).
        outcome: the outcome for people when it is not a plain drop.
    """

    id: str
    what: str
    send: str
    drops: tuple[str, ...] = ()
    layer: str = "provider"
    answers: tuple[str, ...] = ()
    where: str = "provider"
    outcome: str = ""
    throws: bool = False

    def describe(self) -> str:
        if self.outcome:
            return self.outcome
        if self.drops:
            reasons = ", ".join(f"`{r}`" for r in dict.fromkeys(self.drops))
            n = len(self.drops)
            return f"dropped ({reasons}{f' ×{n}' if n > 1 else ''})"
        return "accepted and answered" if self.answers else "nothing reaches Portico"


def post(expr: str) -> str:
    return f"window.parent.postMessage({expr}, '*')"


def top(expr: str) -> str:
    return f"window.top.postMessage({expr}, '*')"


def js(text: str) -> str:
    """A JS string literal of ``text``."""
    return json.dumps(text)


def sc(**fields: Any) -> str:
    """A SpatialChat request object literal (as JSON, which is valid JS)."""
    return json.dumps({"name": "get_user_info", **fields})


def nest(depth: int) -> str:
    return f"(function () {{ let a = []; for (let i = 0; i < {depth}; i++) a = [a]; return a; }})()"


# --- SpatialChat (Portico is the host; a site in the frame asks for ids and the user) --------

ORIGIN_CASES = [
    Case("nested-other-port", "a frame of 127.0.0.1 on another port, inside the provider frame, posts a valid "
         "request to the top window", top(VALID_SC), ("wrong-source",), "relay", where="other-port"),
    Case("nested-other-host", "a frame of 127.0.0.2 on the provider's port posts to the top window",
         top(VALID_SC), ("wrong-source",), "relay", where="other-host"),
    Case("nested-localhost", "a frame of localhost (the provider is 127.0.0.1) on the same port posts to the top",
         top(VALID_SC), ("wrong-source",), "relay", where="localhost"),
    Case("nested-same-origin", "a frame of the provider's own origin (right origin, wrong window) posts to the top",
         top(VALID_SC), ("wrong-source",), "relay", where="same-origin"),
    Case("nested-srcdoc", "an about:srcdoc frame (inherits the provider's origin) posts to the top",
         top(VALID_SC), ("wrong-source",), "relay", where="srcdoc"),
    Case("nested-about-blank", "a script-made about:blank frame (inherits the origin) posts to the top",
         top(VALID_SC), ("wrong-source",), "relay", where="blank"),
    Case("nested-data-url", "a data: URL frame (origin null) posts to the top", top(VALID_SC),
         ("wrong-source",), "relay", where="data"),
    Case("nested-sandboxed", "a sandboxed frame (allow-scripts only: origin null) posts to the top",
         top(VALID_SC), ("wrong-source",), "relay", where="sandboxed"),
    Case("nested-grandchild", "a frame two levels down (another port) posts to the top", top(VALID_SC),
         ("wrong-source",), "relay", where="grandchild"),
    Case("nested-to-parent", "a nested frame posts to its parent (the provider page) only", post(VALID_SC),
         where="other-port", outcome="never reaches Portico (the provider page's own business)", layer="browser"),
    Case("sender-removed", "a frame posts to the top and is removed at once (event.source may be null)",
         "const f = document.createElement('iframe'); document.body.append(f);"
         f"f.contentWindow.eval({js(top(VALID_SC))}); f.remove()", ("wrong-source",), "relay"),
    Case("popup", "a popup the provider opened by script (window.open, same origin) posts to opener.top",
         "window.__pop.eval(" + js("opener.top.postMessage(" + VALID_SC + ", '*')") + ")", layer="browser",
         throws=True, outcome="never sent: Portico refuses pop-ups the user did not start, so the window has "
         "no opener (a user's click opens the system browser instead)"),
    Case("identity-claim", "the provider frame claims another identity in the data (origin, from, source)",
         post(sc(requestId="claim", origin="https://evil.example", **{"from": "parent", "source": "portico"})),
         answers=("claim",), outcome="answered to the provider frame only; the claims are ignored"),
]

TRANSFER_CASES = [
    Case("transfer-messageport", "a MessagePort in the transfer list",
         f"window.parent.postMessage({sc(requestId='port')}, '*', [new MessageChannel().port1])", ("transfer",),
         "relay"),
    Case("transfer-arraybuffer", "an ArrayBuffer in the transfer list",
         "const b = new ArrayBuffer(8);"
         "window.parent.postMessage({name: 'get_user_info', requestId: 'buf', b: b}, '*', [b])",
         answers=("buf",), outcome="answered: the buffer arrives as {} (JSON), no capability crosses"),
    Case("blob-value", "a Blob inside the data", post("{name: 'get_user_info', requestId: 'blob', b: new Blob(['x'])}"),
         answers=("blob",), outcome="answered: the Blob arrives as {} (JSON), no capability crosses"),
    Case("bigint", "a BigInt value (not JSON)", post("{name: 'get_user_info', n: 1n}"), ("unserializable",), "relay"),
    Case("cyclic", "a cyclic object (structured clone keeps it, JSON cannot)",
         "const o = {name: 'get_user_info'}; o.self = o;" + post("o"), ("unserializable",), "relay"),
    Case("undefined", "undefined", post("undefined"), ("unserializable",), "relay"),
]

SIZE_CASES = [
    Case("too-large-relay", "a 600 KB requestId (JSON text over 512 KiB)",
         post("{name: 'get_user_info', requestId: 'x'.repeat(600000)}"), ("too-large",), "relay"),
    Case("too-large-json-string", "a JSON-string envelope of 600 KB",
         post("JSON.stringify({name: 'get_user_info', pad: 'x'.repeat(600000)})"), ("too-large",), "relay"),
    Case("too-large-utf8", "300,000 'é' (under 512 Ki characters, over 512 KiB of UTF-8)",
         post("{name: 'get_user_info', pad: 'é'.repeat(300000)}"), ("too-large",), "envelope"),
    Case("string-too-long", "one string of 128 Ki + 1 characters",
         post("{name: 'get_user_info', pad: 'x'.repeat(131073)}"), ("string-too-long",), "envelope"),
    Case("array-10001", "an array of 10,001 items", post("{name: 'get_user_info', a: new Array(10001).fill(0)}"),
         ("array-too-long",), "envelope"),
    Case("array-100000", "an array of 100,000 items", post("new Array(100000).fill(0)"), ("array-too-long",),
         "envelope"),
    Case("keys-1001", "an object with 1,001 keys",
         "const o = {name: 'get_user_info'}; for (let i = 0; i < 1000; i++) o['k' + i] = i;" + post("o"),
         ("too-many-keys",), "envelope"),
    Case("depth-33", "33 nested arrays", post(nest(33)), ("too-deep",), "envelope"),
    Case("depth-1000", "1,000 nested arrays", post(nest(1000)), ("too-deep",), "envelope"),
    Case("depth-10000-string", "10,000 nested objects as a JSON string",
         "let s = '0'; for (let i = 0; i < 10000; i++) s = '{\"a\":' + s + '}';" + post("s"), ("too-deep",),
         "envelope"),
    Case("depth-10000-object", "10,000 nested arrays as an object", post(nest(10000)), layer="browser", throws=True,
         outcome="never sent: the sender's postMessage throws (RangeError, call stack)"),
]

PROTO_CASES = [
    Case("proto-own-key", "an own `__proto__` key (from JSON.parse) at the top",
         post("JSON.parse(" + js('{"name": "get_user_info", "requestId": "p1", "__proto__": {"isAdmin": true}}') + ")"),
         ("forbidden-key",), "envelope"),
    Case("constructor-prototype", "`constructor.prototype` nested in the data",
         post(sc(requestId="p2", data={"constructor": {"prototype": {"polluted": True}}})), ("forbidden-key",),
         "envelope"),
    Case("prototype-key", "a `prototype` key deep inside", post(sc(requestId="p3", a=[{"b": {"prototype": 1}}])),
         ("forbidden-key",), "envelope"),
    Case("proto-in-json-string", "a JSON-string envelope with a `__proto__` key",
         post(js('{"name": "get_user_info", "__proto__": {"x": 1}}')), ("forbidden-key",), "envelope"),
    Case("prototype-path-values", "comlink's shape: path [\"prototype\", \"__proto__\", \"x\"] as values",
         post(sc(requestId="path", path=["prototype", "__proto__", "x"])), answers=("path",),
         outcome="answered: values are data, never used as names"),
]

ENVELOPE_CASES = [
    Case("null", "null", post("null"), ("not-an-object",)),
    Case("number", "42", post("42"), ("not-an-object",)),
    Case("boolean", "true", post("true"), ("not-an-object",)),
    Case("array", "[]", post("[]"), ("not-an-object",)),
    Case("nan", "NaN (JSON makes it null)", post("NaN"), ("not-an-object",)),
    Case("text", "\"text\" (a string that is not JSON)", post(js("text")), ("invalid-json",), "envelope"),
    Case("invalid-json", "a truncated JSON string", post(js('{"name": "get_user_info"')), ("invalid-json",),
         "envelope"),
    Case("json-nan-literal", "a JSON string with a NaN literal", post(js('{"name": "get_user_info", "x": NaN}')),
         ("invalid-json",), "envelope"),
    Case("json-in-json", "a JSON string nested in a JSON string",
         post("JSON.stringify(JSON.stringify({name: 'get_user_info'}))"), ("nested-json-string",)),
    Case("spoki-shaped", "a Spoki event sent to a SpatialChat host",
         post("{eventType: 'hasUnreadChatsChanged', data: {hasUnreadChats: true}}"), ("missing-name",)),
]

NAME_CASES = [
    Case("name-missing", "no name", post("{requestId: 'n1'}"), ("missing-name",)),
    Case("name-number", "name 42", post("{name: 42}"), ("missing-name",)),
    Case("name-object", "name {}", post("{name: {}}"), ("missing-name",)),
    Case("name-eventname", "`eventName` instead of `name`", post("{eventName: 'get_user_info'}"), ("missing-name",)),
    Case("name-empty", "name \"\"", post("{name: ''}"), ("unknown-name",)),
    Case("name-10kb", "a 10 kB name", post("{name: 'g'.repeat(10000)}"), ("unknown-name",)),
    Case("name-trailing-space", "\"get_user_info \" (trailing space)", post("{name: 'get_user_info '}"),
         ("unknown-name",)),
    Case("name-case", "\"GET_USER_INFO\"", post("{name: 'GET_USER_INFO'}"), ("unknown-name",)),
    Case("name-unknown", "\"delete_space\"", post("{name: 'delete_space'}"), ("unknown-name",)),
    *[Case(f"name-{n.strip('_').lower()}", f"name \"{n}\"", post(f"{{name: '{n}'}}"), ("unknown-name",))
      for n in ("__proto__", "constructor", "toString", "hasOwnProperty", "__class__", "__init__")],
    Case("unsolicited-space-ids", "an unsolicited `space_ids` response sent to the host",
         post("{name: 'space_ids', requestId: 'r', data: {spaceId: 'x'}}"), ("unsolicited-response",)),
    Case("unsolicited-user-info", "an unsolicited `user_info` response sent to the host",
         post("{name: 'user_info', data: {id: 'x'}}"), ("unsolicited-response",)),
    Case("payload-not-data", "a request with `payload` instead of `data`",
         post(sc(requestId="payload", payload={"x": 1})), answers=("payload",),
         outcome="answered (extra keys are ignored)"),
]

REQUEST_ID_CASES = [
    *[Case(f"request-id-{k}", f"requestId {label}", post(f"{{name: 'get_user_info', requestId: {v}}}"),
           ("bad-request-id",))
      for k, label, v in [
          ("number", "42", "42"), ("object", "{}", "{}"), ("array", "['a']", "['a']"),
          ("10kb", "of 10 kB", "'r'.repeat(10000)"), ("129", "of 129 characters", "'r'.repeat(129)"),
          ("empty", "\"\"", "''"), ("space", "\"a b\"", "'a b'"),
          ("newline", "\"abc\\n\" (trailing newline)", "'abc\\n'"),
          ("unicode", "\"é\"", "'é'"), ("nul", "\"a\\u0000\"", "'a\\u0000'"),
          ("html-spaces", "\"</script><img src=x onerror=alert(1)>\"", "'</script><img src=x onerror=alert(1)>'")]],
    Case("request-id-markup", "requestId \"</script><b>\" (printable, short)",
         post("{name: 'get_user_info', requestId: '</script><b>'}"), answers=("</script><b>",),
         outcome="echoed verbatim (data, not markup)"),
    Case("request-id-128", "requestId of exactly 128 characters", post(sc(requestId="r" * 128)),
         answers=("r" * 128,), outcome="answered (the limit itself)"),
    Case("request-id-duplicate", "the same requestId twice at once",
         post(sc(requestId="twice")) + ";" + post(sc(requestId="twice")), answers=("twice", "twice"),
         outcome="answered twice (stateless host: nothing in flight to confuse)"),
]

BURST_CASES = [
    Case("burst-valid", "300 valid requests in one go",
         "for (let i = 0; i < 300; i++) " + post("{name: 'get_space_ids', requestId: 'b' + i}"),
         answers=tuple(f"b{i}" for i in range(300)), outcome="all 300 answered, in order"),
    Case("burst-mixed", "200 requests alternating valid and unknown names",
         "for (let i = 0; i < 200; i++) " + post("i % 2 ? {name: 'nope'} : {name: 'get_space_ids', requestId: 'm' + i}"),
         ("unknown-name",) * 100, answers=tuple(f"m{i}" for i in range(0, 200, 2)),
         outcome="the 100 valid ones answered in order, the 100 others dropped (`unknown-name`)"),
]

NAVIGATION_CASES = [
    Case("self-sandboxed", "right window, wrong origin: the provider's own URL serves a document with "
         "`Content-Security-Policy: sandbox allow-scripts` (origin null); it posts a valid request on load and again",
         "self-sandboxed", ("wrong-origin", "wrong-origin"), "relay", where="action",
         outcome="dropped (`wrong-origin` ×2): frame-src lets the URL in, only the relay's origin check stops it"),
    *[Case(f"navigate-{k}", f"the provider frame navigates itself to a look-alike ({label}) that posts on load",
           f"navigate-{k}", layer="csp", where="action",
           outcome="blocked by the host page's CSP (frame-src); error state, Retry brings the provider back")
      for k, label in [("other-port", "another port"), ("other-host", "127.0.0.2"), ("localhost", "localhost")]],
]

SPATIALCHAT_CASES = [*ORIGIN_CASES, *TRANSFER_CASES, *SIZE_CASES, *PROTO_CASES, *ENVELOPE_CASES, *NAME_CASES,
                     *REQUEST_ID_CASES, *BURST_CASES, *NAVIGATION_CASES]

# --- Spoki (Portico is the parent of Spoki's app; the app posts {eventType, data}) ----------


def ev(event_type: Any, data: Any = None, **extra: Any) -> str:
    message: dict[str, Any] = {"eventType": event_type, **extra}
    if data is not None:
        message["data"] = data
    return json.dumps(message)


def chats(**data: Any) -> str:
    return ev("chatsChanged", {"chats": [], "hasFilters": False, "page": 1, **data})


def messages(**data: Any) -> str:
    return ev("chatMessagesChanged", {"chat": {"uuid": "c"}, "page": 1, "messages": [], **data})


SPOKI_CASES = [
    Case("unread-string", "hasUnreadChats \"false\" (a string)", post(ev("hasUnreadChatsChanged", {"hasUnreadChats": "false"})),
         ("bad-has-unread-chats",)),
    Case("unread-number", "hasUnreadChats 0", post(ev("hasUnreadChatsChanged", {"hasUnreadChats": 0})),
         ("bad-has-unread-chats",)),
    Case("page-negative", "page -1", post(chats(page=-1)), ("bad-page",)),
    Case("page-huge", "page 1e9", post(chats(page=10**9)), ("bad-page",)),
    Case("page-string", "page \"2\"", post(chats(page="2")), ("bad-page",)),
    Case("page-float", "page 2.5", post(chats(page=2.5)), ("bad-page",)),
    Case("chats-object", "chats is an object", post(chats(chats={})), ("bad-chats",)),
    Case("chats-numbers", "chats holds numbers", post(chats(chats=[1, 2])), ("bad-chats",)),
    Case("chats-501", f"{MAX_CHATS + 1} chats", post(chats(chats=[{}] * (MAX_CHATS + 1))), ("too-many-chats",)),
    Case("chats-100000", "100,000 chats", post("{eventType: 'chatsChanged', data: {page: 1, "
                                                "chats: new Array(100000).fill(0).map(() => ({}))}}"),
         ("array-too-long",), "envelope"),
    Case("has-filters-string", "hasFilters \"true\"", post(chats(hasFilters="true")), ("bad-has-filters",)),
    Case("chat-not-object", "chat is a list", post(messages(chat=[])), ("bad-chat",)),
    Case("messages-not-list", "messages is null", post(messages(messages=None)), ("bad-messages",)),
    Case("messages-html", "messages holding HTML and script", post(messages(page=4242, messages=[
        {"text": "<script>alert(1)</script><img src=x onerror=alert(2)>"}])), answers=("4242",),
         outcome="accepted as data (Portico never renders it as markup)"),
    Case("data-missing", "no data", post(ev("hasUnreadChatsChanged")), ("bad-data",)),
    Case("data-array", "data is an array", post(ev("hasUnreadChatsChanged", [True])), ("bad-data",)),
    Case("event-type-missing", "no eventType", post(json.dumps({"data": {"hasUnreadChats": True}})),
         ("missing-event-type",)),
    Case("event-type-number", "eventType 1", post(ev(1, {})), ("missing-event-type",)),
    Case("event-type-unknown", "eventType \"sendMessage\"", post(ev("sendMessage", {})), ("unknown-event-type",)),
    Case("event-type-case", "eventType \"chatschanged\"", post(ev("chatschanged", {})), ("unknown-event-type",)),
    Case("event-type-proto", "eventType \"__proto__\"", post(ev("__proto__", {})), ("unknown-event-type",)),
    Case("event-type-trailing-space", "eventType \"chatsChanged \"", post(ev("chatsChanged ", {})),
         ("unknown-event-type",)),
    Case("json-string-envelope", "the event as a JSON string", post(js(chats())), ("not-an-object",)),
    Case("spatialchat-shaped", "a SpatialChat request sent to Spoki", post(sc(requestId="x")), ("missing-event-type",)),
    Case("identity-claim", "data claims origin \"https://spoki.app\" and from \"parent\"",
         post(chats(page=4343, origin="https://spoki.app", **{"from": "parent"})), answers=("4343",),
         outcome="accepted; the claims are ignored"),
    Case("forbidden-key", "a `__proto__` key inside a chat", post("JSON.parse(" + js(
        '{"eventType": "chatsChanged", "data": {"page": 1, "chats": [{"uuid": "c", "__proto__": {"x": 1}}]}}') + ")"),
         ("forbidden-key",), "envelope"),
    Case("transfer-messageport", "a MessagePort in the transfer list",
         f"window.parent.postMessage({chats()}, '*', [new MessageChannel().port1])", ("transfer",), "relay"),
    Case("nested-about-blank", "an about:blank frame inside Spoki's frame (same origin) posts a valid event to the top",
         "const f = document.createElement('iframe'); document.body.append(f);"
         f"f.contentWindow.eval({js(top(chats(page=99)))})", ("wrong-source",), "relay"),
]

# --- Rocket.Chat (Portico is the parent of the web client; it posts {eventName, data}) --------


def rc(event_name: Any, data: Any = None, **extra: Any) -> str:
    message: dict[str, Any] = {"eventName": event_name, **extra}
    if data is not None:
        message["data"] = data
    return json.dumps(message)


RC_CASES = [
    Case("string-envelope", "the string \"startup\"", post(js("startup")), ("not-an-object",)),
    Case("event-name-missing", "no eventName", post(json.dumps({"data": 1})), ("missing-event-name",)),
    Case("command-echoed", "an `externalCommand` sent back up", post(json.dumps({"externalCommand": "logout"})),
         ("missing-event-name",)),
    Case("event-name-legacy", "the Blaze-only `click-user-card-message`",
         post(rc("click-user-card-message", {"username": "x"})), ("unknown-event-name",)),
    Case("toolbar-id-markup", "click-toolbar-button with markup for its id",
         post(rc("click-toolbar-button", {"id": "<img src=x>"})), ("bad-button-id",)),
    Case("event-name-proto", "eventName \"__proto__\"", post(rc("__proto__", {})), ("unknown-event-name",)),
    Case("status-markup", "status-changed with markup", post(rc("status-changed", "<b>")), ("bad-status",)),
    Case("room-string", "room-opened with a string", post(rc("room-opened", "general")), ("bad-room",)),
    Case("room-no-id", "room-opened without _id", post(rc("room-opened", {"name": "general"})), ("bad-rid",)),
    Case("message-no-rid", "new-message without rid", post(rc("new-message", {"_id": "m"})), ("bad-rid",)),
    Case("unread-negative", "a subscription with unread -2",
         post(rc("unread-changed-by-subscription", {"rid": "r", "unread": -2})), ("bad-unread",)),
    Case("focus-string", "notification with hasFocus \"yes\"",
         post(rc("notification", {"notification": {}, "hasFocus": "yes"})), ("bad-has-focus",)),
    Case("forbidden-key", "a `__proto__` key inside a room", post("JSON.parse(" + js(
        '{"eventName": "room-opened", "data": {"_id": "r", "__proto__": {"x": 1}}}') + ")"), ("forbidden-key",),
         "envelope"),
    Case("too-deep", "1,000 nested arrays as data", post("{eventName: 'unread-changed', data: " + nest(1000) + "}"),
         ("too-deep",), "envelope"),
    Case("transfer-messageport", "a MessagePort in the transfer list",
         f"window.parent.postMessage({rc('unread-changed', 3)}, '*', [new MessageChannel().port1])", ("transfer",),
         "relay"),
    Case("nested-about-blank", "an about:blank frame inside the client (same origin) posts a valid event to the top",
         "const f = document.createElement('iframe'); document.body.append(f);"
         f"f.contentWindow.eval({js(top(rc('unread-changed', 77)))})", ("wrong-source",), "relay"),
    Case("identity-claim", "a valid event claiming origin and sender in its data",
         post(rc("unread-changed", 60_606, origin="https://evil.example", **{"from": "parent"})), answers=("60606",),
         outcome="accepted; the claims are ignored"),
]

TABLES: dict[str, list[Case]] = {"spatialchat": SPATIALCHAT_CASES, "spoki": SPOKI_CASES, "rocketchat": RC_CASES}


# --- the sites ---------------------------------------------------------------------------------

FRAME_SCRIPT = "<script>window.sendToTop = function (m) { top.postMessage(m, '*'); };</script>"


@dataclasses.dataclass
class Sites:
    main: LoopbackServer      # the provider (127.0.0.1:P)
    other_port: LoopbackServer  # 127.0.0.1:Q
    other_host: LoopbackServer  # 127.0.0.2:P

    def url(self, server: LoopbackServer, host: str | None = None, **params: str) -> str:
        query = urllib.parse.urlencode(params)
        return f"http://{host or server.host}:{server.port}/probe" + (f"?{query}" if query else "")


@contextlib.contextmanager
def started_sites(main_route: Any = hostile_route) -> Iterator[Sites]:
    """The provider's server (``main_route``; the others serve the probe), its look-alikes."""
    for _ in range(10):
        main = LoopbackServer(main_route).start()
        try:
            other_host = LoopbackServer(hostile_route, "127.0.0.2", main.port).start()
            break
        except OSError:  # the port is taken on 127.0.0.2: try another
            main.stop()
    else:
        pytest.fail("no port free on both 127.0.0.1 and 127.0.0.2")
    other_port = LoopbackServer(hostile_route).start()
    try:
        yield Sites(main, other_port, other_host)
    finally:
        for server in (main, other_port, other_host):
            server.stop()


@pytest.fixture(scope="module")
def sites() -> Iterator[Sites]:
    with started_sites() as found:
        yield found


# --- running JS in any frame -------------------------------------------------------------------


def find_frame(view: Any, name: str) -> QWebEngineFrame | None:
    root = view.provider_frame()
    stack = [root] if root is not None else []
    while stack:
        frame = stack.pop()
        if frame.htmlName() == name:
            return frame
        stack.extend(frame.children())
    return None


def send_case(qtbot: Any, view: Any, code: str, where: str = "provider") -> Any:
    frame = named(view, where)
    assert frame is not None, f"no frame named {where!r}"
    wrapped = f"(function () {{ try {{ {code}; return 'sent'; }} catch (e) {{ return 'threw: ' + e; }} }})()"
    return run_in_frame(qtbot, frame, f"JSON.stringify({wrapped})")


def named(view: Any, name: str) -> QWebEngineFrame | None:
    if name == "grandchild":
        parent = find_frame(view, "grandparent")
        return parent.children()[0] if parent is not None and parent.children() else None
    return find_frame(view, name)


def wait_frames_ready(qtbot: Any, view: Any, names: list[str]) -> None:
    """Wait until every named frame runs its page (``sendToTop`` defined)."""
    pending = list(names)
    for _ in range(150):
        answers: dict[str, Any] = {}
        for name in pending:
            frame = named(view, name)
            if frame is not None:
                frame.runJavaScript("typeof window.sendToTop", MAIN_WORLD,
                                    lambda value, name=name: answers.__setitem__(name, value))
        qtbot.wait(100)  # a frame that is still navigating may never answer: ask again
        pending = [n for n in pending if answers.get(n) != "function"]
        if not pending:
            return
    pytest.fail(f"nested frames never loaded: {pending}")


class Ledger:
    """What the bridge and the event log must show after each row."""

    def __init__(self, view: Any, log_path: pathlib.Path, provider_id: str) -> None:
        self.view = view
        self.log_path = log_path
        self.provider_id = provider_id
        self.expected_drops: collections.Counter[str] = collections.Counter()
        self.failures: list[str] = []
        self.before = collections.Counter(view.bridge.dropped)

    def delta(self) -> collections.Counter[str]:
        now = collections.Counter(self.view.bridge.dropped)
        now.subtract(self.before)
        return +now

    def check_drops(self, qtbot: Any, case: Case) -> None:
        self.expected_drops.update(case.drops)
        want = +self.expected_drops
        if case.drops:
            try:
                qtbot.waitUntil(lambda: self.delta() == want, timeout=5000)
            except qtbot.TimeoutError:  # reported below with the row's name
                pass
        else:
            qtbot.wait(260)  # the relay reports its drops every 200 ms: none may come
        got = self.delta()
        if got != want:
            extra, missing = got - want, want - got
            self.failures.append(f"{case.id}: drops off by +{dict(extra)} -{dict(missing)}")
            self.expected_drops = collections.Counter(got)  # re-sync: the next rows are judged alone

    def dropped_lines(self) -> collections.Counter[str]:
        lines = collections.Counter()
        for line in read_event_log(self.log_path):
            if line["provider"] == self.provider_id and line["name"] == "dropped":
                lines[line["data"]["reason"]] += line["data"]["count"]
        return lines

    def check_healthy(self, qtbot: Any, case: Case, observed: Callable[[], list[str]],
                      expected: list[str]) -> list[str]:
        """The app is healthy after ``case``'s row: what ``observed`` shows is ``expected``, whose
        last item answers the valid message sent right after the row. Returns the list the next
        rows go on from (what was observed, when it differs: the next rows are judged alone)."""
        try:
            qtbot.waitUntil(lambda: len(observed()) >= len(expected), timeout=10_000)
        except qtbot.TimeoutError:  # reported below with the row's name
            pass
        got = observed()
        if got != expected:
            self.failures.append(f"{case.id}: got {got[-5:]} (…{len(got)}), expected {expected[-5:]} "
                                 f"(…{len(expected)})")
        return got

    def assert_clean(self, qtbot: Any) -> None:
        """No row failed; every drop is also an event-log line with its reason; nothing failed
        inside a handler."""
        assert self.failures == [], "\n".join(self.failures)
        try:
            qtbot.waitUntil(lambda: self.dropped_lines() == +self.expected_drops, timeout=5000)
        except qtbot.TimeoutError:  # the assertion below says what differs
            pass
        assert self.dropped_lines() == +self.expected_drops
        assert "handler-error" not in self.view.bridge.dropped
        assert self.view.bridge.dropped == self.before + self.expected_drops


# --- the SpatialChat table ---------------------------------------------------------------------

NESTED = ["other-port", "other-host", "localhost", "same-origin", "srcdoc", "blank", "data", "sandboxed",
          "grandchild"]


def build_nested_frames(qtbot: Any, view: Any, sites: Sites) -> None:
    own = sites.url(sites.main)
    frames = {
        "other-port": {"src": sites.url(sites.other_port)},
        "other-host": {"src": sites.url(sites.other_host)},
        "localhost": {"src": sites.url(sites.main, host="localhost")},
        "same-origin": {"src": own},
        "sandboxed": {"src": own, "sandbox": "allow-scripts"},
        "srcdoc": {"srcdoc": FRAME_SCRIPT},
        "data": {"src": "data:text/html," + urllib.parse.quote(FRAME_SCRIPT)},
        "grandparent": {"src": sites.url(sites.main, nested=sites.url(sites.other_port))},
    }
    code = f"""
        const spec = {json.dumps(frames)};
        for (const name in spec) {{
          const f = document.createElement('iframe');
          f.name = name; f.id = name; f.style.width = '10px'; f.style.height = '10px';
          for (const k in spec[name]) f.setAttribute(k, spec[name][k]);
          document.body.append(f);
        }}
        const b = document.createElement('iframe'); b.name = 'blank'; document.body.append(b);
        b.contentWindow.eval({js("window.sendToTop = function (m) { top.postMessage(m, '*'); };")});
        window.__pop = window.open('');
        if (!window.__pop) throw new Error('no popup');
    """
    assert send_case(qtbot, view, code) == "sent"
    wait_frames_ready(qtbot, view, NESTED)


def sc_answers(qtbot: Any, view: Any) -> list[str]:
    """The requestIds of every answer the provider frame received from Portico (its parent)."""
    frame = find_frame(view, "provider")
    got = run_in_frame(qtbot, frame, "JSON.stringify((window.received || []).filter(m => m.origin === 'portico://app'"
                               " && m.fromParent).map(m => m.data.requestId === undefined ? null : m.data.requestId))")
    return got


def run_navigation_case(qtbot: Any, view: Any, sites: Sites, case: Case, ledger: Ledger) -> None:
    accepted = view.bridge.accepted
    if case.send == "self-sandboxed":
        url = f"{sites.main.origin}/sandboxed"
        send_case(qtbot, view, f"location.href = {js(url)}")
        # The document is replaced: ask the frame again until the sandboxed one answers (an answer
        # lost with the old document is None, which is why the origin is sent as a JSON string).
        qtbot.waitUntil(lambda: run_in_frame(qtbot, find_frame(view, "provider"),
                                       "JSON.stringify(JSON.stringify(String(self.origin)))", 2000) == '"null"',
                        timeout=10_000)
        # It posted a valid request on load; post another now, from the same (right) window.
        send_case(qtbot, view, post(VALID_SC))
        ledger.check_drops(qtbot, case)
    else:
        target = {"navigate-other-port": sites.url(sites.other_port, hello="1"),
                  "navigate-other-host": sites.url(sites.other_host, hello="1"),
                  "navigate-localhost": sites.url(sites.main, host="localhost", hello="1")}[case.send]
        with qtbot.waitSignal(view.frame_failed, timeout=10_000):
            send_case(qtbot, view, f"location.href = {js(target)}")
        if not (view.showing_error() and view.panel.retry_button.isVisible()):
            ledger.failures.append(f"{case.id}: no error state with Retry")
        ledger.check_drops(qtbot, case)
    if view.bridge.accepted != accepted:
        ledger.failures.append(f"{case.id}: a message of the other document was accepted")
    with qtbot.waitSignal(view.frame_ready, timeout=15_000):
        view.retry()


def test_spatialchat_hostile_table(run_shell, sites, tmp_path, qtbot):
    shell = run_shell(write_config(tmp_path, spatialchat_toml(sites.url(sites.main))))
    view = shell.views["room"]
    wait_ready(qtbot, view)
    build_nested_frames(qtbot, view, sites)
    ledger = Ledger(view, shell.event_log.path, "room")
    answers: list[str] = []
    for n, case in enumerate(SPATIALCHAT_CASES):
        if case.where == "action":
            run_navigation_case(qtbot, view, sites, case, ledger)
            answers = []  # a new document: its list of answers starts empty
        else:
            result = send_case(qtbot, view, case.send, case.where)
            if (result != "sent") != case.throws:
                ledger.failures.append(f"{case.id}: the sender got {result!r}")
            answers += case.answers
            ledger.check_drops(qtbot, case)
        # The app is healthy: a valid request right after the row is answered.
        ok = f"ok-{n}"
        send_case(qtbot, view, post(sc(requestId=ok)))
        answers.append(ok)
        answers = ledger.check_healthy(qtbot, case, lambda: sc_answers(qtbot, view), answers)
    ledger.assert_clean(qtbot)


# --- the Spoki table ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spoki_sim() -> Iterator[tuple[LoopbackServer, SpokiSimulator]]:
    simulator = SpokiSimulator()
    server = LoopbackServer(simulator.route).start()
    yield server, simulator
    server.stop()


def test_spoki_hostile_table(run_shell, spoki_sim, tmp_path, qtbot):
    server, _ = spoki_sim
    shell = spoki_shell(run_shell, tmp_path, server.origin)
    view, provider = shell.views["sp"], shell.providers["sp"]
    events: list[Any] = []
    provider.event_received.connect(events.append)
    wait_ready(qtbot, view)
    qtbot.waitUntil(lambda: len(events) >= 2)  # the app's own events on load
    ledger = Ledger(view, shell.event_log.path, "sp")

    def pages() -> list[str]:
        return [str(e.page) for e in events if isinstance(e, (ChatsChanged, ChatMessagesChanged)) and e.page >= 1000]

    expected: list[str] = []
    for n, case in enumerate(SPOKI_CASES):
        result = send_case(qtbot, view, case.send, case.where)
        if result != "sent":
            ledger.failures.append(f"{case.id}: the sender got {result!r}")
        expected += case.answers
        ledger.check_drops(qtbot, case)
        ok = str(10_000 + n)
        send_case(qtbot, view, post(chats(page=int(ok))))
        expected.append(ok)
        expected = ledger.check_healthy(qtbot, case, pages, expected)
    ledger.assert_clean(qtbot)


# --- the Rocket.Chat table ---------------------------------------------------------------------


def test_rocketchat_hostile_table(run_shell, tmp_path, qtbot):
    from desktop.demo.rocketchat import DEMO_PASSWORD, INTEGRATION_SETTINGS, start_server
    from desktop.providers.rocketchat.events import UnreadChanged
    from tests.helpers.rocketchat import rc_toml, signed_in, start_rc
    server, _ = start_server(settings=INTEGRATION_SETTINGS, poll_ms=100)
    try:
        shell, provider, view, recorder = start_rc(run_shell, tmp_path, rc_toml(server.origin),
                                                   {"password": DEMO_PASSWORD})
        signed_in(qtbot, view, provider)
        ledger = Ledger(view, shell.event_log.path, "rc")

        def marks() -> list[str]:
            # The client's own unread counts are small; the table's markers are 50,000 and up.
            return [str(e.count) for e in recorder.of(UnreadChanged) if e.count >= 50_000]

        expected: list[str] = []
        for n, case in enumerate(RC_CASES):
            result = send_case(qtbot, view, case.send, case.where)
            if result != "sent":
                ledger.failures.append(f"{case.id}: the sender got {result!r}")
            expected += case.answers
            ledger.check_drops(qtbot, case)
            ok = str(50_000 + n)
            send_case(qtbot, view, post(rc("unread-changed", int(ok))))
            expected.append(ok)
            expected = ledger.check_healthy(qtbot, case, marks, expected)
        ledger.assert_clean(qtbot)
    finally:
        server.stop()


# --- docs/security.md --------------------------------------------------------------------------

BEGIN, END = "<!-- hostile-table:begin (python -m tests.e2e.test_hostile) -->", "<!-- hostile-table:end -->"


def render_tables() -> str:
    out = [BEGIN]
    for provider, cases in TABLES.items():
        out += ["", f"**{provider}** ({len(cases)} rows)", "", "| row | input | refused by | outcome |",
                "|---|---|---|---|"]
        for case in cases:
            what = case.what.replace("|", "\\|")
            layer = case.layer if case.drops or case.layer in {"csp", "browser"} else "—"
            out.append(f"| `{case.id}` | {what} | {layer} | {case.describe().replace('|', chr(92) + '|')} |")
    out += ["", END]
    return "\n".join(out)


def test_every_row_has_a_unique_id_and_a_known_reason():
    known = {"wrong-source", "wrong-origin", "transfer", "unserializable", "too-large", "string-too-long",
             "array-too-long", "too-many-keys", "too-deep", "forbidden-key", "not-an-object", "invalid-json",
             "nested-json-string", "missing-name", "unknown-name", "unsolicited-response", "bad-request-id",
             "bad-has-unread-chats", "bad-page", "bad-chats", "too-many-chats", "bad-has-filters", "bad-chat",
             "bad-messages", "bad-data", "missing-event-type", "unknown-event-type", "missing-event-name",
             "unknown-event-name", "bad-status", "bad-room", "bad-rid", "bad-unread", "bad-has-focus", "bad-button-id"}
    for provider, cases in TABLES.items():
        ids = [c.id for c in cases]
        assert len(ids) == len(set(ids)), provider
        for case in cases:
            assert set(case.drops) <= known, case.id
            assert re.fullmatch(r"[a-z0-9-]+", case.id), case.id


def test_docs_list_every_row():
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] == render_tables(), "docs/security.md is stale: run python -m tests.e2e.test_hostile"


def write_docs(path: pathlib.Path = DOC) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    path.write_text(text[:start] + render_tables() + text[end:], encoding="utf-8")


if __name__ == "__main__":
    write_docs()
    print(f"wrote the hostile-input tables into {DOC}", file=sys.stderr)
