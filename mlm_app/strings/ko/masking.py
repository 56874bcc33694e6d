"""마스킹 전략 페이지 (pages/masking.py, mlm_app.masking_view)."""
STRINGS = {
    # 페이지
    "masking.title": "마스킹 전략",
    "masking.intro": "사전 학습에서 마스크 언어 모델은 **선택된** 토큰에서만 배웁니다. 토큰을 *어떻게* 고르고 가리는지가 "
                     "마스킹 전략입니다. 아래에서는 먼저 같은 문장에 모든 전략을 적용해 보고, 이어서 말뭉치 표본으로 "
                     "각 전략을 측정한 다음, 그 전략들로 작은 모델을 학습해 서로 비교합니다.",
    "masking.one_sentence": "한 문장, 네 가지 전략",
    "masking.measured": "말뭉치 표본으로 측정하기",
    "masking.shipped": "앱에 포함된 실험 결과",
    "masking.train_compare": "학습하고 비교하기",
    "masking.compare_intro": "전략마다 작은 모델을 하나씩 **같은 말뭉치**와 **같은 예산**(tiny 크기, 같은 스텝 수, 배치, "
                             "시드, 검증 데이터)으로 학습한 뒤, 포함된 실험과 같은 방식으로 평가하고 시드에 따른 편차와 "
                             "견주어 비교합니다. 기본 조합인 bert와 mask-only는 기본 예산 안에서도 뚜렷하게 차이가 납니다. "
                             "모델이 가려지지 않은 채로 보는 토큰에서 그렇습니다.",
    # 전략
    "masking.strategy_bert": "토큰마다 따로 선택. 80%는 [MASK], 10%는 무작위 토큰, 10%는 그대로",
    "masking.strategy_mask_only": "토큰마다 따로 선택. 선택된 토큰은 모두 [MASK]",
    "masking.strategy_whole_word": "한 단어의 조각을 모두 함께 선택 (단어가 반만 가려지는 일이 없음)",
    "masking.strategy_span": "연속된 단어 묶음(SpanBERT), 길이는 기하분포에서 뽑음",
    # 설정
    "masking.rate": "선택 비율",
    "masking.rate_help": "모델이 예측해야 하는 (특수 토큰이 아닌) 토큰의 비율입니다.",
    "masking.mask_pct": "…그중 [MASK]로 (%)",
    "masking.random_pct": "…무작위 토큰으로 (%)",
    "masking.random_help": "나머지는 그대로 둡니다 (기본값은 BERT의 80-10-10). mask-only는 두 값을 모두 무시합니다.",
    "masking.shares_capped": "[MASK]와 무작위의 합이 {total}%입니다. 합이 100%가 되도록 무작위를 {random}%로 씁니다.",
    "masking.seed": "시드",
    "masking.seed_help": "같은 시드는 같은 마스킹을 만듭니다. 다시 뽑으면 다른 결과가 나옵니다.",
    "masking.reroll": "다시 뽑기",
    "masking.kept_note": "그대로 두는 토큰: 선택된 토큰의 {kept}%",
    # 한 문장, 모든 전략
    "masking.sees": "모델이 보는 입력",
    "masking.predicts": "모델이 예측해야 하는 것",
    "masking.predicted_count": "토큰 {tokens}개 중 {predicted}개 예측",
    "masking.span_lengths": " · 스팬 길이(단어): {lengths}",
    "masking.nothing_selected": " · 이번에는 아무것도 선택되지 않았습니다. 다시 뽑아 보세요",
    "masking.no_prediction": "“·”는 그 자리에서 예측하지 않는다는(손실도 없다는) 뜻입니다. 모든 전략은 그대로 두었거나 "
                             "무작위 토큰으로 바꾼 자리에서도 *원래* 토큰을 예측합니다.",
    # 측정 통계
    "masking.measuring": "표본 말뭉치로 전략들을 측정하는 중…",
    "masking.measured_caption": "내장 표본 말뭉치(저작권이 만료된 소설)에서 약 {tokens:,}개 토큰을 **{model}**의 "
                                "토크나이저로 나누어 128토큰 길이의 시퀀스로 만들었습니다. 시드는 위와 같습니다.",
    "masking.no_spans": "— (스팬 없음)",
    "masking.col_strategy": "전략",
    "masking.col_tokens": "토큰 수",
    "masking.col_selected": "선택 비율",
    "masking.col_masked": "[MASK]로 바꿈",
    "masking.col_random": "무작위로 바꿈",
    "masking.col_kept": "그대로 둠",
    "masking.col_split": "쪼개진 단어",
    "masking.col_span": "평균 스팬 길이(단어)",
    "masking.span_help": "배치된 스팬의 평균 길이(단어 수)입니다. 스팬을 배치하는 것은 span 전략뿐입니다.",
    "masking.configured": "설정: {rate:.0%} 선택. *[MASK]로 바꿈 / 무작위로 바꿈 / 그대로 둠*은 선택된 토큰에 대한 "
                          "비율입니다. *쪼개진 단어*: 조각 일부만 선택된 단어입니다. 토큰 단위 전략은 모델에게 단어의 "
                          "절반을 힌트로 주지만, whole-word와 span은 결코 그러지 않습니다.",
    "masking.statistics": "통계",
    "masking.share_title": "토큰에 일어나는 일",
    "masking.span_title": "span: 뽑은 스팬 길이, 배치된 스팬 길이와 목표 분포",
    "masking.span_caption": "스팬 길이는 SpanBERT의 분포, 즉 10단어에서 잘라 다시 정규화한 Geometric(0.2)(평균 3.8)에서 "
                            "뽑습니다. 15% 예산이나 시퀀스 끝을 넘어가는 스팬은 배치할 때 짧아지므로, 배치된 스팬은 "
                            "뽑은 스팬보다 조금 짧습니다.",
    # 포함된 실험
    "masking.no_shipped": "포함된 실험 결과를 찾지 못했습니다 (mlm_core/data/experiments/).",
    "masking.shipped_intro": "아주 작은 모델(2층 × 128, 어휘 2,000개, 표본 말뭉치로 16 × 64 토큰을 300스텝)을 **설정마다 "
                             "시드 3개**로 학습했고, 모든 실행을 같은 검증 텍스트에서 같은 방식으로 평가했습니다. 토큰의 "
                             "15%를 하나씩(*token*), 단어 단위로(*whole-word*), 또는 스팬 단위로(*span*) [MASK]로 바꾸어 "
                             "평가하고, [MASK]를 전혀 쓰지 않는 두 가지 점수도 냅니다. 토큰을 그대로 둔 경우(*kept*: "
                             "파인튜닝 때처럼 모델이 눈에 보이는 토큰을 어떻게 다루는지)와 무작위 토큰으로 바꾼 "
                             "경우(*random*)입니다. 띠와 오차 막대는 가장 낮은 시드부터 가장 높은 시드까지의 범위이며, "
                             "그 안에 드는 차이는 **뚜렷한 차이가 아닙니다**.",
    "masking.accuracy_title": "학습 후: 평가 방식별 top-1 정확도",
    "masking.losses_title": "학습 후: [MASK] 평가 방식별 손실 (낮을수록 좋음)",
    "masking.reading": "숫자가 말해 주는 것",
    "masking.reproduce": "다시 만들기 (실행 {runs}개, 학습 시간 합계 {duration}, CPU 코어 {cpus}개에서 {jobs}개씩 동시에 "
                         "실행, 만든 날짜 {created}):",
    "masking.final_metrics": "최종 지표 (설정별 평균과 편차)",
    "masking.metric": "{kind} (평가: {evaluation})",
    "masking.metric_loss": "손실",
    "masking.metric_accuracy": "top-1 정확도",
    "masking.eval_token": "토큰의 15%를 [MASK]로",
    "masking.eval_whole_word": "토큰의 15%를 단어 단위로 [MASK]로",
    "masking.eval_span": "토큰의 15%를 SpanBERT식 단어 스팬으로 [MASK]로",
    "masking.eval_kept": "예측할 토큰 15%를 그대로 둠 ([MASK] 없음)",
    "masking.eval_random": "토큰의 15%를 무작위 토큰으로 바꾸고 원래 토큰을 예측",
    # 학습하고 비교하기
    "masking.strategies": "전략 (2~4개)",
    "masking.steps": "모델당 스텝 수",
    "masking.steps_help": "한 스텝은 {seq}토큰 길이의 시퀀스 {batch}개입니다.",
    "masking.corpus": "말뭉치",
    "masking.budget": "예산: 모델마다 {steps}스텝 × {batch} × {seq}토큰 (토큰 {tokens:,}개), tiny 크기, 마스킹은 위 설정대로 "
                      "({rate:.0%} 선택, {mask}/{random}/{kept}). CPU 코어 2개에서 대략 {duration}. 이 서버에서는 한 번에 "
                      "하나의 학습만 돌아갑니다.",
    "masking.reference_applies": "이 설정에서는 포함된 실험(시드 3개)이 기준이 됩니다. 그 시드 간 편차로 차이가 뚜렷한지 "
                                 "판단합니다.",
    "masking.reference_not": "포함된 실험의 편차는 기본 설정(표본 말뭉치, {steps}스텝, 15% 선택, 80/10/10)에서만 기준이 "
                             "됩니다. 지금 설정에서는 판정 없이 순위만 보여 줍니다.",
    "masking.start": "학습하고 비교하기",
    "masking.busy_own_compare": "내 비교가 진행 중입니다 (진행 상황은 아래). 끝나면 새 비교를 시작할 수 있습니다.",
    "masking.busy_own_train": "내 학습이 진행 중입니다 (진행 상황은 학습 페이지). 끝나면 비교를 시작할 수 있습니다.",
    "masking.busy_other": "이 서버에서 다른 세션의 학습이 진행 중입니다. 끝나면 새 비교를 시작할 수 있습니다.",
    "masking.choose_two": "전략을 두 개 이상 고르세요.",
    # 진행 상황
    "masking.compare_title": "{names} 비교",
    "masking.status_running": "학습 중",
    "masking.status_stopping": "멈추는 중",
    "masking.status_finished": "완료",
    "masking.status_failed": "실패",
    "masking.status_interrupted": "취소됨",
    "masking.run_pending": "대기 중",
    "masking.run_running": "학습 중",
    "masking.run_finished": "완료",
    "masking.run_interrupted": "중단됨",
    "masking.run_failed": "실패",
    "masking.run_skipped": "건너뜀",
    "masking.run_step": " · {label}: 스텝 {step}/{total} · 손실 {loss:.2f} · 초당 토큰 {speed:,.0f}개 · 약 {left} 남음",
    "masking.run_preparing": " · {label}: 토크나이저와 데이터를 준비하는 중…",
    "masking.loss_all_title": "모든 실행의 학습 손실 (평활)",
    "masking.cancel": "취소",
    "masking.cancelling": "현재 스텝이 끝나면 멈춥니다…",
    # 결과
    "masking.cancelled": "비교가 취소되었습니다. 끝나지 않은 실행은 삭제했습니다.",
    "masking.clear": "결과 지우기",
    "masking.clear_help": "다음에 누가 학습하든 지울 때까지 결과가 여기에 남습니다. 모델은 사이드바에 남습니다.",
    "masking.results": "결과",
    "masking.col_model": "모델",
    "masking.col_steps": "스텝",
    "masking.col_val_accuracy": "검증 마스크 토큰 정확도",
    "masking.col_val_loss": "검증 손실",
    "masking.col_ppl": "유사 퍼플렉서티",
    "masking.col_train_loss": "학습 손실",
    "masking.col_time": "시간 (초)",
    "masking.col_eval": "{evaluation} 평가 {kind}",
    "masking.col_verdict": "판정 ({column})",
    "masking.kind_loss": "손실",
    "masking.kind_accuracy": "정확도",
    "masking.verdict_caption": "{metric}에 대한 **판정**: 같은 설정으로 포함된 실험의 시드 간 편차({spread:.1f}%p)보다 클 "
                               "때만 뚜렷한 차이로 봅니다. 그 안이면 잡음으로 순위를 매기는 대신 *뚜렷한 차이 없음*이라고 "
                               "씁니다. *kept 평가 정확도*: 파인튜닝 때처럼 토큰을 그대로 보면서 ([MASK]가 전혀 없이) "
                               "예측해야 하는 경우입니다. 이 예산에서는 아직 어떤 모델도 [MASK]에 문맥을 활용하는 법을 "
                               "배우지 못해 (대부분 자주 나오는 토큰을 찍습니다) [MASK] 손실은 대개 편차 안에서 끝납니다.",
    "masking.validation_caption": "검증과 *token / whole-word / span 평가* 열: 검증 토큰의 15%를 (모든 모델에서 같은 "
                                  "위치) 하나씩, 단어 단위로, 또는 스팬 단위로 [MASK]로 바꿉니다. 정확도는 높을수록, "
                                  "손실은 낮을수록 좋습니다. 유사 퍼플렉서티(낮을수록 좋음)는 다음 문장들의 토큰을 "
                                  "하나씩 차례로 가려서 계산합니다: {sentences}",
    "masking.results_label": "결과",
    "masking.val_over_shipped": "검증 손실: 지금 실행(×)과 포함된 실험의 시드 범위",
    "masking.metric_now": "{metric}: 지금 실행(×)과 포함된 실험",
    "masking.val_title": "검증 손실 (15% mask-only)",
    "masking.val_axis": "검증 손실",
    "masking.guesses": "같은 마스킹 문장에 대한 각 모델의 예측",
    "masking.probe": "[MASK]가 하나 있는 문장",
    "masking.write_mask": "모델들의 예측을 보려면 문장에 [MASK]를 쓰세요.",
    "masking.top5": "첫 번째 [MASK]의 top-5 예측",
    "masking.kept_models": "비교에 쓴 모델은 학습한 모델로 남아 있어 사이드바에서 고를 수 있습니다: {names}.",
}

# The core's messages met on this page (mlm_core.masking.strategies, masker) and the verdict cells of the comparison
# table (mlm_core.training.experiments.verdicts), one sentence each.
ERRORS = [
    (r"A masking rate of (?P<rate>\S+) cannot train: at 0 nothing is selected to predict, at 1 nothing is left to "
     r"predict it from\. Choose a rate between 0 and 1 \(BERT uses 0\.15\)\.",
     "마스킹 비율 {rate}(으)로는 학습할 수 없습니다. 0이면 예측할 토큰이 선택되지 않고, 1이면 예측의 단서로 쓸 토큰이 "
     "남지 않습니다. 0과 1 사이의 비율을 고르세요 (BERT는 0.15를 씁니다)."),
    (r"The \[MASK\] and random shares \((?P<mask>[^ ]+) and (?P<random>[^)]+)\) must be non-negative and add up to at "
     r"most 100%; the kept share is the rest\.",
     "[MASK]와 무작위 비율({mask}, {random})은 음수가 아니어야 하고 합이 100%를 넘으면 안 됩니다. 나머지가 그대로 두는 "
     "비율입니다."),
    (r"The shares of the selected tokens must each be between 0% and 100% and add up to 100%: (?P<parts>.+?) = "
     r"(?P<total>\S+)\.(?=\s|$)",
     "선택된 토큰의 비율은 각각 0%에서 100% 사이여야 하고 합이 100%여야 합니다: {parts} = {total}."),
    (r"Unknown masking strategy '(?P<name>[^']*)'\. Choose one of: (?P<choices>[^.]+)\.",
     "'{name}'은(는) 알 수 없는 마스킹 전략입니다. 다음 중에서 고르세요: {choices}."),
    (r"span_p must be in \(0, 1\) and max_span at least 1\.",
     "span_p는 0과 1 사이여야 하고 max_span은 1 이상이어야 합니다."),
    (r"This tokenizer has no mask token\.", "이 토크나이저에는 마스크 토큰이 없습니다."),
    (r"Choose between 1 and 4 strategies to compare\.", "비교할 전략을 1~4개 고르세요."),
    (r"Choose each strategy only once\.", "각 전략은 한 번씩만 고르세요."),
    # the verdict cells (whole cells only)
    (r"^not measured$", "측정 안 됨"),
    (r"^best$", "가장 좋음"),
    (r"^best, but no clear difference \(all within the spread (?P<spread>[\d.]+) points\)$",
     "가장 좋지만 뚜렷한 차이는 없음 (모두 편차 {spread}%p 이내)"),
    (r"^worse than (?P<best>.+) by (?P<gap>[\d.]+) points \(more than the spread (?P<spread>[\d.]+) points\)$",
     "{best}보다 {gap}%p 낮음 (편차 {spread}%p보다 큼)"),
    (r"^no clear difference from (?P<best>.+) \(within the spread (?P<spread>[\d.]+) points\)$",
     "{best}와(과) 뚜렷한 차이 없음 (편차 {spread}%p 이내)"),
]
