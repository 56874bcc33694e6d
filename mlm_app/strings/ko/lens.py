"""로짓 렌즈 (빈칸 채우기 페이지의 한 섹션)."""
STRINGS = {
    "lens.title": "로짓 렌즈: 층을 거치며 만들어지는 추측",
    "lens.explain": (
        "**로짓 렌즈**(nostalgebraist 2020)는 모델 자신의 출력 헤드를, 마지막 층 뒤에서 쓰는 것과 똑같이 최종 "
        "정규화까지 포함해, **층마다** 마스크 위치의 은닉 상태에 적용합니다. 층 0은 입력 임베딩이고, 마지막 층은 "
        "위의 예측과 정확히 같습니다. **주의:** 이 헤드로 읽히도록 학습된 것은 마지막 층뿐입니다. 중간 층은 그렇지 "
        "않으므로, 앞쪽 층의 순위(흔한 토큰이나 그대로 복사된 토큰이 많음)는 그 층만큼이나 헤드에 대해서도 "
        "말해 줍니다. 층이 '생각하는' 내용이 아니라 렌즈로 본 모습으로 읽으세요."),
    "lens.note": ("렌즈란 모델 자신의 출력 헤드를 각 층의 마스크 위치 은닉 상태에 적용한 것입니다. 헤드는 마지막 층에 "
                  "맞춰 학습되었으므로, 앞쪽 층은 자기에게 맞게 만들어지지 않은 헤드로 읽는 셈입니다."),
    "lens.toggle": "로짓 렌즈 보기: 층을 거치며 만들어지는 추측",
    "lens.toggle_help": "층마다 모델 자신의 출력 헤드가 마스크 위치에서 읽어 내는 내용입니다.",
    "lens.nothing_masked": ("가려진 단어가 없습니다. 단어를 마스킹하거나 [MASK]를 입력하면 추측이 층마다 어떻게 "
                            "만들어지는지 볼 수 있습니다."),
    "lens.spinner": "층마다 헤드를 읽는 중…",
    "lens.what": "로짓 렌즈",
    "lens.unavailable": "여기서는 {what} 기능을 쓸 수 없습니다: {error}",
    "lens.unavailable_model": "이 모델에서는 {what} 기능을 쓸 수 없습니다 ({error}).",
    "lens.pick_mask": "렌즈로 읽을 마스크",
    "lens.figure_title": "{mask}: 층마다 렌즈로 본 예측",
    "lens.known_last": "최종 답 **{answer}**의 순위는 마지막 층({top})에 와서야 1위가 됩니다.",
    "lens.known_from": "층 **{first}**부터 렌즈가 줄곧 1순위로 꼽는 것이 최종 답 **{answer}**입니다 (층 0..{top} 중).",
    "lens.table": "층마다 최종 답의 순위와 확률",
    "lens.download": "렌즈",
    # table columns
    "lens.col_layer": "층",
    "lens.col_layer_name": "층 이름",
    "lens.embeddings_layer": "0 (임베딩)",
    "lens.col_top": "1순위 예측",
    "lens.col_top_probability": "1순위 확률",
    "lens.col_rank": "'{answer}'의 순위",
    # words inside the figure (mlm_core.viz.lens)
    "lens.fig_empty": "층이 없습니다",
    "lens.fig_layer": "층 {layer}",
    "lens.fig_embeddings": " (임베딩)",
    "lens.fig_top": "렌즈의 상위 예측",
    "lens.fig_rank": "순위",
    "lens.fig_probability": "확률",
    "lens.fig_layer_axis": "층",
}

# The core's messages met in this section (mlm_core.inference.lens).
ERRORS = [
    (r"The text has no mask: write \[MASK\] \(or <mask>\) or click a word to see the lens\.",
     "텍스트에 마스크가 없습니다. [MASK](또는 <mask>)를 쓰거나 단어를 클릭하면 렌즈를 볼 수 있습니다."),
    (r"There is no mask number (?P<index>\S+): the text has (?P<n>\d+) mask\(s\), numbered 0\.\.(?P<last>-?\d+)\.",
     "마스크 {index}번은 없습니다: 텍스트의 마스크는 {n}개이고, 번호는 0..{last}입니다."),
    (r"There is no mask number (?P<index>\S+): the text has (?P<n>\d+) mask\(s\)\.",
     "마스크 {index}번은 없습니다: 텍스트의 마스크는 {n}개입니다."),
]
