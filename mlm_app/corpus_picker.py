"""The corpus choice shared by the Train and Masking pages: the bundled sample or a bounded, checked upload.

An upload stays in this session's memory until a run starts: `CorpusChoice.save` writes it then (inside
`TrainingManager.start`), and the manager removes it again once no run needs it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.training.uploads import MAX_UPLOAD_BYTES, SAMPLE_CORPUS, check_upload, save_corpus

SAMPLE, UPLOAD = "Bundled sample corpus", "Upload a text file"


@dataclass(frozen=True)
class CorpusChoice:
    """What a page will train on: the bundled sample, or checked upload text (not on disk yet)."""

    sample: bool
    name: str = ""
    text: str = field(default="", repr=False)
    error: str | None = None  # what is wrong, when nothing usable was chosen

    @property
    def ready(self) -> bool:
        return self.error is None

    def save(self, root: str | Path) -> Path:
        """The corpus file for a run: the sample, or the upload written under root now (MLMError when it cannot be)."""
        if self.error is not None:
            raise MLMError(self.error)
        return SAMPLE_CORPUS if self.sample else save_corpus(self.text, root, self.name)


def _checked_upload(key: str, upload) -> tuple[str, str, int]:
    """(name, text, non-blank lines) of the upload, checked once per file and kept in the session."""
    held = f"_{key}_upload_text"
    kept = st.session_state.get(held)
    if kept is None or kept[0] != upload.file_id:
        st.session_state.pop(held, None)
        text = check_upload(upload.getvalue(), upload.name)
        kept = (upload.file_id, upload.name, text, sum(1 for line in text.splitlines() if line.strip()))
        st.session_state[held] = kept
    return kept[1], kept[2], kept[3]


def corpus_picker(key: str, label: str, radio_container=None) -> CorpusChoice:
    """Draw the choice and return it. Widget keys: {key}_source, {key}_upload."""
    source = (radio_container or st).radio(label, [SAMPLE, UPLOAD], key=f"{key}_source", horizontal=True)
    if source == SAMPLE:
        st.session_state.pop(f"_{key}_upload_text", None)
        st.caption("About 570 KB of public-domain fiction: *Three Men in a Boat* (Jerome K. Jerome) and "
                   "*The Wonderful Wizard of Oz* (L. Frank Baum).")
        return CorpusChoice(sample=True)
    # No `type=` filter: Streamlit would reject other files with a bare red chip; the check below says what is wrong.
    upload = st.file_uploader(f"Plain UTF-8 text (.txt), at most {MAX_UPLOAD_BYTES // 1024**2} MB",
                              key=f"{key}_upload")
    if upload is None:
        st.session_state.pop(f"_{key}_upload_text", None)
        return CorpusChoice(sample=False, error="Upload a text file first (or use the bundled sample corpus).")
    try:
        name, text, lines = _checked_upload(key, upload)
    except MLMError as err:
        st.error(str(err))
        return CorpusChoice(sample=False, error=str(err))
    st.caption(f"{name}: {len(text):,} characters, {lines:,} non-blank lines.")
    return CorpusChoice(sample=False, name=name, text=text)
