"""빈칸 채우기(Fill-mask) 페이지의 문자열 (pages/fill_mask.py, mlm_app/fill_mask_view.py)."""
STRINGS = {
    # 페이지, 조작 요소
    "fill_mask.title": "빈칸 채우기 (Fill-mask)",
    "fill_mask.intro": "단어를 클릭해 마스크로 가리면, 모델이 그 자리에 올 단어를 무엇으로 추측하는지 확률과 함께 "
                       "볼 수 있습니다.",
    "fill_mask.top_k": "마스크마다 보여 줄 예측 수 (top-k)",
    "fill_mask.pieces_toggle": "서브워드 조각 단위로 마스킹",
    "fill_mask.pieces_help": "단어 전체 대신 단어를 이루는 조각(토큰) 하나하나를 마스킹합니다.",
    "fill_mask.classroom_toggle": "수업 모드 (먼저 추측하기)",
    "fill_mask.classroom_help": "마스킹한 단어와 모델의 예측을 공개하기 전까지 숨겨 둡니다. 단어별로 하나씩 공개할 "
                                "수 있어, 학생들이 먼저 답을 추측해 볼 수 있습니다.",
    "fill_mask.sentence_label": "문장 (직접 빈칸을 만들려면 [MASK] 또는 <mask>를 입력하세요)",
    "fill_mask.sentence_help": "Ctrl+Enter를 누르거나 입력란 바깥을 클릭하면 적용됩니다.",
    "fill_mask.sentence_shown_help": "수업 모드에서는 마스킹한 단어가 가려져 있습니다. 문장을 고치려면 단어를 "
                                     "공개하거나 수업 모드를 끄세요.",
    "fill_mask.empty": "문장이 비어 있습니다. 위에 문장을 입력하거나 예문을 고르세요.",
    "fill_mask.nothing_masked": "아직 마스킹한 단어가 없습니다. 단어를 클릭해 마스킹하거나 문장에 [MASK]를 "
                                "입력하세요.",
    "fill_mask.scores_expander": "두 가지 방식의 문장 점수, 토큰별 점수, 최소 대립쌍",
    # 칩
    "fill_mask.chip_blank": "▢ 빈칸 {n}",
    "fill_mask.word_chips": "마스킹할 단어를 클릭하세요",
    "fill_mask.piece_chips": "마스킹할 조각을 클릭하세요",
    "fill_mask.typed_masks_one": "문장에 직접 입력한 마스크가 {n}개 있습니다. 직접 입력한 마스크는 항상 마스킹되므로 "
                                 "클릭할 칩이 없습니다.",
    "fill_mask.typed_masks_many": "문장에 직접 입력한 마스크가 {n}개 있습니다. 직접 입력한 마스크는 항상 마스킹되므로 "
                                  "클릭할 칩이 없습니다.",
    "fill_mask.split_hidden": "숨긴 단어 하나가 토크나이저에 의해 {n}개 조각으로 나뉩니다. 조각마다 따로 예측하므로 "
                              "각 차트는 조각 하나에 대한 예측일 뿐, 단어 전체에 대한 예측이 아닙니다.",
    "fill_mask.split_word": "'{word}' 단어는 {n}개 조각으로 나뉩니다. 조각마다 따로 예측하므로 아래 차트는 각각 "
                            "조각 하나({pieces})에 대한 예측일 뿐, 단어 전체에 대한 예측이 아닙니다.",
    # 읽기, 예측
    "fill_mask.predicting": "마스크 자리를 예측하는 중…",
    "fill_mask.coverage_what": "이 텍스트의 조각 {pieces}개 중 {bad}개가 {unk}이거나, 어휘 사전에 없는 문자 체계의 "
                               "낱글자(또는 글자의 일부)입니다. 그래서 여기서 나온 예측은 거의 의미가 없습니다.",
    "fill_mask.coverage_bundled": "이 모델은 영어 전용입니다. {what}",
    "fill_mask.coverage_other": "이 모델의 어휘 사전은 이 텍스트를 거의 다루지 못합니다. {what}",
    # 수업 모드
    "fill_mask.hidden_blanks_one": "🙈 빈칸 {n}개를 숨겼습니다 (조각이 몇 개든 단어 하나가 빈칸 하나입니다). 먼저 답을 "
                                   "추측해 본 다음, 모델의 예측을 단어별로 하나씩 또는 한꺼번에 공개하세요.",
    "fill_mask.hidden_blanks_many": "🙈 빈칸 {n}개를 숨겼습니다 (조각이 몇 개든 단어 하나가 빈칸 하나입니다). 먼저 "
                                    "답을 추측해 본 다음, 모델의 예측을 단어별로 하나씩 또는 한꺼번에 공개하세요.",
    "fill_mask.reveal_blank": "빈칸 {n} 공개",
    "fill_mask.reveal_all": "모두 공개",
    # 예측
    "fill_mask.independent": "**차트마다 마스크 하나에 대한 독립적인 확률 분포입니다**: 모델이 한 빈칸을 예측하는 "
                             "동안 다른 마스크는 그대로 가려져 있습니다. 그래서 차트마다 맨 위 막대를 골라 모아도 서로 "
                             "어울리는 단어가 된다는 보장은 없습니다. 아래의 연쇄 채우기는 빈칸을 하나씩 차례로 "
                             "채웁니다.",
    "fill_mask.axis_probability": "확률",
    "fill_mask.no_predictions": "예측 없음",
    "fill_mask.no_models": "모델 없음",
    "fill_mask.table_expander": "예측을 표로 보기",
    "fill_mask.downloads": "예측",
    # 코어가 만드는 레이블 (mlm_core.inference.fill_mask_post.LabelWords)
    "fill_mask.label_mask": "마스크 {number}: {word}",
    "fill_mask.label_piece": "마스크 {number}: {word}, 조각 {k}/{n} ({piece})",
    "fill_mask.label_typed": "마스크 {number}: 직접 입력한 마스크",
    "fill_mask.label_step_blank": "빈칸 {k}",
    "fill_mask.label_generation_blank": "빈칸 {k}/{n}",
    "fill_mask.label_single_method": "토큰 하나: 마스크 자리의 확률",
    "fill_mask.label_chain_method": "조각 {n}개: 왼쪽부터 연쇄 법칙, 뒤 조각은 마스킹",
    # 표의 열 이름 (내려받는 파일은 코어의 열 이름 그대로)
    "fill_mask.col_mask_index": "마스크 위치",
    "fill_mask.col_original": "원래 토큰",
    "fill_mask.col_rank": "순위",
    "fill_mask.col_token": "토큰",
    "fill_mask.col_piece": "조각",
    "fill_mask.col_probability": "확률",
    "fill_mask.col_step": "단계",
    "fill_mask.col_blank": "빈칸",
    "fill_mask.col_confidence": "확신도",
    "fill_mask.col_word": "단어",
    "fill_mask.col_log_prob": "로그 확률",
    "fill_mask.col_pieces": "조각들",
    "fill_mask.col_method": "계산 방법",
    # 연쇄 채우기
    "fill_mask.joint_title": "연쇄 채우기: 빈칸을 하나씩",
    "fill_mask.joint_intro": "반복 디코딩: 모델이 **가장 확신하는** 마스크부터 채우고, 그 단어를 넣은 문장을 다시 읽은 "
                             "뒤, 마스크가 남지 않을 때까지 이를 되풀이합니다. 그래서 나중의 선택이 앞선 선택에 따라 "
                             "달라질 수 있습니다.",
    "fill_mask.joint_spinner": "마스크를 하나씩 채우는 중…",
    "fill_mask.joint_result": "연쇄 채우기 결과: {text}",
    # 목표 단어
    "fill_mask.targets_expander": "마스크 자리에 원하는 단어를 넣어 점수 매기기",
    "fill_mask.slot": "마스크 자리",
    "fill_mask.targets": "넣어 볼 단어 (쉼표로 구분)",
    "fill_mask.targets_placeholder": "예: bank, river, shop",
    "fill_mask.targets_hint": "단어를 하나 이상 입력하세요. 토크나이저가 여러 조각으로 나누는 단어는 조각별로 확률을 "
                              "구해 곱합니다 (연쇄 법칙).",
    "fill_mask.scoring": "점수를 계산하는 중…",
    # 두 번째 모델
    "fill_mask.compare_toggle": "다른 모델과 비교",
    "fill_mask.compare_model": "비교할 모델",
    "fill_mask.compare_placeholder": "모델을 고르세요…",
    "fill_mask.compare_load_failed": "비교할 모델 {model}을(를) 불러오지 못했습니다: {error}",
    "fill_mask.compare_load_crashed": "비교할 모델 {model}을(를) 불러오지 못했습니다 ({kind}: {error}).",
    "fill_mask.compare_loading": "{model} 불러오는 중…",
    "fill_mask.compare_by_word": "마스크는 **단어 단위로** 맞춥니다: 두 번째 모델의 토크나이저로 문장을 다시 토큰화한 "
                                 "뒤 같은 단어를 마스킹합니다. 토크나이저가 다르면 같은 단어도 다른 조각으로 나뉠 수 "
                                 "있습니다.",
    "fill_mask.compare_running": "{model} 실행 중…",
    "fill_mask.compare_failed": "{model} 실행 중 문제가 생겼습니다: {error}",
    "fill_mask.compare_no_token": "{slot}: {model}에는 이 자리에 해당하는 토큰이 없습니다.",
    "fill_mask.compare_split_one": "{slot}: {first}은(는) 이 단어를 {n}개 조각으로, {second}은(는) {n2}개 조각으로 "
                                   "나눕니다. 막대는 각 모델의 첫 조각끼리 비교합니다.",
    "fill_mask.compare_split_many": "{slot}: {first}은(는) 이 단어를 {n}개 조각으로, {second}은(는) {n2}개 조각으로 "
                                    "나눕니다. 막대는 각 모델의 첫 조각끼리 비교합니다.",
    # 유사 로그 우도
    "fill_mask.pll_expander": "이 문장은 얼마나 그럴듯한가? (유사 로그 우도, PLL)",
    "fill_mask.pll_intro": "마스크 언어 모델은 문장 전체의 확률을 주지 않습니다. 대신 **토큰을 하나씩 차례로** "
                           "마스킹하고 원래 토큰의 로그 확률을 모두 더할 수 있습니다 (유사 로그 우도, pseudo-log-"
                           "likelihood, Salazar et al. 2020). 유사 퍼플렉서티 = exp(−PLL / 토큰 수)이며, 낮을수록 "
                           "모델이 문장을 더 자연스럽게 여긴다는 뜻입니다. 클릭한 마스크 없이 입력한 문장 그대로를 "
                           "채점하며, 토큰마다 순전파를 한 번씩 합니다.",
    "fill_mask.pll_waits": "이 표에는 문장의 모든 단어가 나오므로, 숨긴 단어를 공개한 뒤에 보여 줍니다.",
    "fill_mask.pll_button": "유사 로그 우도 계산",
    "fill_mask.pll_spinner": "토큰을 하나씩 마스킹하는 중…",
    "fill_mask.pll_metric": "유사 로그 우도 (PLL)",
    "fill_mask.ppl_metric": "유사 퍼플렉서티",
    # 생성은 별도 페이지로
    "fill_mask.generation_moved": "단계별 생성(마스크만으로 이루어진 문장을 채우기, 왼쪽에서 오른쪽으로 읽는 모델과 "
                                  "나란히 비교)은 별도 페이지에서 해 볼 수 있습니다.",
    "fill_mask.generation_link": "생성 페이지 열기",
}

# The core's messages that users of this page meet (mlm_core.inference.analysis, mlm_core.model.loading,
# mlm_app.models.offline_message), one sentence each; see i18n.message_in.
ERRORS = [
    # the text
    (r"The text is empty: type a sentence first\.", "텍스트가 비어 있습니다. 먼저 문장을 입력하세요."),
    (r"With '(?P<word>.*?)' in place the text is (?P<n>\d+) tokens long but (?P<model>.+?) reads at most "
     r"(?P<limit>\d+)\.",
     "'{word}' 단어를 넣으면 텍스트가 {n}개 토큰이 되는데, {model} 모델은 최대 {limit}개 토큰까지만 읽습니다."),
    (r"The text is (?P<n>\d+) tokens long but (?P<model>.+?) reads at most (?P<limit>\d+)\.",
     "텍스트가 {n}개 토큰인데, {model} 모델은 최대 {limit}개 토큰까지만 읽습니다."),
    (r"Shorten it: MLM Explorer refuses rather than silently cutting the text\.",
     "텍스트를 줄여 주세요. MLM Explorer는 텍스트를 몰래 잘라 내지 않고, 아예 처리하지 않습니다."),
    (r"top-k must be between 1 and (?P<most>\d+), got (?P<k>-?\d+)\.",
     "top-k는 1에서 {most} 사이여야 합니다 (입력한 값: {k})."),
    (r"Token position (?P<p>-?\d+) cannot be masked \(the text has (?P<n>\d+) tokens, special tokens excluded\)\.",
     "토큰 위치 {p}번은 마스킹할 수 없습니다 (텍스트의 토큰은 {n}개이며, 특수 토큰은 마스킹할 수 없습니다)."),
    # pseudo-log-likelihood, target words
    (r"Pseudo-log-likelihood scores a complete sentence: remove the masks first\.",
     "유사 로그 우도(PLL)는 완전한 문장을 채점합니다. 먼저 문장에서 마스크를 지우세요."),
    (r"The text has no tokens to score\.", "채점할 토큰이 없습니다."),
    (r"'(?P<word>.*?)' gives no tokens at this position\.",
     "'{word}' 단어를 이 자리에 넣으면 토큰이 하나도 생기지 않습니다."),
    (r"Pick a masked position to score target words at\.", "목표 단어의 점수를 매길 마스크 자리를 고르세요."),
    # a second model that cannot load
    (r"(?P<model>\S+) is not downloaded and the Hugging Face hub cannot be reached \(offline\?\), so it cannot load "
     r"here now\.",
     "{model} 모델은 내려받아 두지 않았고 Hugging Face 허브에도 연결할 수 없어서(오프라인?), 지금은 불러올 수 "
     "없습니다."),
    (r"The bundled model and models trained here work offline\.",
     "내장 모델(bundled)과 이 앱에서 학습한 모델은 오프라인에서도 쓸 수 있습니다."),
    (r"No model named '(?P<model>[^']*)' on the Hugging Face hub\.",
     "Hugging Face 허브에 이름이 '{model}'인 모델이 없습니다."),
    (r"'(?P<model>[^']*)' is not in the local Hugging Face cache and the hub cannot be reached \(offline\?\)\.",
     "'{model}' 모델이 로컬 Hugging Face 캐시에 없고, 허브에도 연결할 수 없습니다(오프라인?)."),
    (r"Could not load '(?P<model>[^']*)': the checkpoint looks corrupt or incompatible \((?P<detail>.*?)\)\.",
     "'{model}' 모델을 불러오지 못했습니다. 체크포인트가 손상되었거나 호환되지 않는 것 같습니다 ({detail})."),
    (r"'(?P<model>[^']*)' has no mask token, so it cannot fill masks\.",
     "'{model}' 모델에는 마스크 토큰이 없어서 빈칸을 채울 수 없습니다."),
    (r"'(?P<model>[^']*)' has only a slow tokenizer; MLM Explorer needs a fast one for word alignment\.",
     "'{model}' 모델에는 느린(slow) 토크나이저만 있습니다. MLM Explorer는 단어 정렬을 위해 빠른(fast) 토크나이저가 "
     "필요합니다."),
    (r"No model trained in this app is called '(?P<model>[^']*)'\.",
     "이 앱에서 학습한 모델 중에 이름이 '{model}'인 모델이 없습니다."),
    (r"Pick one from the list of models trained here in the sidebar\.",
     "사이드바에서 이 앱에서 학습한 모델 목록 중 하나를 고르세요."),
    (r"Try the bundled model \('bundled'\), which works offline\.",
     "오프라인에서도 동작하는 내장 모델('bundled')을 써 보세요."),
]
