"""Who a browser is, across reloads: the owner of the trainings it starts (see `owner_id`).

Kept apart from the training code, so every page can call it without importing torch-heavy modules.
"""
from __future__ import annotations

import hashlib
import re
import threading
import time
import uuid
from typing import Callable

import streamlit as st

OWNER_PARAM = "owner"  # the query parameter that keeps a browser's owner token across reloads
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class OwnerTokens:
    """Which live browser session holds each owner token.

    A token in a link opened while its holder is still connected is not handed over: the newcomer gets a fresh
    one (a shared link never shares ownership). A reload closes the old session first, so the token comes back
    to the same browser; `grace_s` covers a close the server has not seen yet.
    """

    def __init__(self, is_live: Callable[[str], bool], grace_s: float = 1.0):
        self._lock = threading.Lock()
        self._holder: dict[str, str] = {}
        self._is_live = is_live
        self._grace_s = grace_s

    def claim(self, token: str | None, session: str) -> str:
        """The token for this session: the one it brings when nobody else live holds it, else a new one."""
        if token and _TOKEN.match(token):
            deadline = time.monotonic() + self._grace_s
            while True:
                with self._lock:
                    holder = self._holder.get(token)
                    if holder in (None, session) or not self._is_live(holder):
                        self._holder[token] = session
                        return token
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.1)
        with self._lock:
            self._forget_dead()
            token = uuid.uuid4().hex
            self._holder[token] = session
            return token

    def _forget_dead(self) -> None:
        if len(self._holder) > 1000:
            self._holder = {t: s for t, s in self._holder.items() if self._is_live(s)}


def owner_of(token: str) -> str:
    """The owner id stored with jobs and runs: a hash, so neither memory nor disk holds the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def _session_is_live(session: str) -> bool:
    from streamlit.runtime import Runtime

    return Runtime.exists() and Runtime.instance().is_active_session(session)


@st.cache_resource(show_spinner=False)
def _owner_tokens() -> OwnerTokens:
    return OwnerTokens(_session_is_live)


def owner_id() -> str:
    """This browser's durable identity, the owner of the jobs it starts.

    st.session_state is lost on a full reload, so the identity is a random 128-bit token kept in the URL
    (?owner=...): created once per browser session, put back on every run (`keep_owner_in_url`, since rewriting
    the shareable link may drop it), and brought back by a reload or a server restart. No cookie and no
    JavaScript are needed. A link opened while its holder is connected gets a fresh token (`OwnerTokens`); a link
    opened after its holder has left does carry the ownership, as a bookmark does. Jobs and run directories
    store only `owner_of(token)`.
    """
    token = st.session_state.get("_owner_token")
    if token is None:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        token = _owner_tokens().claim(st.query_params.get(OWNER_PARAM), ctx.session_id if ctx else "")
        st.session_state["_owner_token"] = token
    keep_owner_in_url()
    return owner_of(token)


def keep_owner_in_url() -> None:
    """Put the owner token back into the URL (rewriting the shareable link may have dropped it)."""
    token = st.session_state.get("_owner_token")
    if token and st.query_params.get(OWNER_PARAM) != token:
        st.query_params[OWNER_PARAM] = token
