"""다의어 페이지의 기하 섹션: 벡터 공간이 얼마나 붐비는지, 그리고 벡터 중심화."""
STRINGS = {
    # centring
    "geometry.vectors": "벡터",
    "geometry.centring_none": "원래 벡터",
    "geometry.centring_corpus": "코퍼스 평균으로 중심화",
    "geometry.centring_word": "이 단어 자신의 평균으로 중심화",
    "geometry.centring_help": (
        "문맥 벡터들은 공통된 방향을 공유하기 때문에, 서로 간의 코사인이 거의 다 높고 의미 사이의 차이는 소수점 "
        "셋째 자리에 숨어 버립니다. **코퍼스 평균**: 코퍼스 예문에서 단어 1000개로 추정한 층별 평균 벡터를 뺍니다 "
        "(Ethayarajh 2019가 말한 비등방성을 제거). **단어 자신의 평균**: 이 단어 벡터들의 평균을 빼서, 문장마다 "
        "다른 부분만 남깁니다 (의미 사이의 코사인이 음수가 됩니다). 투영, 최근접 이웃, 의미 분리 수치는 모두 "
        "여기서 고른 벡터를 씁니다."),
    "geometry.no_word_vectors": "아직 평균을 낼 단어 벡터가 없습니다. 원래 벡터를 보여 줍니다.",
    "geometry.baseline_spinner": "코퍼스 예문으로 층마다 평균 벡터를 추정하는 중 (모델마다 한 번)…",
    "geometry.baseline_failed": "코퍼스 평균을 추정하지 못했습니다 ({error}). 원래 벡터를 보여 줍니다.",
    "geometry.baseline_mismatch": "코퍼스 평균이 이 벡터들의 층과 맞지 않습니다. 원래 벡터를 보여 줍니다.",
    "geometry.centred_on": "문장 {sentences}개에 나온 단어 {words:,}개의 평균으로 중심화했습니다.",
    # how crowded is the vector space
    "geometry.title": "벡터 공간은 얼마나 붐빌까?",
    "geometry.intro": (
        "Ethayarajh (2019), *How Contextual are Contextualized Word Representations?*를 따라 층마다 세 가지를 "
        "잽니다. **비등방성**(anisotropy): 무작위 문맥에 놓인 무작위 단어 벡터들 사이의 평균 코사인입니다 (0에 "
        "가까우면 방향이 고루 퍼져 있고, 1에 가까우면 모든 벡터가 같은 쪽을 가리키므로 두 단어의 코사인이 높아도 "
        "별 의미가 없습니다). '{word}'의 **자기 유사도**(self-similarity): 서로 다른 문장에서 얻은 이 단어 벡터들 "
        "사이의 평균 코사인입니다. **정적 비율**(static share): 이 단어 벡터들의 분산 가운데 정적 벡터 하나로 "
        "설명할 수 있는 비율입니다."),
    "geometry.choose_word": "잴 단어를 고르세요.",
    "geometry.centre_toggle": "먼저 벡터 중심화하기 (층마다 코퍼스 평균을 뺌)",
    "geometry.centre_toggle_help": "모든 벡터가 공유하는 방향을 없앱니다. 비등방성이 거의 0으로 떨어집니다.",
    "geometry.too_few": ("'{word}' 단어를 찾은 문장은 {n}개 중 {found}개뿐입니다. 자기 유사도를 재려면 적어도 두 "
                         "문장에 이 단어가 있어야 합니다."),
    "geometry.too_few_missing": ("'{word}' 단어를 찾은 문장은 {n}개 중 {found}개뿐입니다 ({missing}개는 이 단어가 "
                                 "없거나 읽을 수 없음). 자기 유사도를 재려면 적어도 두 문장에 이 단어가 있어야 "
                                 "합니다."),
    "geometry.spinner": "벡터 공간을 재는 중 (코퍼스 예문은 모델마다 한 번만 읽음)…",
    "geometry.chart_title": "문장 {n}개에서 본 '{word}'",
    "geometry.chart_centred": ", 중심화한 벡터",
    "geometry.caption": (
        "층 0은 정적 입력 임베딩입니다. 여기서는 같은 단어가 어느 문장에서나 (거의) 같은 벡터를 받으므로 자기 "
        "유사도와 정적 비율이 1에 가깝습니다. 자기 유사도가 비등방성보다 훨씬 높으면 이 단어의 벡터가 문맥이 "
        "달라도 비슷하게 유지된다는 뜻이고, 정적 비율이 떨어질수록 문맥의 영향이 커진다는 뜻입니다."),
    "geometry.download": "기하 수치",
    # table columns
    "geometry.col_layer": "층",
    "geometry.col_layer_name": "층 이름",
    "geometry.static_layer": "0 (정적 임베딩)",
    "geometry.col_anisotropy": "비등방성",
    "geometry.col_self_similarity": "자기 유사도",
    "geometry.col_adjusted": "자기 유사도 − 비등방성",
    "geometry.col_static_share": "정적 비율",
    # words inside the figure (mlm_core.viz.geometry)
    "geometry.fig_anisotropy": "비등방성 (무작위 단어)",
    "geometry.fig_self_similarity": "'{word}'의 자기 유사도",
    "geometry.fig_static_share": "'{word}'의 정적 비율",
    "geometry.fig_layer": "층",
    "geometry.fig_static": "0 (정적)",
    "geometry.fig_y": "코사인 / 비율",
    "geometry.fig_y_centred": "코사인 / 비율 (중심화한 벡터)",
}

# The core's messages met in this section (mlm_core.embeddings.geometry).
ERRORS = [
    (r"'(?P<word>[^']*)' was found in (?P<n>\d+) sentence\(s\); self-similarity needs at least two\.",
     "'{word}' 단어를 찾은 문장이 {n}개뿐입니다. 자기 유사도를 재려면 적어도 두 문장이 필요합니다."),
    (r"The corpus sample needs at least two sentences the model can read\.",
     "코퍼스 예문 중 모델이 읽을 수 있는 문장이 적어도 두 개 있어야 합니다."),
]
