"""A light Streamlit client that speaks the browser's own websocket protocol (for bench/classroom.py).

One `StreamlitClient` is one browser tab: it connects to `ws://host:port/_stcore/stream` (subprotocol
"streamlit"), sends protobuf `BackMsg`s and reads `ForwardMsg`s, as Streamlit's frontend does. What it sends
is modelled on the frontend (streamlit 1.67, checked against frames captured from Chromium, and re-checked
live by `classroom.py --browsers N`, see `PageModel`/`compare_backmsg`):

- first load: `rerun_script` with the URL's query string and `page_name` (the URL path), no widget states;
- a widget change: `rerun_script` with the current query string, the page's script hash and the states of
  *every* widget on the page (the frontend's WidgetStateManager), the changed one with its new value, a
  button as a one-off `trigger_value`; values are the formatted option strings, as the frontend sends them;
- a page link: `rerun_script` with the target page's script hash and empty widget states;
- `auto_rerun` (a fragment with `run_every`): a timer sends `rerun_script` with `fragment_id` and
  `is_auto_rerun` at that interval;
- the message cache: `cached_message_hashes` lists the cacheable messages received in the last
  `maxCachedMessageAge` runs, and `ref_hash` messages are resolved from it, as the frontend does.

Widget values follow the frontend's rule: a widget keeps the value it had while it stays on the page; a
new widget starts at its proto's default; `set_value` replaces the value with the proto's current one;
widgets that a full run did not draw are forgotten; a page change forgets them all.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

__all__ = ["BackMsg", "ForwardMsg", "PageModel", "StreamlitClient", "compare_backmsg", "plotly_spec"]

FINISHED_OK = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
FINISHED_COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_WITH_COMPILE_ERROR")
FINISHED_EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
FINISHED_FRAGMENT = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
ALERT_ERROR, ALERT_WARNING = 1, 2  # Alert.Format

# element kinds that hold a widget value in the frontend (buttons only send one-off triggers)
STATEFUL = {"selectbox", "radio", "checkbox", "text_area", "text_input", "slider", "number_input", "multiselect",
            "button_group"}
TRIGGERS = {"button", "download_button"}
NUMBER_INT = 1  # NumberInput.DataType.INT


def widget_key(widget_id: str) -> str:
    """The user key of a widget id '$$ID-<hash>-<key>' ('None' for unkeyed widgets)."""
    parts = widget_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[0] == "$$ID" else widget_id


def _state(widget_id: str) -> WidgetState:
    ws = WidgetState()
    ws.id = widget_id
    return ws


def widget_state_from(kind: str, el: Any, current: bool) -> WidgetState:
    """The frontend's value for a widget element: its current value (`current`, i.e. set_value) or its default."""
    ws = _state(el.id)
    if kind in ("selectbox", "radio"):
        if current:
            if el.HasField("raw_value"):
                ws.string_value = el.raw_value
        elif el.HasField("default") and 0 <= el.default < len(el.options):
            ws.string_value = el.options[el.default]
    elif kind == "checkbox":
        ws.bool_value = el.value if current else el.default
    elif kind in ("text_area", "text_input"):
        name = "value" if current else "default"
        if el.HasField(name):
            ws.string_value = getattr(el, name)
    elif kind == "slider":
        ws.double_array_value.data[:] = list(el.value if current else el.default)
    elif kind == "number_input":
        name = "value" if current else "default"
        if el.HasField(name):
            if el.data_type == NUMBER_INT:
                ws.int_value = int(getattr(el, name))
            else:
                ws.double_value = getattr(el, name)
    elif kind == "multiselect":
        values = list(el.raw_values) if current else [el.options[i] for i in el.default if 0 <= i < len(el.options)]
        ws.string_array_value.data[:] = values
    elif kind == "button_group":
        values = list(el.raw_values) if current else [el.options[i].content for i in el.default
                                                        if 0 <= i < len(el.options)]
        ws.string_array_value.data[:] = values
    return ws


def state_value(ws: WidgetState) -> Any:
    """A WidgetState's value as plain Python (None when it carries none)."""
    which = ws.WhichOneof("value")
    if which is None:
        return None
    v = getattr(ws, which)
    if which in ("double_array_value", "int_array_value", "string_array_value"):
        return list(v.data)
    return v


@dataclass
class Seen:
    """One element as received: arrival order and time, kind, proto, and the run it came in."""

    seq: int
    t: float
    kind: str
    el: Any
    path: tuple[int, ...]
    fragment: str


@dataclass
class Problem:
    kind: str  # 'exception' | 'error' | 'warning' | 'compile_error' | 'protocol'
    text: str
    t: float
    page: str


class PageModel:
    """What the frontend knows after the ForwardMsgs it has received: elements, widget values, pages, caches.

    Used by the live client and, fed with the frames Chromium received, to check what a real browser sends."""

    def __init__(self):
        self.seq = 0
        self.widgets: dict[str, WidgetState] = {}
        self.run_widgets: set[str] = set()
        self.elements: dict[tuple[int, ...], Seen] = {}  # the current run's elements by delta path
        self.by_key: dict[str, Seen] = {}  # the latest element with a widget/element key (charts too)
        self.query_string = ""
        self.page_hash = ""
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.path = ""
        self.full_finishes = 0
        self.finishes = 0
        self.last_status: int | None = None
        self.auto_reruns: dict[str, float] = {}
        self.problems: list[Problem] = []
        self.max_cache_age = 2
        self._cache: dict[str, list] = {}  # hash -> [run count when last used, fragment id, msg bytes]
        self._run_count = 0
        self.bytes_in = 0
        self.messages_in = 0
        self.cache_hits = 0

    # ------------------------------------------------------------------ feeding

    def feed(self, payload: bytes, t: float | None = None) -> ForwardMsg:
        t = time.perf_counter() if t is None else t
        self.bytes_in += len(payload)
        self.messages_in += 1
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        which = msg.WhichOneof("type")
        if which == "ref_hash":
            entry = self._cache.get(msg.ref_hash)
            if entry is None:
                self.problems.append(Problem("protocol", f"cached ForwardMsg miss for hash {msg.ref_hash}", t, self.path))
                return msg
            entry[0] = self._run_count
            self.cache_hits += 1
            metadata = ForwardMsg()
            metadata.metadata.CopyFrom(msg.metadata)
            msg = ForwardMsg()
            msg.ParseFromString(entry[2])
            msg.metadata.CopyFrom(metadata.metadata)
            which = msg.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            if msg.hash in self._cache:
                self._cache[msg.hash][0] = self._run_count
            else:
                self._cache[msg.hash] = [self._run_count, msg.delta.fragment_id if which == "delta" else "", payload]
        self.seq += 1
        handler = getattr(self, f"_on_{which}", None)
        if handler is not None:
            handler(msg, t)
        return msg

    def _on_new_session(self, msg: ForwardMsg, t: float) -> None:
        ns = msg.new_session
        self.page_hash = ns.page_script_hash
        if ns.config.max_cached_message_age:
            self.max_cache_age = ns.config.max_cached_message_age
        for page in ns.app_pages:
            self.pages.setdefault(page.url_pathname, page.page_script_hash)
        self.elements = {}
        self.run_widgets = set()

    def _on_navigation(self, msg: ForwardMsg, t: float) -> None:
        nav = msg.navigation
        for page in nav.app_pages:
            self.pages[page.url_pathname] = page.page_script_hash
        if nav.page_script_hash:
            self.page_hash = nav.page_script_hash
            for path, h in self.pages.items():
                if h == nav.page_script_hash:
                    self.path = path

    def _on_page_info_changed(self, msg: ForwardMsg, t: float) -> None:
        self.query_string = msg.page_info_changed.query_string

    def _on_auto_rerun(self, msg: ForwardMsg, t: float) -> None:
        if msg.auto_rerun.fragment_id:
            self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval

    def _on_stop_auto_rerun(self, msg: ForwardMsg, t: float) -> None:
        for fid in msg.stop_auto_rerun.fragment_ids:
            self.auto_reruns.pop(fid, None)

    def _on_session_event(self, msg: ForwardMsg, t: float) -> None:
        ev = msg.session_event
        if ev.WhichOneof("type") == "script_compilation_exception":
            exc = ev.script_compilation_exception
            self.problems.append(Problem("compile_error", f"{exc.type}: {exc.message}", t, self.path))

    def _on_page_not_found(self, msg: ForwardMsg, t: float) -> None:
        self.problems.append(Problem("protocol", f"page not found: {msg.page_not_found.page_name}", t, self.path))

    def _on_script_finished(self, msg: ForwardMsg, t: float) -> None:
        status = msg.script_finished
        self.last_status = status
        if status == FINISHED_EARLY:
            return
        self.finishes += 1
        fragment_ids = list(msg.metadata.run.fragment_ids) if status == FINISHED_FRAGMENT else []
        if status in (FINISHED_OK, FINISHED_COMPILE_ERROR):
            self.full_finishes += 1
            # the frontend forgets the widgets a full run did not draw
            self.widgets = {k: v for k, v in self.widgets.items() if k in self.run_widgets}
        self._run_count += 1
        for h, entry in list(self._cache.items()):
            if fragment_ids and entry[1] not in fragment_ids:
                continue
            if self._run_count - entry[0] > self.max_cache_age:
                del self._cache[h]

    def _on_delta(self, msg: ForwardMsg, t: float) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        el_msg = delta.new_element
        kind = el_msg.WhichOneof("type")
        if kind is None:
            return
        el = getattr(el_msg, kind)
        path = tuple(msg.metadata.delta_path)
        seen = Seen(self.seq, t, kind, el, path, delta.fragment_id)
        self.elements[path] = seen
        el_id = getattr(el, "id", "") if kind not in ("markdown", "alert", "exception", "heading") else ""
        if el_id:
            self.by_key[widget_key(el_id)] = seen
        if kind in STATEFUL and el_id:
            self.run_widgets.add(el_id)
            if el_id not in self.widgets or el.set_value:
                self.widgets[el_id] = widget_state_from(kind, el, current=bool(el.set_value))
        elif kind == "exception":
            self.problems.append(Problem("exception", f"{el.type}: {el.message}", t, self.path))
        elif kind == "alert" and el.format == ALERT_ERROR:
            self.problems.append(Problem("error", el.body, t, self.path))
        elif kind == "alert" and el.format == ALERT_WARNING:
            self.problems.append(Problem("warning", el.body, t, self.path))

    # ------------------------------------------------------------------ what the frontend would send

    def cached_hashes(self) -> list[str]:
        return list(self._cache)

    def widget_id(self, key: str) -> str | None:
        seen = self.by_key.get(key)
        return seen.el.id if seen is not None else None

    def rerun_msg(self, *, changes: dict[str, WidgetState] | None = None, page_hash: str | None = None,
                  page_name: str = "", query_string: str | None = None, navigate: bool = False,
                  fragment_id: str = "", auto: bool = False, url: str = "") -> BackMsg:
        msg = BackMsg()
        rs = msg.rerun_script
        rs.widget_states.SetInParent()
        if navigate:
            rs.page_script_hash = page_hash or ""
        else:
            rs.query_string = self.query_string if query_string is None else query_string
            rs.page_script_hash = self.page_hash if page_hash is None else page_hash
            if page_name:
                rs.page_name = page_name
            states = dict(self.widgets)
            for wid, ws in (changes or {}).items():
                states[wid] = ws
            rs.widget_states.widgets.extend(states.values())
        if fragment_id:
            rs.fragment_id = fragment_id
        if auto:
            rs.is_auto_rerun = True
        rs.cached_message_hashes.extend(self.cached_hashes())
        ci = rs.context_info
        ci.timezone, ci.timezone_offset, ci.locale, ci.url = "UTC", 0, "en-US", url
        ci.is_embedded, ci.color_scheme = False, "light"
        return msg

    def apply(self, changes: dict[str, WidgetState]) -> None:
        """A change the user made stays the widget's value (buttons' triggers do not)."""
        for wid, ws in changes.items():
            if ws.WhichOneof("value") != "trigger_value":
                self.widgets[wid] = ws


def compare_backmsg(sent: BackMsg, model: PageModel) -> dict:
    """How a BackMsg a real browser sent differs from what `model` (fed the same ForwardMsgs) would send:
    {'kind', 'differs': {widget key: (browser value, model value)}, 'missing': [...], 'extra': [...], 'page_hash_ok',
    'query_ok'}. A user's change shows up as one differing widget; everything else should match."""
    rs = sent.rerun_script
    browser = {ws.id: ws for ws in rs.widget_states.widgets}
    out: dict = {"kind": "navigate" if not browser and rs.page_script_hash and rs.page_script_hash != model.page_hash
                 else ("initial" if rs.page_name else "widgets")}
    if out["kind"] == "navigate":
        out.update(differs={}, missing=[], extra=[], page_hash_ok=rs.page_script_hash in model.pages.values(),
                   query_ok=rs.query_string == "")
        return out
    if out["kind"] == "initial":
        out.update(differs={}, missing=[], extra=[], page_hash_ok=True, query_ok=True)
        return out
    mine = model.widgets
    differs = {}
    for wid in set(browser) & set(mine):
        a, b = state_value(browser[wid]), state_value(mine[wid])
        if browser[wid].WhichOneof("value") != mine[wid].WhichOneof("value") or a != b:
            differs[widget_key(wid)] = (a, b)
    out.update(differs=differs,
               missing=sorted(widget_key(w) for w in set(mine) - set(browser)),
               extra=sorted(widget_key(w) for w in set(browser) - set(mine)
                            if browser[w].WhichOneof("value") != "trigger_value"),
               page_hash_ok=rs.page_script_hash == model.page_hash, query_ok=rs.query_string == model.query_string)
    return out


class ProtocolError(RuntimeError):
    pass


@dataclass
class Sent:
    """The state just before a BackMsg went out: message seq, full-run finishes, problems seen, and the time."""

    seq: int
    full: int
    problems: int
    t: float


@dataclass
class Waiter:
    predicate: Callable[[], Any]
    future: asyncio.Future
    result: Any = None


@dataclass
class ClientStats:
    sent: int = 0
    bytes_out: int = 0
    auto_reruns_sent: int = 0
    t_connect: float = 0.0
    extra: dict = field(default_factory=dict)


class StreamlitClient:
    """One browser tab over the websocket protocol. All waits take a timeout (seconds)."""

    def __init__(self, base_url: str, name: str = ""):
        self.base_url = base_url.rstrip("/")
        self.ws_url = self.base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.name = name
        self.model = PageModel()
        self.stats = ClientStats()
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._timers: dict[str, asyncio.Task] = {}
        self._waiters: list[Waiter] = []
        self.closed = asyncio.Event()
        self.close_reason = ""

    # ------------------------------------------------------------------ connection

    async def connect(self, timeout: float) -> None:
        from websockets.asyncio.client import connect

        t0 = time.perf_counter()
        self._ws = await asyncio.wait_for(
            connect(self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout,
                    ping_interval=None, compression=None),
            timeout)
        self.stats.t_connect = time.perf_counter() - t0
        self._reader = asyncio.create_task(self._read(), name=f"reader-{self.name}")

    async def close(self) -> None:
        for task in self._timers.values():
            task.cancel()
        if self._ws is not None:
            try:
                await asyncio.wait_for(self._ws.close(), 5)
            except Exception:  # noqa: BLE001 - closing a broken socket
                pass
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except BaseException:  # noqa: BLE001
                pass
        self.closed.set()

    async def _read(self) -> None:
        try:
            async for payload in self._ws:
                if isinstance(payload, str):
                    payload = payload.encode()
                self.model.feed(payload)
                self._sync_timers()
                self._check_waiters()
        except asyncio.CancelledError:
            raise
        except Exception as err:  # noqa: BLE001 - reported through close_reason and the waiters
            self.close_reason = f"{type(err).__name__}: {err}"
        finally:
            if not self.close_reason:
                self.close_reason = "connection closed by the server"
            self.closed.set()
            for w in self._waiters:
                if not w.future.done():
                    w.future.set_exception(ProtocolError(f"{self.name}: {self.close_reason}"))
            self._waiters.clear()

    def _sync_timers(self) -> None:
        for fid, interval in self.model.auto_reruns.items():
            if fid not in self._timers:
                self._timers[fid] = asyncio.create_task(self._auto_rerun(fid, interval), name=f"auto-{self.name}")
        for fid in [f for f in self._timers if f not in self.model.auto_reruns]:
            self._timers.pop(fid).cancel()

    async def _auto_rerun(self, fragment_id: str, interval: float) -> None:
        while True:  # like the frontend's setInterval
            await asyncio.sleep(max(0.05, interval))
            try:
                await self._send(self.model.rerun_msg(fragment_id=fragment_id, auto=True, url=self.url()))
                self.stats.auto_reruns_sent += 1
            except Exception:  # noqa: BLE001 - the reader reports a broken connection
                return

    def _check_waiters(self) -> None:
        for w in list(self._waiters):
            if w.future.done():
                self._waiters.remove(w)
                continue
            try:
                result = w.predicate()
            except Exception as err:  # noqa: BLE001 - a broken predicate fails its own wait
                w.future.set_exception(err)
                self._waiters.remove(w)
                continue
            if result:
                w.future.set_result((time.perf_counter(), result))
                self._waiters.remove(w)

    async def wait_for(self, predicate: Callable[[], Any], timeout: float) -> tuple[float, Any]:
        """(time, value) when predicate() is first truthy (checked after every message); TimeoutError after timeout."""
        result = predicate()
        if result:
            return time.perf_counter(), result
        if self.closed.is_set():
            raise ProtocolError(f"{self.name}: {self.close_reason}")
        fut = asyncio.get_running_loop().create_future()
        self._waiters.append(Waiter(predicate, fut))
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            if not fut.done():
                fut.cancel()

    async def _send(self, msg: BackMsg) -> None:
        data = msg.SerializeToString()
        self.stats.sent += 1
        self.stats.bytes_out += len(data)
        await self._ws.send(data)

    def url(self) -> str:
        return f"{self.base_url}/{self.model.path}"

    # ------------------------------------------------------------------ user actions

    async def _rerun(self, msg: BackMsg, timeout: float) -> Sent:
        sent = Sent(self.model.seq, self.model.full_finishes, len(self.model.problems), time.perf_counter())
        await asyncio.wait_for(self._send(msg), timeout)
        return sent

    async def open(self, path: str, query_string: str, timeout: float) -> Sent:
        """First load of a URL (the frontend's first rerun_script)."""
        self.model.path = path
        msg = self.model.rerun_msg(page_hash="", page_name=path, query_string=query_string, url=self.url())
        return await self._rerun(msg, timeout)

    async def navigate(self, path: str, timeout: float) -> Sent:
        """A click on a page link: the target page's script hash, empty widget states."""
        page_hash = self.model.pages.get(path)
        if page_hash is None:
            raise ProtocolError(f"{self.name}: no page {path!r} in {sorted(self.model.pages)}")
        msg = self.model.rerun_msg(page_hash=page_hash, navigate=True, url=self.url())
        self.model.widgets = {}
        self.model.path = path
        return await self._rerun(msg, timeout)

    async def set_widget(self, key: str, value: Any, timeout: float, kind: str | None = None) -> Sent:
        """Change the widget with user key `key` to `value` (a list for pills/multiselect, a float list for sliders,
        True for a button) and send the rerun a browser would."""
        seen = self.model.by_key.get(key)
        if seen is None:
            raise ProtocolError(f"{self.name}: no widget {key!r} on the page")
        kind = kind or seen.kind
        ws = _state(seen.el.id)
        if kind in TRIGGERS:
            ws.trigger_value = True
        elif kind in ("button_group", "multiselect"):
            ws.string_array_value.data[:] = list(value)
        elif kind == "slider":
            ws.double_array_value.data[:] = [float(v) for v in value]
        elif kind == "checkbox":
            ws.bool_value = bool(value)
        elif kind == "number_input":
            if seen.el.data_type == NUMBER_INT:
                ws.int_value = int(value)
            else:
                ws.double_value = float(value)
        elif kind in ("selectbox", "radio", "text_area", "text_input"):
            if value is not None:
                ws.string_value = str(value)
        else:
            raise ProtocolError(f"{self.name}: cannot set a {kind} widget")
        changes = {seen.el.id: ws}
        msg = self.model.rerun_msg(changes=changes, url=self.url())
        self.model.apply(changes)
        return await self._rerun(msg, timeout)

    async def wait_run(self, sent: Sent, timeout: float) -> float:
        """Wait until the full script run started by `sent` finishes; returns the time."""
        t, _ = await self.wait_for(lambda: self.model.full_finishes > sent.full, timeout)
        return t

    def problems_since(self, sent: Sent) -> list[Problem]:
        return self.model.problems[sent.problems:]

    # ------------------------------------------------------------------ reading the page

    def element(self, key: str, after_seq: int = -1) -> Seen | None:
        seen = self.model.by_key.get(key)
        return seen if seen is not None and seen.seq > after_seq else None

    def elements(self, kind: str | None = None) -> list[Seen]:
        return [s for _, s in sorted(self.model.elements.items()) if kind is None or s.kind == kind]


def plotly_spec(seen: Seen) -> dict:
    return json.loads(seen.el.spec)
