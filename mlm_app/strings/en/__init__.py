"""English strings (the default, and the fallback of every other language)."""
