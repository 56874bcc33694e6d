"""어텐션 페이지의 연구용 섹션: 헤드마다 하는 일, 헤드 끄기, 어텐션 플로."""
STRINGS = {
    # head roles
    "heads.roles_title": "헤드마다 하는 일",
    "heads.roles_intro": (
        "내장 예문 {n}개에 대해 평균을 내어, 헤드마다 어텐션이 시작 토큰, 끝 토큰, 문장 부호, 바로 앞 토큰, 바로 뒤 "
        "토큰, 자기 자신으로 각각 얼마나 가는지와 어텐션이 얼마나 퍼져 있는지(엔트로피, 단위 nats: 높으면 넓게, "
        "낮으면 좁게 봄)를 보여 줍니다. Clark et al. (2019), *What Does BERT Look At?* 참고. 어느 한 역할이 "
        "어텐션의 {share:.0%} 이상을 차지하면 그 역할의 색으로, 그런 역할이 없으면 회색('{mixed}')으로 칠합니다. "
        "헤드를 클릭하면 그 헤드가 열립니다."),
    "heads.roles_spinner": "모든 헤드를 예문 {n}개에 대해 평균 내는 중…",
    "heads.roles_what": "헤드 역할 요약",
    "heads.roles_map_title": "헤드마다 주된 역할 (예문 {sentences}개, 토큰 {tokens}개)",
    "heads.click_to_open": "클릭해서 열기",
    "heads.roles_table": "모든 헤드의 비율을 표로 보기",
    "heads.roles_download": "헤드 역할",
    "heads.role_punctuation": "문장 부호",
    "heads.role_previous": "앞 토큰",
    "heads.role_next": "뒤 토큰",
    "heads.role_self": "자기 자신",
    "heads.role_mixed": "혼합",
    "heads.open_none": "— 맵에서 헤드를 클릭하거나 여기서 고르세요 —",
    "heads.open_option": "층 {layer}, 헤드 {head} ({role})",
    "heads.open_head": "열 헤드",
    "heads.share_axis": "어텐션 비율",
    "heads.role_bar_title": "L{layer} H{head}: 역할별 어텐션",
    "heads.entropy_caption": "엔트로피 {value:.2f} nats (토큰 10개에 고르게 퍼지면 {uniform:.2f}).",
    "heads.type_sentence": "문장을 입력하면 이 헤드의 선을 그 문장 위에 그려 보여 줍니다.",
    "heads.out_of_range": ("층 {layer}, 헤드 {head}는 이 문장의 어텐션 범위를 벗어납니다 "
                           "(층 {layers}개 × 헤드 {heads}개)."),
    "heads.head_view_title": "이 문장에서 층 {layer}, 헤드 {head}",
    "heads.head_view_caption": ("각 토큰(왼쪽)에서 그 토큰이 어텐션하는 토큰(오른쪽)으로 선을 그렸습니다. 0.05보다 "
                                "작은 가중치는 그리지 않습니다."),
    # switching heads off
    "heads.ablation_title": "헤드 끄기",
    "heads.ablation_intro": ("끌 헤드를 하나 또는 여러 개 고르면(층의 출력 투영 직전에 그 헤드의 출력을 0으로 "
                             "만듭니다), 마스크마다 top-k가 어떻게 바뀌는지 보여 줍니다. 꺼도 거의 달라지지 않는 "
                             "헤드는 적어도 이 문장에서는 예측이 기대지 않는 헤드입니다."),
    "heads.heads_off": "끌 헤드",
    "heads.typed": "…또는 LAYER.HEAD 쌍으로 입력",
    "heads.typed_placeholder": "예: 2.3, 0.1",
    "heads.typed_help": "층은 0..{last_layer}, 헤드는 0..{last_head}입니다.",
    "heads.choose_heads": "끌 헤드를 하나 이상 고르세요.",
    "heads.nothing_masked": ("가려진 단어가 없습니다. 단어를 마스킹하면(빈칸 채우기 페이지에서 고르거나 [MASK]를 "
                             "입력) 헤드를 껐을 때 무엇이 바뀌는지 볼 수 있습니다."),
    "heads.ablation_spinner": "헤드를 끈 채로 문장을 다시 읽는 중…",
    "heads.fp32_note": "헤드 끄기는 모델 본래의 fp32 가중치로 실행하므로, 여기서 '모든 헤드'는 fp32의 top-k입니다.",
    "heads.token_n": "토큰 {index}",
    "heads.ablation_download": "헤드 끄기 결과",
    # attention flow
    "heads.flow_intro": ("**어텐션 플로**(Abnar & Zuidema, 2020): 롤아웃과 같은 층별 행렬을 흐름 네트워크로 "
                         "읽습니다. 입력 토큰 *j*에서 맨 위 층의 위치 *i*로 가는 플로는 둘 사이의 최대 유량입니다. "
                         "롤아웃은 행렬을 곱하므로 모든 경로가 더해지고, 플로는 각 경로에서 가장 좁은 간선에 "
                         "막히므로 값이 더 크고 고르게 나옵니다."),
    "heads.flow_too_long": "어텐션 플로는 토큰 {limit}개까지만 계산합니다 (이 텍스트는 {n}개). 위의 롤아웃은 전체를 다룹니다.",
    "heads.flow_target": "플로가 흘러드는 위치",
    "heads.flow_target_help": ("플로는 계산 비용이 큽니다(입력 토큰마다 최대 유량 문제 하나). 그래서 한 번에 한 "
                               "위치씩 계산하고, 텍스트가 토큰 {n}개 이하일 때만 모든 위치를 계산합니다."),
    "heads.flow_go": "이 위치로 흘러드는 플로 계산하기",
    "heads.flow_wait": ("이 텍스트는 토큰이 {n}개라서 한 위치의 플로에 최대 유량 문제 {n}개를 풀어야 하고, 시간이 "
                        "걸립니다. 버튼을 눌러 계산하세요."),
    "heads.flow_spinner": "최대 유량 문제를 푸는 중…",
    "heads.flow_hidden": " (숨긴 토큰은 빼고, 행은 다시 정규화하지 않음)",
    "heads.flow_heatmap_title": "{n}개 층에 걸친 어텐션 플로{note}",
    "heads.flow_one_row": "이 텍스트는 토큰이 {n}개라서 고른 위치의 플로만 계산합니다.",
    "heads.rollout": "롤아웃",
    "heads.flow": "플로",
    "heads.input_token": "입력 토큰",
    "heads.share_top": "맨 위 층에 도달하는 비율",
    "heads.flow_bar_title": "마지막 층에서 {target}(으)로: 롤아웃과 플로",
    # table columns
    "heads.col_layer": "층",
    "heads.col_head": "헤드",
    "heads.col_dominant": "주된 역할",
    "heads.col_entropy": "엔트로피 (nats)",
    "heads.col_mask": "마스크",
    "heads.col_token": "토큰",
    "heads.col_piece": "조각",
    "heads.col_all_heads": "모든 헤드",
    "heads.col_heads_off": "헤드 끔",
    "heads.col_change": "변화",
    # words inside the figures (mlm_core.viz.heads)
    "heads.fig_cell": "층 {layer}, 헤드 {head}",
    "heads.fig_entropy": "엔트로피: {value:.2f} nats",
    "heads.fig_head": "헤드",
    "heads.fig_layer": "층",
    "heads.fig_legend": "주된 역할",
    "heads.fig_all": "모든 헤드",
    "heads.fig_without": "{removed} 끔",
}

# The core's messages met in these sections (mlm_core.inference.heads).
ERRORS = [
    (r"'(?P<part>[^']*)' is not a head: write LAYER\.HEAD, e\.g\. 2\.3 \(layer 2, head 3\)\.",
     "'{part}': 헤드를 이렇게 쓸 수는 없습니다. LAYER.HEAD 형식으로 쓰세요. 예: 2.3 (층 2, 헤드 3)."),
    (r"Choose at least one head to switch off, e\.g\. 2\.3 \(layer 2, head 3\)\.",
     "끌 헤드를 하나 이상 고르세요. 예: 2.3 (층 2, 헤드 3)."),
    (r"Choose at least one head to switch off\.", "끌 헤드를 하나 이상 고르세요."),
    (r"Layer (?P<value>\S+) is out of range: this model has layers 0\.\.(?P<last>-?\d+)\.",
     "층 {value}: 범위를 벗어났습니다. 이 모델의 층은 0..{last}입니다."),
    (r"Head (?P<value>\S+) is out of range: this model has heads 0\.\.(?P<last>-?\d+)\.",
     "헤드 {value}: 범위를 벗어났습니다. 이 모델의 헤드는 0..{last}입니다."),
    (r"The text has no mask: mask a word to see what switching heads off changes\.",
     "텍스트에 마스크가 없습니다. 단어를 마스킹하면 헤드를 껐을 때 무엇이 바뀌는지 볼 수 있습니다."),
    (r"Head ablation runs on the model's own \(fp32\) weights, not on a traced fast copy\.",
     "헤드 끄기는 모델 본래의 fp32 가중치에서만 실행되며, 트레이스된 빠른 사본에서는 실행되지 않습니다."),
    (r"Every sentence is longer than the (?P<limit>\d+) tokens (?P<model>\S+) reads\.",
     "모든 문장이 {model} 모델이 읽을 수 있는 토큰 {limit}개보다 깁니다."),
    (r"Give at least one sentence to average the heads over\.", "헤드를 평균 낼 문장을 하나 이상 주세요."),
]
