"""Generation errors: a clear, one-line reason the copy could not be made."""


class GenerationError(RuntimeError):
    """Generation failed (backend unreachable, bad key, garbage output, empty required field)."""

    def __init__(self, message: str):
        # Keep it to one line: the CLI prints it after "error: ".
        super().__init__(" ".join(str(message).split()))


class UnusableOutputError(GenerationError):
    """The backend answered, but no sample gave a usable value for a required field, or no candidate fit:
    sampling again may help (generate_copy does), unlike a backend failure."""
