"""수업 페이지: 학습 노트의 단계, 단계별 설명과 위젯, 마지막 세 가지 질문."""
STRINGS = {
    "lesson.title": "수업: 마스크 언어 모델은 어떻게 배우고, 어디에 쓰이는가",
    "lesson.intro": "교실에서 학습 노트를 한 단계씩 따라가는 페이지입니다. 모든 단계는 사이드바에서 고른 모델로 바로 "
                    "계산됩니다. 주소창에 현재 단계가 들어가므로, 링크를 공유하면 같은 단계가 열립니다.",
    "lesson.back": "이전",
    "lesson.next": "다음",
    "lesson.jump": "단계로 이동",
    "lesson.step_of": "{total}단계 중 {n}단계",
    "lesson.sentence_label": "수업 문장 (다른 페이지와 공유)",
    "lesson.pick_blank": "가릴 단어를 클릭하세요",
    "lesson.typed_mask_note": "문장에 [MASK]가 직접 들어 있습니다. 그 자리가 빈칸입니다.",
    "lesson.no_words": "가릴 단어가 없습니다. 문장을 입력하거나, 빈칸으로 만들 자리에 [MASK]를 써 넣으세요.",

    # 1. 빈칸 채우기
    "lesson.fill.title": "빈칸 채우기",
    "lesson.fill.explain": "**마스크 언어 모델**(MLM)이 학습하는 과제는 하나입니다. 문장의 일부 단어를 가리고, 가려진 "
                           "단어를 맞히는 것입니다. 모델은 문장 **전체**를 한 번에 읽기 때문에 빈칸의 **양쪽** 문맥을 "
                           "모두 씁니다. 빈칸 뒤에 오는 *deposit money*가 바로 답이 은행(bank)이라는 단서입니다. 다른 "
                           "단어를 가리거나 문장을 바꿔 가며 모델이 무엇을 추측하는지 살펴보세요.",
    "lesson.fill.reads": "모델이 읽는 문장: `{text}`",
    "lesson.fill.spinner": "빈칸을 추측하는 중…",
    "lesson.label_mask": "빈칸 {number}: {word}",
    "lesson.label_piece": "빈칸 {number}: {word}, {n}조각 중 {k}번째 ({piece})",
    "lesson.label_typed": "빈칸 {number}: 직접 입력한 [MASK]",
    "lesson.fill.split": "토크나이저가 '{word}'를 {n}개의 조각으로 나눕니다. 조각마다 따로 빈칸이 되어 따로 추측되므로, "
                         "단어 전체를 보여 주는 그래프는 없습니다.",
    "lesson.fill.rank": "가려진 단어 '{word}'는 모델의 추측 가운데 {rank}순위입니다 ({p}).",
    "lesson.fill.not_in_top": "가려진 단어 '{word}'는 모델의 상위 {k}개 추측 안에 없습니다.",
    "lesson.fill.more": "빈칸 채우기 페이지에서 더 보기: 여러 빈칸, 수업 모드, 다른 모델",

    # 2. 15%와 80/10/10
    "lesson.masking.title": "토큰의 15%, 그리고 80/10/10",
    "lesson.masking.explain": "사전 학습에서 BERT는 토큰의 약 **15%를** 골라 모델이 예측하게 하고, 손실도 이 토큰들에서만 "
                              "계산합니다. 고른 토큰 가운데 **80%는** [MASK]로, **10%는** 무작위 토큰으로 바꾸고, "
                              "**10%는** 그대로 둡니다. 아래는 수업 문장에 BERT의 규칙을 적용한 결과입니다. 다시 뽑으면 "
                              "다른 선택을 볼 수 있습니다. 이어서, 이 앱에 함께 들어 있는 작은 실험들이 이 숫자들에 대해 "
                              "무엇을 측정했는지 봅니다.",
    "lesson.masking.sees": "모델이 보는 입력",
    "lesson.masking.predicts": "모델이 예측해야 하는 토큰 (· = 예측 없음, 손실 없음)",
    "lesson.masking.draw_again": "다시 뽑기",
    "lesson.masking.legend": "굵은 글씨와 점선 테두리: [MASK]로 바뀜 · 물결 밑줄: 무작위 토큰으로 바뀜 (괄호 안은 원래 "
                             "토큰) · 이중 밑줄: 선택되었지만 그대로 둠 · 표시 없음: 선택되지 않음.",
    "lesson.masking.counts": "이번 추첨: 토큰 {tokens}개 중 **{selected}개** 선택, [MASK]로 {masked}개, "
                             "무작위 토큰으로 {random}개, 그대로 {kept}개.",
    "lesson.masking.none_selected": "이번에는 아무 토큰도 선택되지 않았습니다 (짧은 문장은 토큰이 적습니다). 다시 뽑아 보세요.",
    "lesson.masking.many_title": "같은 규칙을 문장 {draws}개 사본에 적용한 결과",
    "lesson.masking.col_selected": "선택 비율",
    "lesson.masking.col_mask": "그중 → [MASK]",
    "lesson.masking.col_random": "→ 무작위 토큰",
    "lesson.masking.col_kept": "→ 그대로",
    "lesson.masking.many_caption": "짧은 문장 하나에서는 추첨할 때마다 개수가 크게 달라지지만, 여러 번 뽑으면 15%와 "
                                   "80/10/10에 가까워집니다.",
    "lesson.masking.more": "마스킹 전략 페이지에서 더 보기: 단어 단위·스팬 마스킹, 직접 학습하고 비교하기",

    # 2b. 함께 제공되는 실험
    "lesson.exp.title": "함께 제공되는 실험이 보여 주는 것",
    "lesson.exp.intro": "아주 작은 모델(2층, 학습 300스텝, 설정마다 시드 3개)을 같은 텍스트로, 설정만 바꾸어 학습하고 "
                        "같은 방식으로 평가했습니다. 차이는 시드 사이의 편차보다 클 때만 의미 있는 차이로 봅니다.",
    "lesson.exp.missing": "실험 결과 파일이 없습니다 (mlm_core/data/experiments/).",
    "lesson.exp.tab_ablation": "왜 80/10/10인가?",
    "lesson.exp.tab_rate": "왜 15%인가?",
    "lesson.exp.chart_title": "입력에 [MASK]가 없을 때의 top-1 정확도",
    "lesson.exp.axis_evaluation": "평가",
    "lesson.exp.axis_accuracy": "top-1 정확도",
    "lesson.exp.eval_kept": "토큰을 그대로 보여 줌",
    "lesson.exp.eval_random": "토큰을 무작위 토큰으로 바꿈",
    "lesson.exp.legend": "[MASK] / 무작위 / 그대로",
    "lesson.exp.points": "{value}퍼센트포인트",
    "lesson.exp.clear": "분명한 차이입니다 (시드 편차 {spread}보다 큼)",
    "lesson.exp.unclear": "시드 편차 {spread} 안이므로 분명한 차이는 아닙니다",
    "lesson.exp.kept": "**토큰을 그대로 보여 주면**, [MASK]만으로 학습한 모델(100/0/0)은 {mask_only}를 맞히고 80/10/10으로 "
                       "학습한 모델은 {bert}를 맞힙니다. {verdict}. 눈에 보이는 토큰을 예측해 본 적이 없는 [MASK] 전용 "
                       "모델은 보이는 토큰을 그대로 전달하는 법을 배우지 못했는데, 사전 학습이 끝난 뒤에는 모든 토큰이 "
                       "보입니다. 80/0/20은 {no_random}로 가장 높습니다.",
    "lesson.exp.random": "**원래 토큰 자리에 무작위 토큰을 넣으면**, 학습 중 틀린 토큰을 한 번도 보지 못한 80/0/20은 "
                         "{no_random}만 되살립니다. 보이는 것을 그대로 베끼기 때문입니다. 80/10/10은 {bert}를 되살립니다. "
                         "{verdict}. 이 정도 학습량에서는 80/10/10도 무작위 토큰을 거의 고치지 못합니다. 무작위 토큰 "
                         "비율은 모델이 보이는 토큰을 무조건 믿지 않도록 하기 위한 것입니다.",
    "lesson.exp.baseline": "이 작은 학습량에서는 아직 어떤 모델도 [MASK]를 맞히는 데 문맥을 쓰지 못합니다. 가장 좋은 "
                           "모델이 [MASK] 토큰의 {best}를 맞히는데, 늘 가장 흔한 토큰을 답해도 {unigram}입니다. 여기서 "
                           "설정이 바꾸는 것은 모델이 눈에 보이는 토큰을 다루는 방식입니다.",
    "lesson.exp.col_rate": "마스킹 비율",
    "lesson.exp.col_loss": "[MASK] 손실 (낮을수록 좋음)",
    "lesson.exp.col_accuracy": "[MASK] 정확도",
    "lesson.exp.col_kept": "보이는 토큰의 정확도",
    "lesson.exp.rate": "같은 15% [MASK] 시험에서 손실이 가장 낮은 것은 {best}입니다 ({best_loss}, 15%는 {loss_15}). "
                       "{verdict}.",
    "lesson.exp.rate_best_15": "같은 15% [MASK] 시험에서 15%의 손실이 가장 낮습니다.",
    "lesson.exp.rate_note": "15%는 법칙이 아니라 관례입니다. Wettig et al. (2023)은 더 큰 모델에서는 40%를 마스킹하는 "
                            "편이 15%보다 나을 수 있음을 보였습니다.",
    "lesson.exp.reading": "이 실험의 모든 수치 해설 (영어 원문)",

    # 3. 전체 어텐션과 인과 어텐션
    "lesson.attention.title": "전체 어텐션과 인과 어텐션",
    "lesson.attention.explain": "두 종류의 모델이 갈리는 지점이 바로 여기입니다. BERT 같은 **인코더 전용** 모델인 "
                                "MLM에서는 모든 토큰이 왼쪽과 오른쪽의 **모든** 토큰에 어텐션을 줍니다. 그래서 어텐션 "
                                "맵이 꽉 찬 정사각형입니다. GPT 같은 인과 언어 모델에서는 각 토큰이 자기 자신과 **앞쪽** "
                                "토큰만 볼 수 있어서, 맵이 삼각형이 되고 위쪽 절반은 비어 있습니다. 여기서 쓰는 인과 짝 "
                                "모델은 번들 MLM과 블록 구조, 토크나이저, 크기가 모두 같으므로, 다른 점은 어텐션의 방향"
                                "(그리고 학습 목표)뿐입니다.",
    "lesson.attention.more": "어텐션 페이지에서 더 보기: 모든 층과 헤드, 헤드 뷰, 롤아웃",

    # 4. 두 문장 속의 'bank'
    "lesson.bank.title": "두 문장 속의 'bank'",
    "lesson.bank.explain": "정적 단어 임베딩은 문장과 상관없이 *bank*에 벡터 하나를 줍니다. MLM은 양쪽 문맥으로부터 "
                           "문장마다 새로운 벡터를 만들기 때문에, 뜻이 둘인 단어(**다의어**)는 두 갈래의 벡터를 얻습니다. "
                           "아래 두 *bank*는 입력(0층)에서는 똑같은 벡터이지만, 모델의 의미 분리 층에서는 서로 멀어집니다. "
                           "투영 그림에는 두 가지 뜻의 문장을 더 넣어 *bank*를 함께 보여 줍니다.",
    "lesson.bank.sentence_a": "문장 A",
    "lesson.bank.sentence_b": "문장 B",
    "lesson.bank.spinner": "문장을 읽는 중…",
    "lesson.bank.missing": "'{word}'가 두 문장 모두에 들어 있어야 합니다 (빠진 문장: {which}).",
    "lesson.bank.cosine_static": "0층(정적 임베딩)에서 두 'bank'의 코사인 유사도",
    "lesson.bank.cosine_layer": "{layer}층(의미 분리 층)에서의 코사인 유사도",
    "lesson.bank.layer_stored": "{layer}층은 이 모델이 단어의 뜻을 가장 잘 구분하는 층입니다 (뜻이 표시된 문장으로 골라 "
                                "모델과 함께 저장됨).",
    "lesson.bank.layer_top": "이 모델에는 저장된 의미 분리 층이 없어 맨 위층({layer}층)을 씁니다.",
    "lesson.bank.by_layer": "층별 코사인 유사도: {values}.",
    "lesson.bank.point_a": "문장 A",
    "lesson.bank.point_b": "문장 B",
    "lesson.bank.sense": "뜻",
    "lesson.bank.projection_title": "{layer}층의 '{word}': 문장 {n}개의 PCA",
    "lesson.bank.projection_caption": "점 하나가 한 문장 속의 '{word}'입니다. 색과 모양은 뜻을 나타냅니다 (마우스를 "
                                      "올리면 문장이 보입니다). PCA는 벡터가 가장 크게 변하는 두 방향만 남기므로, "
                                      "그림 속 거리는 대략적인 것입니다.",
    "lesson.bank.more": "다의어 페이지에서 더 보기: 다른 단어, 모든 층, t-SNE와 UMAP",

    # 5. 같은 빈칸에서 MLM과 인과 언어 모델
    "lesson.predictions.title": "같은 빈칸에서 MLM과 인과 언어 모델",
    "lesson.predictions.explain": "같은 단어를 두 모델에게서 가려 봅니다. MLM은 빈칸의 **양쪽** 단어를 읽고, 인과 언어 "
                                  "모델은 빈칸 **왼쪽**의 단어만 읽습니다. 그래서 *I went to the ___*에서 인과 언어 "
                                  "모델은 *deposit money* 없이 추측해야 합니다. 두 모델의 추측과, 각 모델이 가려진 단어에 "
                                  "준 확률을 비교해 보세요. 주어진 텍스트를 이해하는 일에 MLM이 더 알맞은 이유가 "
                                  "여기에 있습니다.",

    # 6. 생성
    "lesson.generation.title": "텍스트 생성",
    "lesson.generation.explain": "인과 언어 모델은 글을 쓸 때 지금까지의 텍스트를 보고 토큰을 하나씩 덧붙입니다. 학습한 "
                                 "그대로입니다. MLM에는 그런 순서가 없습니다. [MASK]를 한 줄로 늘어놓고 하나씩 채워 "
                                 "나갈 수는 있지만(반복적 언마스킹), 길이를 미리 정해야 하고, 모델은 주변이 실제 텍스트일 "
                                 "때 빈칸을 맞히도록 학습되었기 때문에 결과가 같은 말을 되풀이하거나 앞뒤가 잘 맞지 "
                                 "않습니다. 아래에서는 두 모델이 같은 길이, 같은 토큰 선택 규칙으로 글을 생성합니다.",
    "lesson.generation.length": "길이 (토큰 수)",
    "lesson.generation.choice": "토큰 선택 방식",
    "lesson.generation.greedy": "탐욕적 선택 (가장 확률 높은 토큰)",
    "lesson.generation.sampled": "샘플링 (온도 0.8, top-k 40)",
    "lesson.generation.again": "다시 뽑기",
    "lesson.generation.spinner": "두 텍스트를 생성하는 중…",
    "lesson.generation.mlm": "MLM, 반복적 언마스킹",
    "lesson.generation.causal": "인과 언어 모델, 왼쪽에서 오른쪽으로",
    "lesson.generation.col_model": "모델",
    "lesson.generation.col_causal": "인과 퍼플렉서티",
    "lesson.generation.col_pseudo": "유사 퍼플렉서티",
    "lesson.generation.col_repetition": "반복된 단어 쌍",
    "lesson.generation.caption": "인과 퍼플렉서티는 인과 짝 모델이 보기에 텍스트가 얼마나 자연스러운지, 유사 "
                                 "퍼플렉서티는 MLM이 토큰을 하나씩 가려 가며 본 같은 값입니다 (둘 다 낮을수록 "
                                 "자연스러움). 모델마다 자기 방식으로 만든 텍스트를 더 좋게 보는 경향이 있으니 두 열을 "
                                 "함께 보세요. 반복된 단어 쌍은 앞에서 이미 나온 단어 쌍의 비율입니다.",
    "lesson.generation.more": "텍스트 생성 페이지: 두 생성기를 단계별로, 모든 설정과 함께",

    # 7. 세 가지 질문
    "lesson.questions.title": "세 가지 질문",
    "lesson.questions.explain": "먼저 각 질문에 자기 말로 답해 본 다음, 답을 펼쳐 보세요.",
    "lesson.questions.show": "답 보기",
    "lesson.questions.hide": "답 숨기기",
    "lesson.questions.show_all": "모든 답 보기",
    "lesson.questions.q1": "1. 마스크 언어 모델이 인과 언어 모델보다 잘하는 것은 무엇인가?",
    "lesson.questions.a1": "통째로 주어진 텍스트를 **이해하는** 일입니다. 각 토큰의 벡터가 **양방향 문맥**으로 만들어지므로 "
                           "MLM은 분류(감성, 주제, 함의), 정보 추출(개체명, 질의응답의 답 구간), 빈칸 채우기, 그리고 "
                           "문맥 임베딩(검색, 군집화, *bank*의 두 가지 뜻 구분)의 더 나은 바탕이 됩니다. 인과 언어 모델은 "
                           "각 토큰의 왼쪽 문맥만 봅니다. 대신 다음 토큰 예측이 곧 글을 쓰는 방식이므로 텍스트 "
                           "**생성**에 더 뛰어납니다.",
    "lesson.questions.q2": "2. 왜 늘 [MASK]로 바꾸지 않고 80/10/10으로 나누는가?",
    "lesson.questions.a2": "- **[MASK]는 사전 학습이 끝나면 나타나지 않습니다.** 미세 조정과 실제 사용에서 입력은 평범한 "
                           "텍스트입니다. [MASK] 자리에서만 예측해 본 모델은 눈에 보이는 토큰에 대해 아무것도 배우지 "
                           "못하므로, 사전 학습과 실제 사용이 어긋납니다.\n"
                           "- **10% 무작위 토큰**: 보이는 토큰도 틀렸을 수 있으므로, 모델은 [MASK]만이 아니라 모든 "
                           "토큰을 문맥에 비추어 확인해야 합니다.\n"
                           "- **10% 그대로 둔 토큰**: 모델이 눈에 보이는 단어도 예측하게 되어, 각 토큰의 표현이 실제로 "
                           "관찰된 단어 쪽으로 당겨집니다.\n\n"
                           "2단계의 실험이 첫 번째 이유를 보여 줍니다. [MASK]만으로 학습한 작은 모델은 80/10/10으로 "
                           "학습한 모델보다 보이는 토큰을 훨씬 적게 맞힙니다.",
    "lesson.questions.q3": "3. BERT는 왜 텍스트를 그냥 생성할 수 없는가?",
    "lesson.questions.a3": "- **왼쪽에서 오른쪽으로의 분해가 없습니다.** 인과 언어 모델은 p(텍스트) = p(w₁)·p(w₂ | w₁)·… "
                           "처럼 다음 토큰을 하나씩 써 나갑니다. BERT는 텍스트 전체의 확률을 주지 않고, 나머지가 주어졌을 "
                           "때 각 빈칸을 **서로 독립적으로** 예측합니다.\n"
                           "- **길이가 고정되고, 빈칸끼리 서로 의존합니다.** [MASK]의 개수를 미리 정해야 하고, 동시에 "
                           "추측한 빈칸들은 서로 맞아떨어진다는 보장이 없습니다.\n"
                           "- **텍스트를 이어 쓰도록 학습되지 않았습니다.** 실제 텍스트 속 약 15%의 빈칸을 채우는 법을 "
                           "배웠을 뿐, 거의 아무것도 없는 상태에서 글을 쓰는 법은 배우지 않았습니다. 주변이 대부분 "
                           "[MASK]이면 기댈 문맥이 거의 없습니다. 6단계에서 그 결과를 볼 수 있습니다.",
}
