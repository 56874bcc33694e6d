"""한국어 문자열. Korean strings; a key missing here falls back to English."""
