"""MLM Explorer: `streamlit run app.py`. Navigation, the shared sidebar, then the chosen page."""
import streamlit as st

from mlm_app.sidebar import render_sidebar
from mlm_core.projection import start_umap_warmup

st.set_page_config(page_title="MLM Explorer", page_icon="🎭", layout="wide")

PAGES = [
    st.Page("pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("pages/fill_mask.py", title="Fill-mask", icon="🎭"),
    st.Page("pages/attention.py", title="Attention", icon="🔗"),
    st.Page("pages/polysemy.py", title="Polysemy", icon="🏦"),
    st.Page("pages/masking.py", title="Masking strategies", icon="🎲"),
    st.Page("pages/train.py", title="Train", icon="🏋️"),
]

navigation = st.navigation(PAGES)
start_umap_warmup()  # numba compiles UMAP in the background, off the user's path
render_sidebar()
if st.session_state.get("large_fonts"):
    st.markdown("<style>html, body, [class*='st-'] {font-size: 1.3rem;}</style>", unsafe_allow_html=True)
navigation.run()
