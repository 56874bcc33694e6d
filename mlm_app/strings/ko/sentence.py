"""함께 쓰는 문장 입력란과 예문 선택 (mlm_app.sentence_box)."""
STRINGS = {
    "sentence.label": "문장 (다른 페이지와 함께 씀)",
    "sentence.examples": "예문",
    "sentence.examples_placeholder": "예문을 고르세요…",
}
