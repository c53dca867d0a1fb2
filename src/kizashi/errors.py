"""Errors shared by every layer.

Every error a user can cause names the file and the place in it, so the command line can
print one clear line and exit with code 2 instead of a traceback.
"""

from __future__ import annotations


class KizashiError(Exception):
    """An input or usage error that names where it happened."""

    def __init__(self, message: str, *, path: str | None = None, where: str | None = None) -> None:
        self.message = message
        self.path = path
        self.where = where
        super().__init__(self.describe())

    def describe(self) -> str:
        """Return ``path:where: message`` with the parts that are known."""
        prefix = ""
        if self.path:
            prefix = f"{self.path}"
            if self.where:
                prefix += f":{self.where}"
            prefix += ": "
        elif self.where:
            prefix = f"{self.where}: "
        return prefix + self.message


class InputError(KizashiError):
    """Malformed or inconsistent input (a file, an id, an option value)."""


class ModelError(InputError):
    """A model that fails validation."""


class StaleModelError(InputError):
    """A model file that changed on disk since the version an edit was made against."""
