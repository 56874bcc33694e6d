"""The corpus choice shared by the Train and Masking pages: the bundled sample or a bounded, checked upload."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from mlm_core.compare import MAX_UPLOAD_BYTES, SAMPLE_CORPUS, check_upload, save_corpus
from mlm_core.errors import MLMError

from .training_jobs import corpora_root

SAMPLE, UPLOAD = "Bundled sample corpus", "Upload a text file"


def corpus_picker(key: str, label: str, radio_container=None) -> tuple[Path | None, str | None]:
    """Draw the choice; return (corpus path, None) or (None, what is wrong). Widget keys: {key}_source, {key}_upload."""
    source = (radio_container or st).radio(label, [SAMPLE, UPLOAD], key=f"{key}_source", horizontal=True)
    if source == SAMPLE:
        st.caption("About 570 KB of public-domain fiction: *Three Men in a Boat* (Jerome K. Jerome) and "
                   "*The Wonderful Wizard of Oz* (L. Frank Baum).")
        return SAMPLE_CORPUS, None
    upload = st.file_uploader(f"Plain UTF-8 text (.txt), at most {MAX_UPLOAD_BYTES // 1024**2} MB", type=["txt"],
                              key=f"{key}_upload")
    if upload is None:
        return None, "Upload a text file first (or use the bundled sample corpus)."
    try:
        text = check_upload(upload.getvalue(), upload.name)
    except MLMError as err:
        st.error(str(err))
        return None, str(err)
    st.caption(f"{upload.name}: {len(text):,} characters, "
               f"{sum(1 for line in text.splitlines() if line.strip()):,} non-blank lines.")
    return save_corpus(text, corpora_root(), upload.name), None
