"""생성 페이지(pages/generate.py, mlm_app/generate_view.py)의 문자열."""
STRINGS = {
    "generate.title": "두 가지 방식의 텍스트 생성",
    "generate.intro": (
        "같은 개수의 토큰을 두 가지 방식으로 생성해 나란히 비교합니다. 왼쪽의 **마스크 언어 모델**은 [MASK] 토큰만 "
        "늘어선 상태에서 시작해 단계마다 몇 개씩 드러냅니다. 마스크 확산 언어 모델(MDLM, 2024; LLaDA, 2025)이 "
        "텍스트를 만드는 방식입니다. 오른쪽의 작은 **인과 언어 모델**은 왼쪽에서 오른쪽으로 한 토큰씩 써 나갑니다. "
        "두 실행을 한 단계씩 다시 재생해 본 뒤, 아래의 지표를 비교해 보세요. 어느 쪽 텍스트가 왜 더 자연스러운지 "
        "드러납니다."),
    "generate.no_causal": "인과 언어 모델을 불러오지 못해 마스크 모델 쪽만 실행합니다: {reason}",
    "generate.causal_missing": "인과 언어 모델을 쓸 수 없어 이쪽은 건너뜁니다.",
    # settings
    "generate.length": "길이(토큰 수, 두 모델 모두 같음)",
    "generate.length_help": "1에서 {limit} 토큰까지: 두 모델이 특수 토큰을 포함해 읽을 수 있는 최대 길이입니다.",
    "generate.mlm_settings": "마스크 언어 모델: 반복적 언마스킹",
    "generate.causal_settings": "인과 언어 모델: 왼쪽에서 오른쪽으로",
    "generate.schedule": "진행 방식",
    "generate.schedule_steps": "단계 수로 정하기",
    "generate.schedule_per_step": "단계당 토큰 수로 정하기",
    "generate.steps": "단계 수",
    "generate.steps_help": "모델을 몇 번 실행해 텍스트를 드러낼지 정합니다. 길이보다 클 수 없습니다('단계 수로 정하기'일 때 사용).",
    "generate.per_step": "단계당 토큰 수",
    "generate.per_step_help": "한 단계에서 드러내는 토큰 수입니다('단계당 토큰 수로 정하기'일 때 사용).",
    "generate.order": "한 단계에서 드러낼 마스크 위치",
    "generate.order_confidence": "확신이 가장 큰 위치부터, 나머지는 다시 마스킹(저신뢰 재마스킹, LLaDA)",
    "generate.order_random": "무작위로 고른 위치(무작위 순서, MDLM)",
    "generate.order_help": (
        "단계마다 모델은 마스크된 모든 위치를 예측합니다. 저신뢰 재마스킹은 모델이 가장 확신하는 예측만 남기고 "
        "나머지는 다시 마스킹하며, 무작위 순서는 무작위로 고른 위치의 예측을 남깁니다."),
    "generate.block": "블록 길이(0이면 블록 하나)",
    "generate.block_help": (
        "텍스트를 이 길이의 블록으로 나누고, 왼쪽 블록부터 차례로 언마스킹합니다(LLaDA의 준자기회귀 디코딩). "
        "0이면 텍스트 전체를 한꺼번에 언마스킹합니다."),
    "generate.decoding": "토큰 고르는 방법",
    "generate.decoding_greedy": "그리디(가장 확률 높은 토큰)",
    "generate.decoding_temperature": "샘플링(온도)",
    "generate.decoding_top_k": "top-k 안에서 샘플링",
    "generate.temperature": "온도",
    "generate.temperature_help": "샘플링할 때 사용합니다. 1보다 작으면 분포가 뾰족해지고, 1보다 크면 평평해집니다.",
    "generate.top_k": "k 값",
    "generate.top_k_help": "'top-k 안에서 샘플링'일 때 사용합니다. 확률이 가장 높은 k개 토큰 중에서만 뽑습니다.",
    "generate.seed": "시드",
    "generate.generate": "생성",
    "generate.running": "두 텍스트를 생성하고 지표를 계산하는 중…",
    "generate.empty_text": "텍스트 하나가 비어 있어 지표를 계산할 수 없습니다.",
    # results
    "generate.press_generate": "설정을 고른 뒤 **생성**을 누르세요.",
    "generate.made_by": "각각 {length} 토큰: 마스크 모델 {mlm}, 인과 모델 {causal}.",
    "generate.mlm_heading": "마스크 언어 모델: 언마스킹",
    "generate.causal_heading": "인과 언어 모델: 왼쪽에서 오른쪽으로",
    "generate.final_text": "생성된 텍스트",
    "generate.step_back": "이전 단계",
    "generate.play": "재생",
    "generate.pause": "일시 정지",
    "generate.step_forward": "다음 단계",
    "generate.step": "단계",
    "generate.mlm_step_zero": "**{n}단계 중 1단계 전:** 모든 위치가 마스킹되어 있습니다.",
    "generate.mlm_step": (
        "**{n}단계 중 {k}단계:** {revealed}개를 드러내고, {remasked}개는 예측한 뒤 다시 마스킹했습니다"
        "(블록 {block}: 위치 {start}–{end})."),
    "generate.causal_step_zero": "**{n}개 토큰 중 첫 토큰 전:** 아직 아무것도 쓰지 않았습니다.",
    "generate.causal_step": "**{n}개 토큰 중 {k}번째:** '{token}', 확률 {p:.2f}.",
    "generate.chip_masked": "아직 마스킹됨",
    "generate.chip_revealed": "이번 단계에서 드러남",
    "generate.chip_remasked": "이번 단계에서 예측했지만 다시 마스킹됨",
    "generate.chip_outside": "뒤쪽 블록에서 처리될 위치",
    "generate.chip_kept_mlm": "앞 단계에서 이미 드러남",
    "generate.chip_kept_causal": "앞에서 이미 쓴 토큰",
    "generate.chip_pending": "아직 쓰지 않음",
    "generate.probability": "확률",
    "generate.confidence": "확신도",
    "generate.alternatives": "확률 높은 후보",
    "generate.position": "위치",
    "generate.step_axis": "단계",
    "generate.grid_title": "각 위치가 드러난 단계와 그때 모델의 확신도",
    "generate.strip_title": "인과 모델이 쓴 각 토큰의 확률",
    # measures
    "generate.measures_heading": "두 텍스트의 지표",
    "generate.col_output": "출력",
    "generate.col_text": "텍스트",
    "generate.col_perplexity": "인과 모델 퍼플렉서티",
    "generate.col_pll": "유사 로그 우도(PLL)",
    "generate.col_pseudo_perplexity": "유사 퍼플렉서티",
    "generate.col_repetition": "반복률(바이그램)",
    "generate.row_mlm": "마스크 모델(언마스킹)",
    "generate.row_causal": "인과 모델(왼쪽에서 오른쪽)",
    "generate.explain_perplexity": (
        "**인과 모델 퍼플렉서티**(낮을수록 좋음): 왼쪽에서 오른쪽으로 읽는 모델이 토큰마다 얼마나 놀라는지를 "
        "나타냅니다. 값이 낮을수록 모델이 학습한 실제 텍스트처럼 읽힌다는 뜻입니다."),
    "generate.explain_pll": (
        "**유사 로그 우도**(높을수록, 즉 0에 가까울수록 좋음): 마스크 모델이 토큰을 하나씩 가리고 양방향 문맥으로 "
        "점수를 매긴 값입니다. 유사 퍼플렉서티는 같은 값을 토큰 단위로 바꾼 것으로, 낮을수록 좋습니다."),
    "generate.explain_repetition": (
        "**반복률**(낮을수록 좋음): 같은 텍스트 안에서 앞서 이미 나온 단어 쌍이 차지하는 비율입니다. 0이면 "
        "되풀이되는 단어 쌍이 없다는 뜻입니다."),
    # note
    "generate.why_heading": "BERT 계열 모델이 텍스트 생성에 약한 이유",
    "generate.why_text": (
        "마스크 언어 모델은 실제 문장 속 빈칸 몇 개를 채우도록 학습되었습니다. [MASK]만 있는 상태에서 시작하면 "
        "모델은 나머지가 주어졌다고 보고 빈칸 하나하나를 **서로 독립적으로** 예측합니다. 그런데 빈칸들은 서로에게 "
        "의존합니다. 두 빈칸이 각각 그럴듯한 단어를 고르더라도 나란히 놓으면 말이 안 될 수 있고, 그래서 같은 "
        "단어가 되풀이되거나 뻔한 단어만 나옵니다. 반복적 언마스킹은 이 문제를 줄여 줍니다. 단계마다 일부 위치만 "
        "드러내므로, 나중 단계는 더 많은 실제 문맥을 보고 나머지를 예측합니다. **단계 수**와 **단계당 토큰 수**는 "
        "한 번에 함께 정해지는 위치의 수를 정합니다(단계당 토큰이 적을수록 충돌은 줄고 모델 실행 횟수는 늘어납니다). "
        "**저신뢰 재마스킹**(LLaDA)은 모델이 가장 확신하는 위치부터 정하고, **무작위 순서**(MDLM)는 순서 없이 "
        "정합니다. **블록**은 왼쪽에서 오른쪽으로 진행하므로 인과 모델의 순서를 일부 되살립니다. 인과 모델은 이런 "
        "문제를 겪지 않습니다. 토큰마다 앞의 모든 토큰을 알고서 고르기 때문입니다."),
}

# The generators' messages (mlm_core.generation); each pattern matches one sentence of the core's English.
ERRORS = [
    (r"The generation length must be between 1 and (?P<limit>\d+) tokens for (?P<model>.+?) \(it reads at most "
     r"(?P<positions>\d+) positions with its start(?: and end tokens| token)\); got (?P<got>-?\d+)\.",
     "생성 길이는 {model} 모델에서 1~{limit} 토큰이어야 합니다(특수 토큰을 포함해 최대 {positions}개 위치를 "
     "읽습니다). 입력한 길이: {got}."),
    (r"The generation length must be at least 1 token \(got (?P<got>-?\d+)\)\.",
     "생성 길이는 1 토큰 이상이어야 합니다(입력한 길이: {got})."),
    (r"(?P<steps>\d+) steps for (?P<length>\d+) tokens: every step reveals at least one token, so choose at most "
     r"(?P<most>\d+) steps\.",
     "{length}개 토큰에 {steps}단계는 너무 많습니다. 단계마다 토큰이 적어도 하나씩 드러나므로 단계 수는 {most} "
     "이하로 정하세요."),
    (r"The number of steps must be at least 1 \(got (?P<got>-?\d+)\)\.",
     "단계 수는 1 이상이어야 합니다(입력한 값: {got})."),
    (r"Each step must reveal at least 1 token \(got (?P<got>-?\d+)\)\.",
     "한 단계에서 토큰을 적어도 1개는 드러내야 합니다(입력한 값: {got})."),
    (r"Blocks of (?P<block>\d+) tokens cut (?P<length>\d+) tokens into (?P<n>\d+) blocks, and each needs a step of "
     r"its own: choose at least (?P<least>\d+) steps or longer blocks\.",
     "{block}토큰 블록으로 나누면 {length}개 토큰이 {n}개 블록이 되는데, 블록마다 단계가 적어도 하나 필요합니다. "
     "단계 수를 {least} 이상으로 늘리거나 블록을 더 길게 하세요."),
    (r"The block length must be at least 1 token \(got (?P<got>-?\d+)\); leave it out for a single block\.",
     "블록 길이는 1 토큰 이상이어야 합니다(입력한 값: {got}). 블록을 나누지 않으려면 비워 두세요."),
    (r"Unknown unmasking order '(?P<order>[^']*)'; choose '(?P<a>[^']*)' or '(?P<b>[^']*)'\.",
     "알 수 없는 언마스킹 순서 '{order}'입니다. '{a}' 또는 '{b}' 중에서 고르세요."),
    (r"The temperature must be between 0 \(greedy\) and 100 \(got (?P<got>[^)]+)\)\.",
     "온도는 0(그리디)에서 100 사이여야 합니다(입력한 값: {got})."),
    (r"top-k must be between 1 and (?P<vocab>\d+) \(got (?P<got>-?\d+)\)\.",
     "top-k의 k는 1에서 {vocab} 사이여야 합니다(입력한 값: {got})."),
    (r"The text is (?P<n>\d+) tokens long but (?P<model>.+?) reads at most (?P<most>\d+) after its start token\.",
     "텍스트가 {n} 토큰인데 {model} 모델은 시작 토큰 뒤로 최대 {most} 토큰까지만 읽습니다."),
    (r"'(?P<model>[^']+)' is not a masked language model, but the unmasking generator's model must be one\.",
     "'{model}'은(는) 마스크 언어 모델이 아닙니다. 언마스킹 생성에는 마스크 언어 모델이 필요합니다."),
]
