"""다의어 페이지: 단어와 예문, 설정, 투영, 최근접 이웃, 의미 분리."""
STRINGS = {
    "polysemy.title": "다의어: 한 단어, 여러 문맥",
    "polysemy.intro": ("정적 임베딩은 **bank**에 벡터를 하나만 줍니다. 문맥을 반영하는 모델은 문장마다 다른 벡터를 "
                       "줍니다. *river bank*(강둑)와 *money bank*(은행)의 벡터는 서로 멀어질까요? 멀어진다면 몇 번째 "
                       "층에서일까요?"),
    "polysemy.layer_heading": "층 {layer}에서 본 '{word}'",
    "polysemy.static_heading": "층 {layer}에서 본 '{word}' (정적 임베딩)",
    "polysemy.separation_heading": "층별 의미 분리",
    "polysemy.downloads": "내려받기",
    # the word and its sentences
    "polysemy.word": "단어",
    "polysemy.word_help": ("미리 준비된 단어에는 의미가 표시된 예문이 딸려 있습니다. 아래에서 예문을 고치거나, 직접 "
                           "고른 단어를 써도 됩니다."),
    "polysemy.custom": "✏️ 직접 입력한 단어…",
    "polysemy.your_word": "내 단어",
    "polysemy.your_word_placeholder": "예: light",
    "polysemy.paste": ("예문을 한 줄에 하나씩 붙여 넣으세요: `의미<TAB>문장`(스프레드시트에서 복사) 또는 "
                       "`의미: 문장`"),
    "polysemy.type_word": "살펴볼 단어를 입력한 다음, 그 단어가 들어간 예문을 의미 표시와 함께 추가하세요.",
    "polysemy.preset_caption": ("**{word}**의 의미가 표시된 예문 {n}개입니다. 표에서 예문을 고치거나, 의미 표시를 "
                                "바꾸거나, 행을 추가할 수 있습니다."),
    "polysemy.editor": "예문과 의미 표시 (편집 가능)",
    "polysemy.add_sentences": "'{word}' 단어가 들어간 예문을 표에 추가하세요.",
    "polysemy.reading": "문장 {n}개를 읽는 중…",
    "polysemy.computing": "'{word}'의 벡터를 계산하는 중: 문장 {done}/{total}",
    "polysemy.skipped": "문장 {n}개를 건너뛰었습니다:",
    "polysemy.skipped_row": "- {row}행: “{sentence}” ({reason})",
    "polysemy.notes": "문장 {n}개에 대한 참고 사항",
    # controls
    "polysemy.layer": "층",
    "polysemy.layer_help": "0은 정적 입력 임베딩입니다 (아직 문맥이 없음). 층이 높을수록 더 많은 문맥이 섞여 있습니다.",
    "polysemy.projection": "투영",
    "polysemy.projection_help": ("PCA는 선형(유클리드) 투영입니다. t-SNE와 UMAP은 코사인 기준의 이웃 관계를 "
                                 "보존하지만, 군집 사이의 거리는 왜곡될 수 있습니다."),
    "polysemy.dimensions": "차원",
    "polysemy.dims_2": "2차원",
    "polysemy.dims_3": "3차원",
    "polysemy.perplexity": "t-SNE perplexity (점마다 가까이 두는 이웃의 대략적인 수)",
    "polysemy.perplexity_help": "점의 개수보다 작게 제한됩니다.",
    "polysemy.n_neighbors": "UMAP n_neighbors (국소 구조 ↔ 전역 구조)",
    "polysemy.min_dist": "UMAP min_dist (점들이 얼마나 촘촘히 모이는지)",
    "polysemy.shown_first": "처음 보여 주는 층: {reason}.",
    "polysemy.shown_first_top": ("처음 보여 주는 층: 맨 위 층({layer}). 이 모델에는 저장된 의미 층이 없습니다 "
                                 "(`python -m mlm_core sense-layer`로 고를 수 있음)."),
    # edit one context word
    "polysemy.edit": ("문맥 단어 하나 바꿔 보기: 예문의 한 단어를 바꾸고(예: 'money' → 'river') 그 문장의 "
                      "'{word}' 단어가 어디에 놓이는지 보세요"),
    "polysemy.reset": "되돌리기",
    "polysemy.reset_help": "표의 첫 번째 예문으로 돌아갑니다.",
    "polysemy.edit_missing": ("고친 문장에도 '{word}' 단어가 들어 있어야 하고 모델이 읽을 수 있는 길이여야 합니다. 이 "
                              "문장은 표시하지 않습니다."),
    "polysemy.edit_recomputed": ("{method} 결과는 새 문장을 포함해 다시 계산하므로 다른 점들도 움직일 수 있습니다. 절대 "
                                 "위치가 아니라 이웃 관계를 비교하세요."),
    # projection and neighbours
    "polysemy.spinner_pca": "투영하는 중…",
    "polysemy.spinner_tsne": "t-SNE 실행 중…",
    "polysemy.spinner_umap": "UMAP 실행 중 (처음 실행할 때는 코드를 컴파일하느라 몇 초 걸릴 수 있음)…",
    "polysemy.projection_title": "{method}, {dims}차원, 층 {layer}",
    "polysemy.projection_caption": ("색(과 표식 모양) = 의미. 점 위에 마우스를 올리면 예문이 보이고, 점을 클릭하면 "
                                    "최근접 이웃을 보여 줍니다 (그림 속 거리가 아니라 원래 벡터 공간에서의 코사인 "
                                    "유사도 기준)."),
    "polysemy.neighbours_of": "최근접 이웃을 볼 예문",
    "polysemy.neighbours_none": "— 점을 클릭하거나 예문을 고르세요 —",
    "polysemy.nearest_to": "**이 예문과 가장 가까운 예문들:** “{sentence}” ({sense})",
    # sense separation
    "polysemy.separation_caption": (
        "실루엣(−1…1: 같은 의미의 벡터끼리 다른 의미의 벡터보다 더 가까이 있는가?)과 하나 빼기(leave-one-out) 1-NN "
        "정확도(가장 비슷한 다른 예문이 같은 의미인가?)를 코사인 유사도로 잽니다. 층 0은 어텐션을 거치기 전의 "
        "정적 임베딩 기준선입니다. 여기서 단어 벡터에는 문맥이 없으므로(기껏해야 위치 임베딩), 이 층에서 보이는 "
        "분리는 의미 때문이 아닙니다."),
    "polysemy.separation_title": "'{word}'의 의미들은 얼마나 잘 갈라지는가",
    "polysemy.chance_caption": "점선: 이 의미 비율에서 우연히 기대되는 1-NN 정확도.",
    "polysemy.vectors_download": "벡터",
    "polysemy.metrics_download": "지표",
    # table columns
    "polysemy.col_sentence": "예문",
    "polysemy.col_sense": "의미",
    "polysemy.col_cosine": "코사인",
    "polysemy.col_layer": "층",
    "polysemy.col_layer_name": "층 이름",
    "polysemy.col_silhouette": "실루엣",
    "polysemy.col_knn": "1-NN 정확도",
    "polysemy.col_within": "같은 의미끼리의 코사인",
    "polysemy.col_between": "다른 의미 사이의 코사인",
    # words inside the figures (mlm_core.viz.embeddings)
    "polysemy.fig_edited": "고친 문장",
    "polysemy.fig_dimension": "차원 {n}",
    "polysemy.fig_sense": "의미",
    "polysemy.fig_silhouette": "실루엣",
    "polysemy.fig_knn": "k-NN 정확도",
    "polysemy.fig_chance": "우연 수준",
    "polysemy.fig_static": "0 (정적)",
    "polysemy.fig_layer": "층",
}

# The core's messages and notes met on this page (mlm_core.embeddings.vectors, projection, senses;
# mlm_core.model.sense_layer). The reasons a sentence is skipped are phrases inside a longer message.
ERRORS = [
    (r"'(?P<word>[^']*)' does not occur in any of the sentences\.", "어느 예문에도 '{word}' 단어가 없습니다."),
    (r"No usable sentence for '(?P<word>[^']*)': ", "'{word}' 단어에 쓸 수 있는 예문이 없습니다: "),
    (r"Give a word to look for\.", "찾을 단어를 입력하세요."),
    (r"Give at least one sentence\.", "예문을 하나 이상 입력하세요."),
    (r"Layer (?P<layer>\S+) is out of range: this model has layers 0\.\.(?P<last>-?\d+) \(0 = embeddings\)\.",
     "층 {layer}: 범위를 벗어났습니다. 이 모델의 층은 0..{last}입니다 (0 = 임베딩)."),
    (r"\bempty sentence\b", "빈 문장"),
    (r"'(?P<word>[^']*)' not found", "'{word}' 단어 없음"),
    (r"too long \((?P<n>\d+) tokens; the model reads (?P<limit>\d+)\)",
     "너무 김 (토큰 {n}개, 모델은 {limit}개까지 읽음)"),
    (r"the word's tokens could not be located", "단어의 토큰 위치를 찾지 못함"),
    (r"sentence (?P<i>\d+): '(?P<word>[^']*)' occurs (?P<n>\d+) times; using occurrence (?P<k>\d+)",
     "문장 {i}: '{word}' 단어가 {n}번 나옵니다. {k}번째를 씁니다"),
    (r"sentence (?P<i>\d+): matched '(?P<found>[^']*)' for '(?P<word>[^']*)'",
     "문장 {i}: '{word}' 대신 '{found}' 형태로 찾음"),
    (r"A projection needs at least 3 points, got (?P<n>\d+)\.", "투영하려면 점이 적어도 3개 필요합니다 (지금은 {n}개)."),
    (r"The vectors contain NaN or infinite values\.", "벡터에 NaN이나 무한대 값이 있습니다."),
    (r"All points are identical, so they all sit at the origin\.", "모든 점이 같아서 전부 원점에 놓입니다."),
    (r"Only (?P<k>\d+) independent direction\(s\) in the data; the remaining axes are zero\.",
     "데이터에 독립된 방향이 {k}개뿐이라 나머지 축은 0입니다."),
    (r"t-SNE is limited to (?P<cap>\d+) points: showing a random sample of (?P=cap) of (?P<n>\d+)\.",
     "t-SNE는 점 {cap}개까지만 다룹니다: {n}개 중 무작위로 고른 {cap}개를 보여 줍니다."),
    (r"t-SNE perplexity must be positive, got (?P<value>\S+)\.", "t-SNE perplexity는 양수여야 합니다 (지금은 {value})."),
    (r"Sense-separation metrics need at least two senses with at least two sentences in one of them; "
     r"got (?P<senses>\d+) sense\(s\) for (?P<n>\d+) sentence\(s\)\.",
     "의미 분리 지표를 계산하려면 의미가 두 가지 이상이고, 그중 적어도 한 의미에 예문이 두 개 이상 있어야 합니다 "
     "(지금은 예문 {n}개에 의미 {senses}가지)."),
    (r"layer (?P<layer>\d+) separates word senses best for this model: mean 1-NN sense accuracy (?P<acc>[\d.]+) "
     r"on (?P<n>\d+) labelled sentences of (?P<words>\d+) words \((?P<source>[^)]*)\)",
     "이 모델에서 단어의 의미를 가장 잘 가르는 층인 층 {layer} (단어 {words}개, 의미가 표시된 예문 {n}개에서 평균 "
     "1-NN 의미 정확도 {acc}; {source})"),
]
