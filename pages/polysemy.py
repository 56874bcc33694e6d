import streamlit as st
st.title("polysemy (being built)")
