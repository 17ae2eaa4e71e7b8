"""User-facing input errors.

Every mistake a user can make in a file or on the command line is raised as an
:class:`InputError`. It carries the file and the field at fault so the CLI can
print one line (``file: field: message``) and exit with code 2, never a traceback.
"""

from __future__ import annotations


class InputError(ValueError):
    """A problem with user input (scenario, experiment, case file, CLI value).

    Args:
        message: What is wrong, in one sentence.
        file: The file at fault, if any.
        field: The dotted path of the field at fault, if any (e.g. ``us.reliability``).
    """

    def __init__(self, message: str, *, file: str | None = None, field: str | None = None):
        self.message = message
        self.file = file
        self.field = field
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """Return ``file: field: message`` with absent parts left out, on one line."""
        parts = [p for p in (self.file, self.field) if p]
        text = " ".join(self.message.split())
        return ": ".join([*parts, text])

    def with_file(self, file: str) -> InputError:
        """Return a copy naming ``file`` when none was named yet."""
        if self.file:
            return self
        return InputError(self.message, file=file, field=self.field)
