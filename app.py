"""MLM Explorer: `streamlit run app.py`. The home page: what masked language modelling is, and where each page is."""
import streamlit as st

from mlm_app.page_config import configure_page

# The introduction is drawn before the shell (torch, transformers, the model) is imported, so a fresh server
# shows the page while the model loads.
configure_page("Home")
st.title("MLM Explorer")
st.markdown(
    """
A **masked language model** (MLM) learns by filling in blanks. During training about **15% of the tokens** are
selected; of those, **80%** are replaced by a `[MASK]` token, **10%** by a random token and **10%** are left
unchanged, and the model must recover the originals. Because it reads the whole sentence at once, the model uses
**bidirectional context**: words on both sides of the blank.

Models trained this way are **encoder-only** Transformers, such as **BERT**, **RoBERTa**, **ALBERT**,
**DistilBERT**, **ELECTRA**'s generator and **ModernBERT**. They give rich contextual word vectors, but they are
**not built to generate text**: they predict each blank from the words around it, with no left-to-right order
and a fixed number of blanks, so "writing" with one means guessing many blanks that depend on each other
(try the step-by-step fill on the Fill-mask page to see why that goes wrong).

Everything here runs on the **bundled model**, a small model trained by this project, with no network; pick another
model in the sidebar at any time.
"""
)

from mlm_app.shell import finish_page, page_setup  # noqa: E402

page_setup("Home")
st.subheader("Pages")
st.page_link("pages/fill_mask.py", label="Fill-mask: click words to mask them and see the model's guesses", icon=":material/edit_note:")
st.page_link("pages/attention.py", label="Attention: heatmaps, head view, model view, rollout", icon=":material/hub:")
st.page_link("pages/polysemy.py", label="Polysemy: how 'bank' gets different vectors in different contexts", icon=":material/scatter_plot:")
st.page_link("pages/masking.py", label="Masking strategies: see them and train small models with them", icon=":material/casino:")
st.page_link("pages/train.py", label="Train: your own small MLM on your own text", icon=":material/model_training:")

finish_page()
