"""Streamlit glue for MLM Explorer: model picking, caching, shared state, downloads. All computation is in mlm_core."""
