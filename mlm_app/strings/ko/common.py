"""모든 페이지가 함께 쓰는 문자열."""
STRINGS = {
    "common.app_name": "MLM Explorer",
    "common.models_speak_english": "모델은 영어로 학습되었습니다. 문장은 영어로 입력해 주세요 (예: I went to the [MASK] to deposit money.).",
    "common.error_prefix": "",
}

# Keys whose Korean is the same as the English on purpose (names, symbols).
UNTRANSLATED = {"common.app_name", "common.error_prefix"}

# The core's most common messages (the core speaks English; see i18n.message_in). Each pattern matches one sentence.
ERRORS = [
    (r"The (?:sentence|text) is empty[^.]*\.", "문장이 비어 있습니다. 문장을 입력하거나 예문을 고르세요."),
]
