"""문장 점수와 최소 대립쌍 (빈칸 채우기 페이지의 한 섹션)."""
STRINGS = {
    "scores.title": "문장 점수: 긴 단어에도 공정한 유사 로그 우도",
    "scores.explain": (
        "MLM은 문장 전체의 확률을 주지 않습니다. 대신 **토큰을 하나씩 차례로** 가리고 실제 토큰의 로그 확률을 모두 "
        "더하면 **유사 로그 우도**(pseudo-log-likelihood, PLL, Salazar et al. 2020)를 얻습니다. 자연로그를 쓰며 "
        "단위는 nats이고, 0에 가까울수록 모델에게 자연스러운 문장입니다. **original** 방식에서는 여러 조각으로 나뉜 "
        "단어의 각 조각을 같은 단어의 뒤 조각들이 보이는 채로 예측하므로, 길고 드문 단어를 지나치게 그럴듯하게 "
        "평가합니다. **word-l2r**(Kauf & Ivanova 2023)는 같은 단어의 뒤 조각들도 함께 가립니다. 한 조각짜리 단어에서는 "
        "두 방식이 같습니다. 유사 퍼플렉서티 = exp(−PLL / 토큰 수). 어느 쪽이든 토큰마다 모델을 한 번씩 실행합니다."),
    "scores.variant_original": "original 방식 (Salazar et al. 2020)",
    "scores.variant_word_l2r": "word-l2r 방식 (Kauf & Ivanova 2023)",
    "scores.mode": "점수 매기기",
    "scores.mode_single": "이 문장",
    "scores.mode_pair": "최소 대립쌍",
    "scores.mode_help": "최소 대립쌍: 한 곳만 다른 두 문장입니다. 모델은 어느 쪽을 더 선호할까요?",
    "scores.pair_box": "두 문장, 한 줄에 하나씩",
    "scores.hidden": "막대그래프에 문장의 모든 단어가 나오므로, 숨긴 단어를 공개할 때까지 보여 주지 않습니다.",
    "scores.as_typed": "입력한 그대로의 문장에 점수를 매깁니다 (클릭한 마스크는 적용하지 않음): “{text}”",
    "scores.type_above": "위에 문장을 입력하면 점수를 매길 수 있습니다.",
    "scores.go_single": "점수 매기기",
    "scores.go_pair": "비교하기",
    "scores.press": "버튼을 누르면 점수를 매깁니다 (토큰마다 한 번씩 실행).",
    # one sentence
    "scores.type_sentence": "점수를 매길 문장을 입력하세요.",
    "scores.single_spinner": "두 방식으로 토큰을 하나씩 가리는 중…",
    "scores.metric_help": "토큰 {n}개에 대한 유사 퍼플렉서티 {ppl:.2f}",
    "scores.variants_agree": "두 방식의 점수가 같습니다: 점수를 매긴 단어 중 여러 조각으로 나뉜 단어가 없습니다.",
    "scores.variants_differ": ("original 방식이 이 문장을 word-l2r보다 {diff:.2f} nats 더 그럴듯하게 평가합니다. "
                               "original에서는 나뉜 단어의 조각들이 서로를 예측해 주기 때문입니다."),
    "scores.single_figure_title": "토큰마다 log p: 그 토큰을 가렸을 때 (word-l2r는 같은 단어의 뒤 조각도 가림)",
    "scores.token_table": "토큰 점수를 표로 보기",
    "scores.token_download": "토큰 점수",
    # minimal pair
    "scores.need_two": ("최소 대립쌍은 한 줄에 하나씩, 두 문장입니다 (지금은 {n}개). 'are' / 'is'처럼 한 곳만 다른 "
                        "두 문장을 입력하세요."),
    "scores.variant": "방식",
    "scores.pair_spinner": "두 문장에 점수를 매기는 중…",
    "scores.same": "모델이 두 문장에 똑같은 점수를 줍니다.",
    "scores.prefers": ("모델은 **문장 {n}**(“{text}”)을 **{diff:.2f} nats** 더 선호합니다: 유사 우도로 보면 약 "
                       "{odds:,.1f}배 더 그럴듯하다는 뜻입니다 ({variant})."),
    "scores.other_variant": ("{variant} 방식은 다른 문장을 선호합니다: 나뉜 단어에 점수를 매기는 방법에 따라 판정이 "
                             "달라집니다."),
    "scores.sentence_n": "문장 {n}",
    "scores.pair_figure_title": "토큰마다 log p ({variant})",
    "scores.pair_download": "대립쌍 점수",
    # table columns
    "scores.col_variant": "방식",
    "scores.col_position": "위치",
    "scores.col_token": "토큰",
    "scores.col_piece": "조각",
    "scores.col_log_prob": "로그 확률",
    "scores.col_masked": "가린 토큰 수",
    "scores.col_first": "문장 1 (nats)",
    "scores.col_second": "문장 2 (nats)",
    "scores.col_difference": "차이 (1 − 2)",
    "scores.col_prefers": "선호",
    "scores.col_odds": "몇 배 그럴듯한가",
    # words inside the figure (mlm_core.viz.scores)
    "scores.fig_empty": "문장이 없습니다",
    "scores.fig_total": "{label}: 합계 {total:.2f} nats",
    "scores.fig_log_p": "로그 확률 (log p)",
}

# The core's messages met in this section (mlm_core.inference.scoring); those of mlm_core.inference.analysis are in
# strings/ko/fill_mask.py.
ERRORS = [
    (r"A minimal pair is two sentences; got (?P<n>\d+)\.", "최소 대립쌍은 두 문장입니다 (지금은 {n}개)."),
    (r"Give two versions of a sentence that differ in one place\.", "한 곳만 다른 두 문장을 입력하세요."),
    (r"A sentence score needs a complete sentence: remove the masks first\.",
     "문장 점수는 완전한 문장에만 매길 수 있습니다. 먼저 마스크를 지우세요."),
    (r"Give at least one sentence to score\.", "점수를 매길 문장을 하나 이상 입력하세요."),
]
