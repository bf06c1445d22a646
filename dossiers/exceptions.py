"""What the route's services raise; its own module so that every service module can raise it
without importing another (no import cycles)."""

from __future__ import annotations


class MoveRefused(Exception):
    """A step that may not be taken; `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
