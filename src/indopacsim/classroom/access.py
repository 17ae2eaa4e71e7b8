"""Join codes, teacher tokens and the rate limit on wrong guesses.

Codes and tokens come from :mod:`secrets` (they protect a session; they are not part of
the simulation, whose randomness is the model's own generator). A join code is short so
that students can type it from the projector; the teacher token is long and is printed
only in the teacher's terminal. Wrong guesses are counted per session and per kind: after
``max_failures`` within ``window`` seconds further attempts are refused, even right ones,
until the window has passed.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import deque
from collections.abc import Callable

#: Letters and digits that cannot be confused on a projector (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class AccessDenied(PermissionError):
    """A wrong join code or teacher token, or a removed player."""


class RateLimited(AccessDenied):
    """Too many wrong attempts: refused until the window has passed."""


def new_join_code(length: int = 6) -> str:
    """A random join code such as ``K7QX2M``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_token() -> str:
    """A random teacher token (URL-safe, 128 bits)."""
    return secrets.token_urlsafe(16)


def normalise_code(text: str) -> str:
    """Upper case, spaces and dashes removed: what a student types, as compared."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


class RateLimiter:
    """Counts failures in a sliding window and refuses attempts past the limit.

    Args:
        max_failures: Failures allowed within ``window`` seconds.
        window: Length of the sliding window in seconds.
        clock: Monotonic clock (injectable for tests).
    """

    def __init__(
        self,
        max_failures: int = 5,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: deque[float] = deque()

    def _prune(self) -> None:
        cutoff = self.clock() - self.window
        while self._failures and self._failures[0] <= cutoff:
            self._failures.popleft()

    @property
    def blocked(self) -> bool:
        """Whether attempts are refused now."""
        self._prune()
        return len(self._failures) >= self.max_failures

    def check(self, given: str, expected: str, what: str) -> None:
        """Compare a secret in constant time; count and refuse wrong ones.

        Raises:
            RateLimited: Too many recent failures (the attempt is not even compared).
            AccessDenied: ``given`` is wrong.
        """
        if self.blocked:
            raise RateLimited(f"too many wrong {what}s: wait a minute and try again")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            self._failures.append(self.clock())
            raise AccessDenied(f"wrong {what}")
