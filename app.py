"""MLM Explorer: `streamlit run app.py`. The home page: what masked language modelling is, and where each page is."""
import streamlit as st

from mlm_app.i18n import t
from mlm_app.page_config import configure_page
from mlm_app.state import init_state

# The introduction is drawn before the shell (the model, the sidebar) is imported, so a fresh server shows the page
# while the model loads. The URL's options (the language among them) are read first, so it is in the right language.
init_state()
configure_page(t("nav.home"))
st.title(t("common.app_name"))
st.markdown(t("home.intro"))

from mlm_app.shell import finish_page, page_setup  # noqa: E402

page_setup("nav.home")
st.subheader(t("home.pages"))
st.page_link("pages/lesson.py", label=t("home.link_lesson"), icon=":material/school:")
st.page_link("pages/fill_mask.py", label=t("home.link_fill_mask"), icon=":material/edit_note:")
st.page_link("pages/attention.py", label=t("home.link_attention"), icon=":material/hub:")
st.page_link("pages/polysemy.py", label=t("home.link_polysemy"), icon=":material/scatter_plot:")
st.page_link("pages/masking.py", label=t("home.link_masking"), icon=":material/casino:")
st.page_link("pages/generate.py", label=t("home.link_generate"), icon=":material/auto_awesome:")
st.page_link("pages/train.py", label=t("home.link_train"), icon=":material/model_training:")

finish_page()
