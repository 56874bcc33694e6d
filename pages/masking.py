import streamlit as st
st.title("masking (being built)")
