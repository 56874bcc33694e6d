"""The one exception type the core raises for bad input, with a user-facing message."""


class MLMError(ValueError):
    """A problem the user can fix; `str(err)` is a complete, readable sentence."""

    def __init__(self, message: str, hint: str | None = None):
        self.message = message
        self.hint = hint
        super().__init__(message if not hint else f"{message} {hint}")


BUNDLED_HINT = "Try the bundled model ('bundled'), which works offline."
