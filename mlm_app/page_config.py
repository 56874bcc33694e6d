"""Page title, icon and layout: light (Streamlit only), so a page can call it before importing torch."""
import streamlit as st


def configure_page(title: str) -> None:
    st.set_page_config(page_title=f"{title} · MLM Explorer", page_icon=":material/edit_note:", layout="wide")
