"""내비게이션의 페이지 이름 (브라우저 탭 제목으로도 쓰임)."""
STRINGS = {
    "nav.home": "홈",
    "nav.lesson": "수업",
    "nav.fill_mask": "빈칸 채우기",
    "nav.attention": "어텐션",
    "nav.polysemy": "다의어",
    "nav.masking": "마스킹 전략",
    "nav.generate": "생성",
    "nav.train": "학습",
}
