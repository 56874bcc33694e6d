"""어텐션 페이지: 선택 상자, 다섯 개의 탭과 그 그림."""
STRINGS = {
    "attention.title": "어텐션",
    "attention.caveat": ("어텐션 가중치는 헤드가 어디를 보는지 보여 줄 뿐, 모델이 왜 그렇게 예측하는지는 알려 주지 "
                         "않습니다. 어텐션은 설명이 아닙니다."),
    "attention.sentence_help": "여기서 고친 문장은 빈칸 채우기 페이지에도 그대로 반영되고, 그 반대도 마찬가지입니다.",
    "attention.tab_heatmap": "히트맵",
    "attention.tab_head_view": "헤드 보기와 토큰 초점",
    "attention.tab_model_view": "모델 보기",
    "attention.tab_rollout": "헤드 평균, 롤아웃, 플로",
    "attention.tab_roles": "헤드의 역할과 헤드 끄기",
    "attention.masked_here": "빈칸 채우기 페이지에서 가린 단어는 여기서도 가려집니다: {words}",
    # selectors
    "attention.layer": "층",
    "attention.layer_help": "0이 첫 번째 어텐션 층입니다.",
    "attention.head": "헤드",
    "attention.head_average": "모든 헤드의 평균",
    "attention.head_n": "헤드 {head}",
    "attention.hide": "{specials} / 문장 부호 숨기기",
    "attention.hide_help": ("해당 행과 열을 빼고, 남은 각 행의 합이 1이 되도록 다시 맞춥니다. 많은 헤드가 "
                            "{specials}나 '.'에 어텐션을 몰아 두기 때문에 나머지가 잘 보이지 않습니다."),
    "attention.hidden_note": " (특수 토큰과 문장 부호를 숨기고 행을 다시 정규화함)",
    "attention.nothing_left": "모든 토큰이 특수 토큰이나 문장 부호라서 남는 것이 없습니다. 모든 토큰을 보여 줍니다.",
    "attention.opened_from_model_view": "모델 보기에서 층 {layer}, 헤드 {head}를 열었습니다.",
    # heatmap
    "attention.heatmap_caption": ("행: 바라보는 토큰(query), 열: 그 토큰이 바라보는 토큰들(key). "
                                  "각 행의 합은 1입니다."),
    "attention.heatmap_title": "층 {layer}, {head}{note}",
    "attention.weights_download": "가중치",
    # head view
    "attention.heads_to_draw": "그릴 헤드",
    "attention.heads_to_draw_help": "헤드마다 색이 하나씩입니다. 여기서 직접 고르기 전까지는 위의 헤드 선택을 따라갑니다.",
    "attention.follow": "헤드 선택 따라가기",
    "attention.follow_help": "위에서 고른 헤드를 다시 그립니다 (평균을 골랐다면 모든 헤드).",
    "attention.threshold": "임계값: 이보다 작은 가중치는 숨기기",
    "attention.threshold_help": "헤드 보기에는 이 값 이상인 가중치의 선만 그립니다.",
    "attention.focus": "토큰을 클릭하면 그 토큰이 어디에 어텐션하는지 보여 줍니다",
    "attention.no_heads": "그릴 헤드를 하나 이상 고르세요.",
    "attention.head_view_caption": ("층 {layer}: 각 토큰(왼쪽)에서 그 토큰이 어텐션하는 토큰(오른쪽)으로 선을 "
                                    "그렸습니다. 진할수록 가중치가 크고, {threshold:.2f}보다 작은 가중치는 그리지 "
                                    "않습니다."),
    "attention.head_view_title": "층 {layer}{note}",
    "attention.focus_source": "'{token}' (층 {layer}, {head})",
    # model view
    "attention.model_view_caption": ("모든 층의 모든 헤드를 한눈에 봅니다 (행: 층, 열: 헤드). 작은 맵을 클릭하면 그 "
                                     "층과 헤드가 위의 선택 상자에 열리고, 선택 상자에서 직접 골라도 됩니다."),
    # head average and rollout
    "attention.average_intro": "**층 {layer}의 헤드 평균**: 이 층에 있는 헤드 {n}개의 평균입니다.",
    "attention.average_title": "층 {layer}, 헤드 평균{note}",
    "attention.rollout_intro": ("**어텐션 롤아웃**(Abnar & Zuidema, 2020): 층마다 헤드를 평균하고, 잔차 연결을 "
                                "반영해 단위 행렬을 더한 뒤 행을 다시 정규화하여, 첫 층부터 마지막 층까지 곱합니다. "
                                "*i*번째 행은 각 입력 토큰이 맨 위 층의 위치 *i*로 얼마나 흘러드는지를 추정합니다. "
                                "그래도 정보 흐름의 근사일 뿐입니다."),
    "attention.residual": "잔차 연결 반영하기",
    "attention.rollout_title": "{n}개 층에 걸친 롤아웃{note}",
    # words inside the figures (mlm_core.viz.attention)
    "attention.fig_weight": "가중치",
    "attention.fig_to": "받는 쪽 (key)",
    "attention.fig_from": "보는 쪽 (query)",
    "attention.fig_heads": "헤드",
    "attention.fig_click": "클릭해서 열기",
    "attention.fig_where": "{source}의 어텐션이 향하는 곳",
}

# The core's messages met on this page (mlm_core.inference.attention_tools, attention_flow); an empty or too long
# text is turned into Korean by the patterns of strings/ko/common.py and fill_mask.py.
ERRORS = [
    (r"Layer (?P<layer>\S+) is out of range: this model has attention layers 0\.\.(?P<last>-?\d+)\.",
     "층 {layer}: 범위를 벗어났습니다. 이 모델의 어텐션 층은 0..{last}입니다."),
    (r"Head (?P<head>\S+) is out of range: each layer has heads 0\.\.(?P<last>-?\d+)\.",
     "헤드 {head}: 범위를 벗어났습니다. 층마다 헤드는 0..{last}입니다."),
    (r"Attention flow is limited to (?P<limit>\d+) tokens \(this text has (?P<n>\d+)\); use rollout\.",
     "어텐션 플로는 토큰 {limit}개까지만 계산합니다 (이 텍스트는 {n}개). 롤아웃을 쓰세요."),
    (r"Positions must be between 0 and (?P<last>-?\d+)\.", "위치는 0에서 {last} 사이여야 합니다."),
]
