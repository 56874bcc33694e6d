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

from .i18n import error_text, t

# The radio's values (kept in the session and set by tests); what it shows is translated (SOURCE_KEYS).
SAMPLE, UPLOAD = "Bundled sample corpus", "Upload a text file"
SOURCE_KEYS = {SAMPLE: "train.sample", UPLOAD: "train.upload"}


@dataclass(frozen=True)
class CorpusChoice:
    """What a page will train on: the bundled sample, or checked upload text (not on disk yet)."""

    sample: bool
    name: str = ""
    text: str = field(default="", repr=False)
    error: str | None = None  # what is wrong (in the session's language), when nothing usable was chosen

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
    names = {option: t(k) for option, k in SOURCE_KEYS.items()}  # named now: AppTest formats outside the run
    source = (radio_container or st).radio(label, list(names), key=f"{key}_source", horizontal=True,
                                           format_func=lambda option: names.get(option, option))
    if source == SAMPLE:
        st.session_state.pop(f"_{key}_upload_text", None)
        st.caption(t("train.sample_caption"))
        return CorpusChoice(sample=True)
    # No `type=` filter: Streamlit would reject other files with a bare red chip; the check below says what is wrong.
    upload = st.file_uploader(t("train.upload_label", mb=MAX_UPLOAD_BYTES // 1024**2), key=f"{key}_upload")
    if upload is None:
        st.session_state.pop(f"_{key}_upload_text", None)
        return CorpusChoice(sample=False, error=t("train.upload_first"))
    try:
        name, text, lines = _checked_upload(key, upload)
    except MLMError as err:
        st.error(error_text(err))
        return CorpusChoice(sample=False, error=error_text(err))
    st.caption(t("train.upload_info", name=name, chars=len(text), lines=lines))
    return CorpusChoice(sample=False, name=name, text=text)
