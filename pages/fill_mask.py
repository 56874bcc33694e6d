import streamlit as st
st.title("fill_mask (being built)")
