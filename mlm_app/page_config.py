"""Page title, icon, layout and the projector display: light (Streamlit only), so a page can call it before importing
torch."""
import streamlit as st

PROJECTOR_ROOT_PX = 21  # the root font size in projector mode (Streamlit's own is 16 px): everything in rem grows 1.3×
PROJECTOR_SIDEBAR_PX = 400  # wide enough for the page links and the model picker at the larger size

# Streamlit sizes text, headings, widgets and their spacing in rem, so a larger root font size scales all of it in
# proportion: headings stay larger than body text, and a slider's value, a toggle's label or a table's rows grow with
# the boxes that hold them (setting font-size on every element instead flattens the headings to body size and
# overflows the fixed boxes). The rest makes room: the full width for the content (narrow side padding), a wider
# sidebar, and labels that wrap instead of being cut short with an ellipsis.
PROJECTOR_CSS = f"""
html {{ font-size: {PROJECTOR_ROOT_PX}px !important; }}
[data-testid="stMainBlockContainer"] {{
  max-width: none !important; padding-left: 0.75rem !important; padding-right: 0.75rem !important;
  padding-top: 3.5rem !important;
}}
section[data-testid="stSidebar"] {{
  width: {PROJECTOR_SIDEBAR_PX}px !important; min-width: {PROJECTOR_SIDEBAR_PX}px !important;
  max-width: {PROJECTOR_SIDEBAR_PX}px !important;
}}
[data-testid="stSidebarUserContent"] {{ padding-left: 0.75rem !important; padding-right: 0.75rem !important; }}
[data-testid="stPageLink-NavLink"] *, [data-testid="stWidgetLabel"] *, [data-testid="stCheckbox"] label *,
[data-testid="stRadio"] label *, [data-testid="stTab"] *, [data-testid="stButton"] button *,
[data-testid="stDownloadButton"] button *, [data-testid="stPopover"] button * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere;
}}
[data-testid="stPageLink-NavLink"] {{ height: auto !important; }}
"""


def configure_page(title: str) -> None:
    """The browser tab's title ("<title> · MLM Explorer"; `title` comes already in the page's language), icon and
    layout."""
    st.set_page_config(page_title=f"{title} · MLM Explorer", page_icon=":material/edit_note:", layout="wide")


def apply_display(projector: bool) -> None:
    """The projector display (see PROJECTOR_CSS) when it is on. The style goes to Streamlit's event container, so
    turning it on or off moves no element of the page."""
    if projector:
        st.html(f"<style>{PROJECTOR_CSS}</style>")
