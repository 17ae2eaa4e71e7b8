"""Join codes, teacher tokens and the rate limit on wrong guesses.

Codes and tokens come from :mod:`secrets` (they protect a session; they are not part of
the simulation, whose randomness is the model's own generator). A join code is short so
that students can type it from the projector; the teacher token is long and is printed
only in the teacher's terminal. Wrong guesses are counted per session, per kind and per
client: past the limit within a minute further attempts are refused, even right ones,
until the window has passed (see :class:`RateLimiter`).
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
    """Counts wrong attempts in a sliding window, per client and in total.

    A client (a browser) past ``per_client`` failures is refused, even with the right
    secret, until the window has passed; past ``total`` failures from all clients
    together (someone rotating cookies), every client is refused. One student's typos
    therefore do not lock the class out, and guessing stays hopeless.

    Args:
        per_client: Failures allowed per client within ``window`` seconds.
        total: Failures allowed from all clients within ``window`` seconds.
        window: Length of the sliding window in seconds.
        clock: Monotonic clock (injectable for tests).
    """

    def __init__(
        self,
        per_client: int = 5,
        total: int = 50,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.per_client = per_client
        self.total = total
        self.window = window
        self.clock = clock
        self._failures: deque[tuple[float, str]] = deque()

    def _prune(self) -> None:
        cutoff = self.clock() - self.window
        while self._failures and self._failures[0][0] <= cutoff:
            self._failures.popleft()

    def blocked(self, client: str = "") -> bool:
        """Whether attempts from ``client`` are refused now."""
        self._prune()
        mine = sum(c == client for _, c in self._failures)
        return mine >= self.per_client or len(self._failures) >= self.total

    def check(self, given: str, expected: str, what: str, client: str = "") -> None:
        """Compare a secret in constant time; count and refuse wrong ones.

        Raises:
            RateLimited: Too many recent failures (the attempt is not even compared).
            AccessDenied: ``given`` is wrong.
        """
        if self.blocked(client):
            raise RateLimited(f"too many wrong {what}s: wait a minute and try again")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            self._failures.append((self.clock(), client))
            raise AccessDenied(f"wrong {what}")
