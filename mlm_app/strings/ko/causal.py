"""마스크 언어 모델과 왼쪽에서 오른쪽으로 읽는 인과 언어 모델(짝 모델)의 비교."""
STRINGS = {
    "causal.unavailable": "왼쪽에서 오른쪽으로 읽는 짝 모델을 불러올 수 없어 이 비교는 보여 드릴 수 없습니다: {error}",
    "causal.section_title": "양쪽 문맥 vs 왼쪽 문맥만",
    "causal.show_toggle": "왼쪽에서 오른쪽으로 읽는 인과 언어 모델과 비교하기",
    "causal.show_help": "짝이 되는 인과 언어 모델은 번들 모델과 토크나이저, 학습 데이터, 크기가 같지만 문장을 왼쪽에서 "
                        "오른쪽으로 읽으며 다음 토큰을 예측합니다. 그래서 빈칸마다 그 왼쪽에 있는 단어만 보고 추측합니다.",
    "causal.compare_intro": "**마스크 언어 모델**은 빈칸의 **양쪽** 단어를 모두 보고 채웁니다. GPT 같은 **인과 언어 모델**"
                            "(왼쪽에서 오른쪽)은 빈칸 **앞**의 단어만 쓸 수 있습니다. 같은 빈칸에 대한 두 모델의 추측입니다:",
    "causal.mlm_chart": "{label}: 마스크 언어 모델 (양쪽 문맥)",
    "causal.causal_chart": "{label}: 인과 언어 모델 (왼쪽 문맥만)",
    "causal.blank_chip": "▢ 빈칸",
    "causal.mlm_reads": "마스크 언어 모델이 읽는 토큰:",
    "causal.causal_reads": "인과 언어 모델이 읽는 토큰:",
    "causal.earlier_blanks": "인과 언어 모델에는 마스크 토큰이 없습니다. 그래서 앞쪽 빈칸은 글을 쓸 때처럼 모델 자신의 "
                             "첫 번째 추측으로 채워서 넘겨 줍니다. 가려진 단어를 모델이 보는 일은 없습니다.",
    "causal.col_blank": "빈칸",
    "causal.col_mlm": "마스크 언어 모델의 1순위",
    "causal.col_causal": "인과 언어 모델의 1순위",
    "causal.col_hidden": "가려진 단어",
    "causal.col_mlm_p": "마스크 언어 모델: p(가려진 단어)",
    "causal.col_causal_p": "인과 언어 모델: p(가려진 단어)",
    "causal.not_in_top": "top-k 안에 없음",
    "causal.no_blank": "빈칸이 없습니다. 추측할 자리에 [MASK]를 써 넣으세요.",
    "causal.disagree_intro": "**두 모델의 의견이 가장 크게 갈리는 곳**: 예문과 다의어 문장 모음에서 자동으로 골랐습니다. "
                             "실제 단어에 대한 각 모델의 확률로, 마스크 언어 모델은 그 단어를 가린 채로, 인과 언어 모델은 "
                             "그 앞의 단어들만 보고 계산했습니다.",
    "causal.disagree_spinner": "두 모델의 의견이 가장 크게 갈리는 문장을 찾는 중…",
    "causal.disagree_none": "두 모델이 모두 점수를 매길 수 있는 문장이 없습니다.",
    "causal.col_sentence": "문장 [단어]",
    "causal.col_word": "단어",
    "causal.col_mlm_top": "마스크 언어 모델의 추측",
    "causal.col_causal_top": "인과 언어 모델의 추측",
    "causal.col_better": "더 가까운 쪽",
    "causal.better_mlm": "마스크 언어 모델 (오른쪽 문맥 덕분)",
    "causal.better_causal": "인과 언어 모델",
    "causal.layer": "층",
    "causal.head": "헤드",
    "causal.axis_from": "보내는 쪽 (쿼리)",
    "causal.axis_to": "받는 쪽 (키)",
    "causal.axis_weight": "가중치",
    "causal.mlm_attention": "{name} (마스크): {layer}층, 헤드 {head}",
    "causal.causal_attention": "{name} (인과): {layer}층, 헤드 {head}",
    "causal.attention_caption": "왼쪽: 모든 토큰이 앞뒤의 모든 토큰에 어텐션을 줍니다 (양방향). 오른쪽: 각 토큰은 자기 "
                                "자신과 왼쪽 토큰에만 어텐션을 줄 수 있어서 대각선 위쪽이 모두 0인 삼각형 모양이 됩니다.",
    "causal.attention_intro": "같은 문장을 마스크 언어 모델과, 크기·토크나이저·학습 데이터가 같은 왼쪽→오른쪽 짝 모델에 "
                              "각각 넣어 본 결과입니다.",
    "causal.tab": "마스크 vs 왼쪽→오른쪽",
}
