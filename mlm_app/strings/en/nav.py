"""The page names of the navigation (also the pages' browser-tab titles)."""
STRINGS = {
    "nav.home": "Home",
    "nav.lesson": "Lesson",
    "nav.fill_mask": "Fill-mask",
    "nav.attention": "Attention",
    "nav.polysemy": "Polysemy",
    "nav.masking": "Masking strategies",
    "nav.generate": "Generation",
    "nav.train": "Train",
}
