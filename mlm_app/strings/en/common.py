"""Strings every page shares."""
STRINGS = {
    "common.app_name": "MLM Explorer",
    "common.models_speak_english": "",
    "common.error_prefix": "",
}
