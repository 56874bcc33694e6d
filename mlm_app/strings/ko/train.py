"""학습 페이지 (pages/train.py, mlm_app.train_view)와 마스킹 페이지가 함께 쓰는 것: 말뭉치 선택, 진행 상황 패널,
그림과 데이터 내려받기 버튼."""
STRINGS = {
    # 페이지
    "train.title": "나만의 MLM 학습하기",
    "train.intro": "**내 텍스트**(또는 내장 표본 말뭉치)로 작은 마스크 언어 모델을 처음부터 학습합니다. 먼저 텍스트에서 "
                   "WordPiece 어휘를 배우고, 그다음 모델이 마스킹된 토큰을 채우는 법을 배웁니다. 학습이 끝난 모델은 "
                   "사이드바의 모델 선택 목록에 나타나므로 모든 페이지에서 쓸 수 있습니다. 이 서버에서는 한 번에 하나의 "
                   "학습만 돌아가고, 다른 학습은 끝날 때까지 기다립니다. 학습을 멈추거나 이어서 하거나 지울 수 있는 것은 "
                   "그 학습을 시작한 세션뿐입니다 (페이지를 새로 고쳐도 내 학습으로 남습니다).",
    # 설정
    "train.corpus": "학습할 텍스트",
    "train.name": "모델 이름",
    "train.name_help": "영문자, 숫자, -, _를 쓸 수 있습니다. 이미 있는 이름이면 시각이 덧붙습니다.",
    "train.size": "크기",
    "train.preset": "{name} ({layers}개 층, 은닉 크기 {hidden})",
    "train.strategy": "마스킹 전략",
    "train.steps": "스텝 수",
    "train.batch": "배치 크기",
    "train.seq": "시퀀스 길이 (토큰)",
    "train.describe": "{name}: {rate:.0%} 선택, [MASK] {mask:.0%} / 무작위 {random:.0%} / 그대로 {kept:.0%}",
    "train.describe_span": ", 스팬 길이 ~ {longest}단어에서 자른 Geometric({p})",
    "train.budget": "{strategy}. {steps:,}스텝 × {batch} × {seq} = 토큰 {tokens:,}개. 속도는 CPU에 따라 다릅니다. 우리가 "
                    "측정한 컴퓨터의 코어 2개에서 small 크기는 초당 4,000~12,000토큰을 학습했고, tiny는 그보다 몇 배 "
                    "빨랐습니다. 학습이 시작되면 아래 패널에 실제 속도와 남은 시간이 나옵니다.",
    "train.saved_as": "모델은 **{name}** 이름으로 저장됩니다.",
    "train.busy_own_compare": "내 전략 비교가 진행 중입니다 (진행 상황은 마스킹 전략 페이지). 끝난 뒤에 학습을 시작하세요.",
    "train.busy_other": "이 서버에서 다른 세션의 학습이 진행 중입니다. 다른 페이지는 계속 쓸 수 있고, 그 학습이 끝나면 "
                        "내 학습을 시작할 수 있습니다.",
    "train.start": "학습 시작",
    # 진행 상황
    "train.status_running": "학습 중",
    "train.status_stopping": "멈추는 중 (체크포인트 저장 중)…",
    "train.status_finished": "완료",
    "train.status_failed": "실패",
    "train.status_interrupted": "멈춤",
    "train.others": "다른 세션의 학습: {done:.0%} 진행",
    "train.others_left": ", 약 {left} 남음",
    "train.resume": "이어서 학습",
    "train.resume_this": "이 실행 이어서 학습",
    "train.loss_smoothed": "손실 (평활)",
    "train.speed": "초당 토큰",
    "train.elapsed": "경과 시간",
    "train.eta": "남은 시간",
    "train.val_accuracy": "검증 정확도",
    "train.val_help": "검증 토큰의 15%를 마스킹. 검증 손실 {loss:.3f}",
    "train.run_line": "**{status}** · {strategy} 마스킹 · {steps:,}스텝",
    "train.preparing": "준비 중: 어휘를 배우고 텍스트를 토큰으로 나누는 중…",
    "train.step": "스텝 {step:,} / {total:,}",
    "train.curve_train": "학습 손실 (평활)",
    "train.curve_val": "검증 손실",
    "train.loss_title": "손실",
    "train.loss_axis": "손실",
    "train.failed": "학습에 실패했습니다: {error}",
    "train.stop": "멈추기",
    "train.stopping": "현재 스텝이 끝나면 멈춥니다. 체크포인트는 남겨 둡니다.",
    "train.stop_help": "현재 스텝이 끝나면 멈추고 체크포인트를 남겨 둡니다.",
    "train.stopped": "{total:,}스텝 중 {done:,}스텝에서 멈췄습니다. 체크포인트가 남아 있으니 이어서 학습할 수 있습니다.",
    "train.ready": "**{name}** 준비 완료: 사이드바의 모델 선택에서 “{label}”을(를) 고르세요.",
    "train.clear": "지우기",
    "train.clear_help": "이 실행의 진행 상황을 여기서 숨깁니다. 모델(또는 체크포인트)은 남습니다.",
    "train.stopped_runs": "이어서 학습할 수 있는 내 멈춘 실행 ({n}개)",
    "train.run": "실행",
    "train.duration_h": "{h}시간 {m:02d}분",
    "train.duration_m": "{m}분 {s:02d}초",
    "train.duration_s": "{s}초",
    # 내려받기
    "train.download": "학습한 모델 내려받기",
    "train.trained_model": "학습한 모델",
    "train.download_help": "config.json, model.safetensors와 토크나이저 파일 (save_pretrained 디렉터리이므로 "
                           "AutoModelForMaskedLM.from_pretrained로 불러올 수 있습니다). 체크포인트와 토큰화한 데이터는 "
                           "빠지며, 학습 요약에는 앱 데이터 폴더를 기준으로 한 파일 경로가 적혀 있습니다.",
    # 말뭉치 선택 (mlm_app.corpus_picker)
    "train.sample": "내장 표본 말뭉치",
    "train.upload": "텍스트 파일 올리기",
    "train.sample_caption": "저작권이 만료된 소설 약 570 KB: *Three Men in a Boat* (Jerome K. Jerome)와 "
                            "*The Wonderful Wizard of Oz* (L. Frank Baum).",
    "train.upload_label": "UTF-8 일반 텍스트 (.txt), 최대 {mb} MB",
    "train.upload_first": "먼저 텍스트 파일을 올리세요 (또는 내장 표본 말뭉치를 쓰세요).",
    "train.upload_info": "{name}: {chars:,}자, 빈 줄이 아닌 줄 {lines:,}개.",
    # 그림과 데이터 내려받기 (mlm_app.downloads, 모든 페이지)
    "train.download_figure": "그림 내려받기",
    "train.html": "인터랙티브 HTML",
    "train.html_help": "독립 실행되는 웹 페이지로 저장한 인터랙티브 그림",
    "train.render_png": "PNG 만들기",
    "train.rendering": "만드는 중…",
    "train.no_png": "여기서는 PNG로 내보낼 수 없습니다. 대신 그림의 카메라 아이콘을 쓰세요.",
    "train.save_png": "PNG 저장",
    "train.data": "데이터",
    "train.csv": "{label} CSV 내려받기",
    "train.json": "{label} JSON 내려받기",
    # loss-curve words (mlm_core.viz.training.TEXTS)
    "train.fig_no_runs": "아직 실행 없음",
    "train.fig_step": "스텝",
}

# The messages of training and uploads (mlm_core.training.*, mlm_app.training_jobs), one sentence each.
ERRORS = [
    # the corpus
    (r"The corpus is too small for these settings: it gives only (?P<n>\d+) training sequences of (?P<seq>\d+) tokens, "
     r"fewer than one batch of (?P<batch>\d+)\. Give more text, or lower the batch size or the sequence length\.",
     "이 설정에는 말뭉치가 너무 작습니다. {seq}토큰 길이의 학습 시퀀스가 {n}개뿐이라 배치 하나({batch}개)도 채우지 "
     "못합니다. 텍스트를 늘리거나 배치 크기나 시퀀스 길이를 줄이세요."),
    (r"The corpus is too small for these settings: one batch of (?P<batch>\d+) sequences of (?P<seq>\d+) tokens needs "
     r"(?P<need>[\d,]+) tokens of text, and its (?P<lines>[\d,]+) lines \((?P<bytes>[\d,]+) bytes\) cannot give that "
     r"many\. Give more text, or lower the batch size or the sequence length\.",
     "이 설정에는 말뭉치가 너무 작습니다. {seq}토큰 길이의 시퀀스 {batch}개로 된 배치 하나에 토큰 {need}개가 필요한데, "
     "이 텍스트의 {lines}줄({bytes}바이트)로는 그만큼 만들 수 없습니다. 텍스트를 늘리거나 배치 크기나 시퀀스 길이를 "
     "줄이세요."),
    (r"The corpus is too small for these settings: it leaves (?P<n>\d+) held-out windows, fewer than (?P<need>\d+)\. "
     r"Give more text\.",
     "이 설정에는 말뭉치가 너무 작습니다. 검증용 구간이 {n}개만 남아 필요한 {need}개보다 적습니다. 텍스트를 늘리세요."),
    # uploads
    (r"'(?P<name>[^']*)' is (?P<size>[\d.]+) MB; the limit for uploads is (?P<limit>\d+) MB\. Upload a shorter text\.",
     "'{name}'의 크기는 {size} MB인데, 올릴 수 있는 한도는 {limit} MB입니다. 더 짧은 텍스트를 올리세요."),
    (r"'(?P<name>[^']*)' has fewer than 5 non-blank lines: give at least a few paragraphs of text\.",
     "'{name}'에는 빈 줄이 아닌 줄이 5개보다 적습니다. 적어도 몇 문단은 되는 텍스트를 주세요."),
    (r"'(?P<name>[^']*)' is empty: give a text file with at least a few sentences\.",
     "'{name}'이(가) 비어 있습니다. 문장이 몇 개라도 들어 있는 텍스트 파일을 주세요."),
    (r"'(?P<name>[^']*)' is UTF-16 text; re-save it as UTF-8\.",
     "'{name}'은(는) UTF-16 텍스트입니다. UTF-8로 다시 저장하세요."),
    (r"'(?P<name>[^']*)' looks binary \(it contains NUL bytes\); give a plain UTF-8 text file\.",
     "'{name}'은(는) 바이너리 파일로 보입니다 (NUL 바이트가 있습니다). UTF-8 일반 텍스트 파일을 주세요."),
    (r"'(?P<name>[^']*)' is not UTF-8 text \(bad byte at position (?P<at>\d+)\); re-save it as UTF-8\.",
     "'{name}'은(는) UTF-8 텍스트가 아닙니다 ({at}번째 바이트가 잘못됨). UTF-8로 다시 저장하세요."),
    (r"The server's disk is full: could not save the upload \((?P<reason>[^)]*)\)\.",
     "서버 디스크가 가득 차서 올린 파일을 저장하지 못했습니다 ({reason})."),
    (r"Use the bundled sample corpus, or try again when space has been freed\.",
     "내장 표본 말뭉치를 쓰거나, 공간이 확보된 뒤에 다시 시도하세요."),
    (r"The server could not save the upload \((?P<reason>[^)]*)\)\.",
     "서버가 올린 파일을 저장하지 못했습니다 ({reason})."),
    # one training at a time, owners (mlm_app.training_jobs, mlm_core.training.jobs)
    (r"Another training is running on this server; wait for it to finish\.",
     "이 서버에서 다른 학습이 진행 중입니다. 끝날 때까지 기다려 주세요."),
    (r"Only the session that started a training can stop, resume or clear it\.",
     "학습을 멈추거나 이어서 하거나 지울 수 있는 것은 그 학습을 시작한 세션뿐입니다."),
    (r"A training needs an owner \(the session that starts it\)\.",
     "학습에는 소유자(학습을 시작하는 세션)가 있어야 합니다."),
    (r"The training thread ended unexpectedly\.", "학습 스레드가 예기치 않게 끝났습니다."),
    (r"Cannot resume '(?P<name>[^']*)': only the session that started it can resume it\.",
     "'{name}'을(를) 이어서 학습할 수 없습니다. 그 학습을 시작한 세션만 이어서 할 수 있습니다."),
    (r"Started: Train (?P<name>\S+)\.(?=\s|$)", "학습을 시작했습니다: {name}"),
    (r"Started: Resume (?P<name>\S+)\.(?=\s|$)", "이어서 학습을 시작했습니다: {name}"),
    (r"Started: Compare (?P<names>.+?)\.(?=\s|$)", "비교 학습을 시작했습니다: {names}"),
    # the run itself
    (r"Training diverged at step (?P<step>\d+) \(loss is (?P<loss>[^)]*)\); lower the learning rate\.",
     "{step}스텝에서 학습이 발산했습니다 (손실 {loss}). 학습률을 낮추세요."),
    (r"The checkpoint is already at step (?P<step>\d+); ask for more than (?P=step) steps to continue\.",
     "체크포인트가 이미 {step}스텝에 있습니다. 이어서 학습하려면 {step}보다 많은 스텝을 지정하세요."),
    (r"Tokenizer training produced a vocabulary of (?P<n>\d+) tokens \(expected (?P<expected>\d+)\); the corpus may be "
     r"too small\.",
     "토크나이저 학습으로 어휘가 {n}개만 만들어졌습니다 ({expected}개 예상). 말뭉치가 너무 작은 것 같습니다."),
]
