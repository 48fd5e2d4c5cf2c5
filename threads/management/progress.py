"""The commands' progress bar: one line on stderr, redrawn per batch, drawn only when a
person is watching (a terminal, and verbosity above 0)."""


def progress_bar(stderr, verbosity: int, unit: str):
    """``draw(done, total)`` for a command's long loop, or None when nobody would see it."""
    if not verbosity or not stderr.isatty():
        return None

    def draw(done: int, total: int) -> None:
        filled = 30 * done // total if total else 30
        bar = "#" * filled + "-" * (30 - filled)
        stderr.write(f"\r[{bar}] {done:,}/{total:,} {unit}", ending="")
        stderr.flush()

    return draw
