"""Seeds for replicates and sweeps, derived before any run is dispatched.

Replicate ``r`` of a run or sweep with root seed ``s`` uses the integer
``SeedSequence(s).spawn(n)[r].generate_state(1)[0]``: independent streams that do not
depend on the order in which runs complete, so serial, process-pool and distributed
executions give identical results (docs/architecture.md, "Conventions").
"""

from __future__ import annotations

import numpy as np


def spawn_seeds(root: int, n: int) -> list[int]:
    """Return ``n`` independent 32-bit integer seeds derived from ``root``."""
    children = np.random.SeedSequence(root).spawn(n)
    return [int(c.generate_state(1, dtype=np.uint32)[0]) for c in children]
