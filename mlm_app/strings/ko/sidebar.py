"""모든 페이지가 함께 쓰는 사이드바: 모델 선택, 모델 정보, 정밀도와 표시 옵션, 오프라인 안내."""
STRINGS = {
    "sidebar.model": "모델",
    "sidebar.picker": "마스크 언어 모델",
    "sidebar.other_hub": "다른 허브 ID…",
    "sidebar.local_dir": "로컬 디렉터리…",
    "sidebar.needs_network": " · 네트워크 필요 (내려받지 않음)",
    "sidebar.bundled": "bundled (기본 내장 모델, 오프라인)",
    "sidebar.trained": "여기서 학습한 모델: {name}",
    "sidebar.hub_offline": "Hugging Face 허브에 연결할 수 없습니다 (오프라인인가요?). *네트워크 필요*로 표시된 허브 모델은 "
                           "내려받지 않은 상태라 연결될 때까지 불러올 수 없습니다. 내장 모델은 오프라인에서도 동작합니다.",
    "sidebar.hub_id": "허브 ID",
    "sidebar.hub_placeholder": "예: bert-large-uncased",
    "sidebar.load": "불러오기",
    "sidebar.directory": "save_pretrained로 저장한 디렉터리",
    "sidebar.directory_placeholder": "예: /path/to/model",
    "sidebar.loading": "{name} 불러오는 중…",
    "sidebar.could_not_switch": "{name}(으)로 바꾸지 못했습니다: {reason}",
    "sidebar.fallback": "{reason} 내장 모델로 돌아갑니다.",
    "sidebar.card": "**{label}** · 계열 **{family}** · {layers}개 층 × {heads}개 헤드 · 은닉 크기 {hidden} · "
                    "매개변수 {parameters:.1f} M개 · 어휘 {vocab:,}개 · 마스크 토큰 `{mask}` · 최대 {max_tokens}개 토큰",
    "sidebar.large_fonts": "큰 글꼴 (프로젝터)",
    "sidebar.large_fonts_help": "프로젝터용으로 글자, 제목, 차트를 키우고 화면 전체 너비를 씁니다. 모든 페이지에 적용되며 "
                                "공유 링크에도 포함됩니다.",
    "sidebar.precision": "정밀도",
    "sidebar.precision_fp32": "정확함 (모델 원래의 가중치)",
    "sidebar.precision_bf16": "더 빠름. 내장 모델에서 top-10의 99%가 fp32와 일치하고, 확률 차이는 보통 1% 이내",
    "sidebar.precision_int8": "가장 빠름. 내장 모델에서 top-10의 93%가 fp32와 일치하고, 확률 차이는 보통 7% 이내",
    "sidebar.precision_help": "{choices}. 모든 페이지에 적용되며 공유 링크에도 포함됩니다. 학습은 항상 자체 설정을 씁니다.",
    "sidebar.precision_note": "{precision}: {help}. 확률이 fp32와 다를 수 있으며, int8이 bf16보다 더 많이 다릅니다. "
                              "빈칸 채우기 페이지에서 둘을 나란히 비교할 수 있습니다.",
    "sidebar.no_native_bf16": " 이 CPU는 bf16을 기본 지원하지 않아 여기서는 bf16이 더 느릴 수 있습니다. int8이 더 빠른 선택입니다.",
    "sidebar.preparing_copy": "{label}의 {precision} 사본을 준비하는 중…",
    "sidebar.copy_failed": "{label}의 {precision} 사본을 만들지 못해 ({reason}) fp32를 씁니다.",
    "sidebar.offline": "{name}은(는) 내려받지 않았고 Hugging Face 허브에도 연결할 수 없어 (오프라인인가요?) 지금은 "
                       "불러올 수 없습니다. 내장 모델과 여기서 학습한 모델은 오프라인에서도 동작합니다.",
}

# The core's model-loading messages that the other areas' patterns do not cover (ko/fill_mask.py holds the hub,
# cache, trained-model and "try the bundled model" sentences), one sentence each.
ERRORS = [
    (r"Loading models from local paths is switched off on this server\.",
     "이 서버에서는 로컬 경로에서 모델을 불러오는 기능이 꺼져 있습니다."),
    (r"'(?P<name>[^']*)' is not a directory holding a saved model\.",
     "'{name}'은(는) 저장된 모델이 들어 있는 디렉터리가 아닙니다."),
    (r"'(?P<name>[^']*)' is neither a local directory nor a valid Hugging Face model id\.",
     "'{name}'은(는) 로컬 디렉터리도, 올바른 Hugging Face 모델 ID도 아닙니다."),
    (r"'(?P<name>[^']*)' has no config\.json, so it is not a saved model directory\.",
     "'{name}'에는 config.json이 없어 저장된 모델 디렉터리가 아닙니다."),
    (r"'(?P<name>[^']*)' has no weights file \(model\.safetensors\)\.",
     "'{name}'에는 가중치 파일(model.safetensors)이 없습니다."),
    (r"'(?P<name>[^']*)' is a (?P<kind>\S+) model, which is not a masked language model\.",
     "'{name}'은(는) {kind} 모델이라 마스크 언어 모델이 아닙니다."),
]
