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
    # 그림의 낱말 (mlm_core.viz.masking.TEXTS; {x} / {y}는 마우스를 올린 값)
    "masking.fig_no_spans": "스팬 없음",
    "masking.fig_no_strategies": "전략 없음",
    "masking.fig_no_runs": "실행 없음",
    "masking.fig_span_length": "스팬 길이(단어)",
    "masking.fig_count": "개수",
    "masking.fig_share_of_spans": "스팬 비율",
    "masking.fig_share_of_tokens": "토큰 비율",
    "masking.fig_hover_count": "길이 {x}: {y}개",
    "masking.fig_drawn": "뽑힌 길이 (평균 {mean})",
    "masking.fig_placed": "배치된 길이 (평균 {mean})",
    "masking.fig_target": "목표 분포: {max}에서 자른 Geometric({p}) (평균 {mean})",
    "masking.fig_hover_drawn": "길이 {x}: 뽑힌 스팬의 {y}",
    "masking.fig_hover_placed": "길이 {x}: 배치된 스팬의 {y}",
    "masking.fig_hover_target": "길이 {x}: 기댓값 {y}",
    "masking.fig_step": "스텝",
    "masking.fig_evaluation": "평가",
    "masking.fig_axis": "{kind}, {evaluation} 평가",
    "masking.fig_kind_accuracy": "top-1 정확도",
    "masking.fig_kind_loss": "손실",
    "masking.fig_seed_range": "{name} 시드 범위",
    "masking.fig_shipped": "{name} (제공된 실험, 시드 {n}개)",
    "masking.fig_hover_mean": "{name} 스텝 {x}: 평균 {y} (시드별 {low}–{high})",
    "masking.fig_now": "{name} (지금)",
    "masking.fig_hover_now": "{name} 지금, 스텝 {x}: {y}",
    "masking.fig_hover_final": "{name}, {x} 평가: 평균 {y}",
    "masking.fig_action_masked": "마스킹",
    "masking.fig_action_random": "무작위",
    "masking.fig_action_kept": "유지",
    "masking.fig_action_untouched": "선택 안 됨",
    "masking.fig_action_selected": "선택됨",
    "masking.fig_desc_masked": "마스크 토큰으로 바뀜",
    "masking.fig_desc_random": "무작위 토큰으로 바뀜",
    "masking.fig_desc_kept": "선택됐지만 그대로 둠",
    "masking.fig_desc_untouched": "선택되지 않음 (손실 없음)",
    "masking.fig_cue_masked": "굵은 글씨, 점선 테두리",
    "masking.fig_cue_random": "물결 밑줄",
    "masking.fig_cue_kept": "이중 밑줄",
    "masking.fig_cue_untouched": "표시 없음",
    "masking.fig_piece": "조각",
    # 앱과 함께 제공되는 실험 (mlm_core.training.experiments.EXPERIMENTS), 이름별
    "masking.exp_title_strategies": "15%에서 비교한 네 가지 마스킹 전략",
    "masking.exp_question_strategies": "15%를 어떻게 고르는지가 중요할까요? 토큰 하나씩(bert, mask-only), 단어 "
                                       "단위(whole-word), 아니면 여러 단어에 걸친 스팬(span)으로?",
    "masking.exp_title_mask_rate": "마스킹 비율: 15%에서 80%까지",
    "masking.exp_question_mask_rate": "꼭 15%를 마스킹해야 할까요? (Wettig et al. 2023) 학습 스텝 예산은 같게 두고, "
                                      "예측할 토큰의 수만 늘리거나 줄입니다.",
    "masking.exp_title_ablation": "왜 80/10/10일까? 무작위 비율과 유지 비율의 역할",
    "masking.exp_question_ablation": "BERT는 선택된 토큰의 80%만 [MASK]로 바꾸고, 10%는 무작위 토큰으로 바꾸며 10%는 "
                                     "그대로 둡니다. 무작위 비율과 유지 비율은 무엇을 얻게 해 줄까요? [MASK]가 전혀 "
                                     "보이지 않는 조건에서 측정합니다: 토큰을 그대로 둔 경우(kept)와 무작위 토큰으로 "
                                     "바꾼 경우(random).",
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

# The reading of a shipped experiment (mlm_core.training.experiments.reading), one line at a time: one pattern per
# sentence template there. The metric names inside (the ranking lines' "Loss (15% of the tokens → [MASK])") are
# put in Korean by masking_view.reading_lines.
READINGS = [
    (r"^(?P<n>\d+) conditions × (?P<seeds>\d+) seeds?, (?P<steps>\d+) steps of (?P<batch>\d+) × (?P<seq>\d+) tokens "
     r"each \((?P<preset>\S+) model, (?P<vocab>[\d,]+)-token vocabulary\)\. A difference counts as clear only when it "
     r"is larger than the spread between seeds \(the largest range over the seeds of any condition\)\.",
     "조건 {n}개 × 시드 {seeds}개, 한 스텝에 {batch} × {seq} 토큰씩 {steps} 스텝을 학습했습니다 ({preset} 모델, "
     "어휘 {vocab}개). 차이는 시드 간 편차(어느 조건에서든 시드들 사이에 나온 가장 큰 범위)보다 클 때만 뚜렷하다고 "
     "봅니다."),
    (r" With one seed there is no spread, so no difference is called clear\.$",
     " 시드가 하나뿐이면 편차가 없으므로 어떤 차이도 뚜렷하다고 하지 않습니다."),
    (r"^Accuracy on tokens seen unmasked \(each rate keeps 10% of its selected tokens\): (?P<parts>.+)\.$",
     "마스킹되지 않은 채 보이는 토큰의 정확도 (어느 비율이든 선택한 토큰의 10%는 그대로 둡니다): {parts}."),
    (r"^Accuracy on tokens it sees unmasked \(no \[MASK\] in the input\): (?P<parts>.+) \(spread (?P<spread>[\d.]+|nan) "
     r"points\)\.$",
     "마스킹되지 않은 채 보이는 토큰의 정확도 (입력에 [MASK] 없음): {parts} (편차 {spread}%p)."),
    (r"^Accuracy on tokens replaced by a random one: (?P<parts>.+) \(spread (?P<spread>[\d.]+|nan) points\)\.$",
     "무작위 토큰으로 바뀐 토큰의 정확도: {parts} (편차 {spread}%p)."),
    (r"^(?P<label>[^:]+): (?P<ranking>.+?) \(spread (?P<spread>[\d.]+) points\)\. ",
     "{label}: {ranking} (편차 {spread}%p). "),
    (r"^(?P<label>[^:]+): (?P<ranking>.+?) \(spread (?P<spread>[\d.]+)\)\. ", "{label}: {ranking} (편차 {spread}). "),
    (r"^(?P<label>[^:]+): (?P<ranking>.+?) \(spread not measured\)\. ", "{label}: {ranking} (편차 측정 안 됨). "),
    (r"No clear difference between any of them\.$", "어느 조건 사이에도 뚜렷한 차이가 없습니다."),
    (r"(?P<best>\S+) is best, with no clear difference from (?P<tied>.+?); clearly behind: (?P<worse>.+)\.$",
     "가장 좋은 조건은 {best}이지만 {tied} 조건과는 뚜렷한 차이가 없습니다. 뚜렷하게 뒤처지는 조건: {worse}."),
    (r"(?P<best>\S+) is best; clearly behind: (?P<worse>.+)\.$",
     "가장 좋은 조건은 {best}입니다. 뚜렷하게 뒤처지는 조건: {worse}."),
    (r"^Guessing the most frequent token scores (?P<base>[\d.]+%) at the \[MASK\] positions \(unigram loss "
     r"(?P<loss>[\d.]+)\); the best model scores (?P<best>[\d.]+%) \(loss (?P<best_loss>[\d.]+)\)\. ",
     "가장 자주 나오는 토큰만 찍어도 [MASK] 위치에서 {base}를 맞힙니다 (유니그램 손실 {loss}). 가장 좋은 모델의 "
     "정확도는 {best}입니다 (손실 {best_loss}). "),
    (r"At this budget the models have not yet learned to use the context for \[MASK\]: they mostly guess frequent "
     r"tokens, so \[MASK\] scores say little about the strategies\.$",
     "이 학습 예산으로는 모델이 아직 [MASK]를 맞히는 데 문맥을 활용하지 못합니다. 대부분 자주 나오는 토큰을 찍으므로 "
     "[MASK] 점수로는 전략의 차이를 거의 알 수 없습니다."),
    (r"The models have begun to use the context\.$", "모델이 문맥을 활용하기 시작했습니다."),
    (r"^Where the input shows the token itself, bert \(which keeps 10% of its selected tokens\) gets (?P<a>[\d.]+%) "
     r"right and mask-only (?P<b>[\d.]+%): a clear difference, larger than the seed-to-seed spread "
     r"\((?P<spread>[\d.]+) points\)\. mask-only never had to predict a token it could see\.$",
     "입력에 토큰 자체가 보이는 자리에서 bert(선택한 토큰의 10%를 그대로 둡니다)는 {a}, mask-only는 {b}를 "
     "맞힙니다. 시드 간 편차({spread}%p)보다 큰 뚜렷한 차이입니다. mask-only는 눈에 보이는 토큰을 예측해 본 적이 "
     "한 번도 없습니다."),
    (r"^Where the input shows the token itself, bert gets (?P<a>[\d.]+%) and mask-only (?P<b>[\d.]+%): within the "
     r"spread, no clear difference\.$",
     "입력에 토큰 자체가 보이는 자리에서 bert는 {a}, mask-only는 {b}를 맞힙니다. 편차 이내라서 뚜렷한 차이는 "
     "없습니다."),
    (r"^Under the (?P<ev>\S+) evaluation (?P<best>\S+) is clearly better than (?P<worst>\S+) \(loss (?P<a>[\d.]+) "
     r"against (?P<b>[\d.]+)\)\.$",
     "{ev} 평가에서는 {best} 전략이 {worst} 전략보다 뚜렷하게 좋습니다 (손실 {a} 대 {b})."),
    (r"^Under the (?P<ev>\S+) evaluation all four strategies end within the seed-to-seed spread \((?P<a>[\d.]+) to "
     r"(?P<b>[\d.]+)\): no clear difference\.$",
     "{ev} 평가에서는 네 전략 모두 시드 간 편차 안에서 학습을 마칩니다 ({a}~{b}). 뚜렷한 차이가 없습니다."),
    (r"^With this budget 15% masking has the lowest loss on the 15% evaluation\.$",
     "이 학습 예산에서는 15% 마스킹이 15% 평가에서 손실이 가장 낮습니다."),
    (r"^With this budget (?P<best>\S+) masking clearly beats 15% on the 15% evaluation itself \(loss (?P<a>[\d.]+) "
     r"against (?P<b>[\d.]+)\)\.$",
     "이 학습 예산에서는 15% 평가에서조차 {best} 마스킹이 15% 마스킹을 뚜렷하게 앞섭니다 (손실 {a} 대 {b})."),
    (r"^With this budget (?P<best>\S+) masking has a lower loss than 15%, but within the spread \(no clear "
     r"difference\), on the 15% evaluation itself \(loss (?P<a>[\d.]+) against (?P<b>[\d.]+)\)\.$",
     "이 학습 예산에서는 15% 평가에서조차 {best} 마스킹의 손실이 15% 마스킹보다 낮지만, 편차 이내라서 뚜렷한 차이는 "
     "아닙니다 (손실 {a} 대 {b})."),
    (r"^(?P<worst>\S+) is clearly the worst \(loss (?P<loss>[\d.]+)\)\.$",
     "{worst} 마스킹이 뚜렷하게 가장 나쁩니다 (손실 {loss})."),
    (r"^Trained with \[MASK\] only \(100/0/0\), the model was never asked to predict a token it can see, and on "
     r"unmasked tokens it gets (?P<a>[\d.]+%) right, clearly less than (?P<best>\S+) \((?P<b>[\d.]+%)\), which keeps "
     r"some selected tokens: the pre-training/fine-tuning mismatch, since fine-tuning shows no \[MASK\]\. The kept "
     r"share is what teaches a model to pass on the tokens it sees\.$",
     "[MASK]로만 학습한 모델(100/0/0)은 눈에 보이는 토큰을 예측해 본 적이 없어서, 마스킹되지 않은 토큰을 {a}만 "
     "맞힙니다. 선택한 토큰의 일부를 그대로 두는 {best}({b})보다 뚜렷하게 낮습니다. 미세 조정에서는 [MASK]가 나오지 "
     "않으니, 이것이 사전 학습과 미세 조정의 불일치입니다. 모델이 보이는 토큰을 그대로 전달하도록 가르치는 것이 바로 "
     "유지 비율입니다."),
    (r"^On unmasked tokens 100/0/0 and the conditions that keep some selected tokens end within the spread: no clear "
     r"difference\.$",
     "마스킹되지 않은 토큰에서는 100/0/0과 선택한 토큰의 일부를 그대로 두는 조건들이 편차 안에서 끝납니다. 뚜렷한 "
     "차이가 없습니다."),
    (r"^Random replacements teach the model not to trust every input token: (?P<best>\S+) restores (?P<a>[\d.]+%) of "
     r"randomly replaced tokens, against at most (?P<b>[\d.]+%) without random replacements\.$",
     "무작위 치환은 모델이 입력 토큰을 무조건 믿지 않도록 가르칩니다. {best} 조건은 무작위로 바뀐 토큰의 {a}를 "
     "원래대로 되돌리지만, 무작위 치환 없이 학습한 조건은 많아야 {b}입니다."),
    (r"^On randomly replaced tokens the conditions with random replacements \((?P<best>\S+): (?P<a>[\d.]+%)\) and "
     r"without \((?P<top>\S+): (?P<b>[\d.]+%)\) are not clearly apart at this budget\.$",
     "무작위로 바뀐 토큰에서는 무작위 치환이 있는 조건({best}: {a})과 없는 조건({top}: {b})이 이 학습 예산에서 "
     "뚜렷하게 갈리지 않습니다."),
    (r"^(?P<label>\S+) \(kept tokens, no random ones\) restores only (?P<a>[\d.]+%) of randomly replaced tokens, "
     r"clearly the fewest, while it passes on (?P<b>[\d.]+%) of unchanged ones: it has only ever seen the right token "
     r"or \[MASK\] where it had to predict, so it trusts a visible token\. The random share is what keeps it from "
     r"trusting every token it sees\.$",
     "{label} 조건(유지는 있고 무작위 치환은 없음)은 무작위로 바뀐 토큰을 {a}만 되돌려 뚜렷하게 가장 적지만, 바뀌지 "
     "않은 토큰은 {b}를 그대로 전달합니다. 예측해야 하는 자리에서 늘 올바른 토큰이나 [MASK]만 보았기 때문에 눈에 보이는 "
     "토큰을 믿는 것입니다. 보이는 토큰을 모두 믿지 않게 막아 주는 것이 바로 무작위 비율입니다."),
]
ERRORS += READINGS
