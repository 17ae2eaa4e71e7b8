"""Coalition measures on the tie network: blocs, alignment, hedging, networked alliance.

All functions take a tie-level matrix (and, where needed, camp scores or capabilities)
and are vectorized, so the model can call them every step and analysis code can call
them on saved tables (:func:`ties_matrix` rebuilds a step's matrix from ``ties.parquet``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indopacsim.tiescale import MAX_LEVEL, STRONG

#: Level from which a tie counts as strong (joint exercises and intelligence sharing).


@dataclass(frozen=True)
class CampProfile:
    """Each state's tie strength towards the two camps (one matrix product for all).

    Attributes:
        alignment: Tie-weighted mean camp of the partners, in [-1, 1] (0 with no ties).
        us_strength, cn_strength: Tie strength (rungs / top) towards the US camp and China's:
            a tie counts by its partner's positive, or negative, camp score.
        toward_us, toward_china, toward_neither: The shares of the state's tie strength
            towards the US camp, China's camp and neither (all 0 with no ties).
    """

    alignment: np.ndarray
    us_strength: np.ndarray
    cn_strength: np.ndarray
    toward_us: np.ndarray
    toward_china: np.ndarray
    toward_neither: np.ndarray


def _sides(ties: np.ndarray, camp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each state's tie strength (in rungs) weighted by its partners' camp, by their
    positive and by their negative camp (3, ..., N), and its total (..., N): one matrix
    product per network."""
    w = ties.astype(float)
    cols = np.empty((*camp.shape, 3))  # camp, its positive and its negative part
    cols[..., 0] = camp
    np.maximum(camp, 0.0, out=cols[..., 1])
    np.maximum(-camp, 0.0, out=cols[..., 2])
    sides = w @ cols
    last = sides.ndim - 1  # the three columns first (np.moveaxis(sides, -1, 0), quicker)
    return sides.transpose(last, *range(last)), np.add.reduce(w, axis=-1)


def camp_profile(ties: np.ndarray, camp: np.ndarray) -> CampProfile:
    """The :class:`CampProfile` of every state, of one network (N, N) with its camp scores
    (N,), or of a stack of networks (U, N, N) and scores (U, N): each network's numbers
    are those it has alone (one matrix product and row sums per network)."""
    sides, total = _sides(ties, camp)
    tied = total > 0
    # the three shares (alignment, US, China) and the two strengths, each as one operation
    share = np.where(tied, sides / np.where(tied, total, 1.0), 0.0)
    strength = sides[1:] / MAX_LEVEL
    return CampProfile(
        alignment=share[0],
        us_strength=strength[0],
        cn_strength=strength[1],
        toward_us=share[1],
        toward_china=share[2],
        toward_neither=np.where(tied, 1.0 - share[1] - share[2], 0.0),
    )


def alignment_index(ties: np.ndarray, camp: np.ndarray) -> np.ndarray:
    """Tie-weighted mean camp of each state's partners, in [-1, 1] (0 with no ties).

    +1: all tie strength towards the US camp; -1: towards China's; 0: balanced or none.
    The :attr:`CampProfile.alignment` of :func:`camp_profile` (the other shares left out:
    one column of the product, not three); of one network or of a stack.
    """
    w = ties.astype(float)
    side = np.matmul(w, camp[..., None])[..., 0]
    total = np.add.reduce(w, axis=-1)
    tied = total > 0
    if np.logical_and.reduce(tied, axis=None):  # every state has a tie: the same quotients
        return side / total
    return np.where(tied, side / np.where(tied, total, 1.0), 0.0)


def camp_strengths(ties: np.ndarray, camp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tie strength (in rungs / MAX_LEVEL) towards the US camp and towards China's camp."""
    p = camp_profile(ties, camp)
    return p.us_strength, p.cn_strength


def hedging_index(us_strength: np.ndarray, cn_strength: np.ndarray) -> np.ndarray:
    """Hedging index in [0, 1]: 2 min(U, C) / (U + C); 1 = equal ties to both camps."""
    total = us_strength + cn_strength
    low = 2.0 * np.minimum(us_strength, cn_strength)
    positive = total > 0
    if positive.all():
        return low / total
    return np.divide(low, total, out=np.zeros_like(total), where=positive)


def bloc_labels(ties: np.ndarray, level: int = STRONG) -> np.ndarray:
    """Bloc label of each state: connected components of the ties at ``level`` or above.

    Labels are the smallest member index of each component (a state with no such tie is
    its own singleton). Computed by min-label propagation with pointer jumping: O(n^2)
    per round, and the rounds grow with the log of the components' diameter.
    """
    adj = ties >= level
    key = (adj.shape, adj.tobytes())
    hit = _BLOCS.get(key)
    if hit is None:
        if len(_BLOCS) >= 64:
            _BLOCS.clear()
        hit = _BLOCS[key] = _components(adj)
    return hit.copy()


#: Bloc labels by adjacency (the strong ties change seldom between steps).
_BLOCS: dict[tuple[tuple[int, ...], bytes], np.ndarray] = {}


def _components(adj: np.ndarray) -> np.ndarray:
    n = adj.shape[0]
    labels = np.arange(n)
    sentinel = np.full((n, n), n)
    while True:
        neighbour_min = np.where(adj, labels[None, :], sentinel).min(axis=1)
        new = np.minimum(labels, neighbour_min)
        new = new[new]  # pointer jumping
        if np.array_equal(new, labels):
            return labels
        labels = new


def bloc_summary(labels: np.ndarray, capability: np.ndarray) -> tuple[int, float]:
    """Number of blocs (components with two or more members) and the largest's capability share."""
    sizes = np.bincount(labels)
    caps = np.bincount(labels, weights=capability)
    multi = sizes >= 2
    n_blocs = int(np.count_nonzero(multi))
    share = float(np.maximum.reduce(caps[multi]) / np.add.reduce(capability)) if n_blocs else 0.0
    return n_blocs, share


def networked_alliance(
    ties: np.ndarray,
    partners: np.ndarray,
    us: int,
    pairs: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[int, float]:
    """Strong ties among US partners that do not involve the US (paper §4).

    Args:
        ties: Tie levels.
        partners: Boolean mask of the US partners (the model fixes them at the start:
            states with a strong tie to the US in the initial network).
        us: Index of the US (-1 when absent).
        pairs: Optional precomputed ``np.triu_indices`` of the partners (for speed).

    Returns:
        ``(count, index)``: the number of strong ties between two partners, and that
        number as a share of all strong ties within the partners plus the US.
    """
    idx = np.flatnonzero(partners)
    if pairs is None:
        pairs = np.triu_indices(len(idx), 1)
    among = int(np.count_nonzero(ties[idx[pairs[0]], idx[pairs[1]]] >= STRONG))
    with_us = int(np.count_nonzero(ties[us, idx] >= STRONG)) if us >= 0 else 0
    total = among + with_us
    return among, (among / total if total else 0.0)


def ties_matrix(
    ties_table: pd.DataFrame, codes: list[str] | tuple[str, ...], step: int
) -> np.ndarray:
    """Rebuild the level matrix of one step from a tidy ties table (columns step, a, b, level)."""
    pos = {c: i for i, c in enumerate(codes)}
    rows = ties_table[ties_table["step"] == step]
    m = np.zeros((len(codes), len(codes)), dtype=np.int8)
    ia = rows["a"].map(pos).to_numpy()
    ib = rows["b"].map(pos).to_numpy()
    m[ia, ib] = m[ib, ia] = rows["level"].to_numpy()
    return m


def modularity(weights: np.ndarray, labels: np.ndarray) -> float:
    """Newman's weighted modularity Q of a partition (0 for no ties).

    Q = 1/(2m) sum_ij (W_ij - k_i k_j / 2m) [c_i = c_j], with W symmetric and k the
    strengths. High Q: ties run within groups, not across them.
    """
    w = np.asarray(weights, dtype=float)
    two_m = np.add.reduce(w, axis=None)
    if two_m <= 0:
        return 0.0
    strength = np.add.reduce(w, axis=1)
    same = labels[:, None] == labels[None, :]
    expected = strength[:, None] * strength[None, :] / two_m  # np.outer's product
    return float(np.add.reduce((w - expected) * same, axis=None) / two_m)


def camp_sides(alignment: np.ndarray) -> np.ndarray:
    """Side of each state in the two-camp split: 1 for alignment >= 0 (US camp), 0 else."""
    return (alignment >= 0).astype(np.int64)


def polarization(ties: np.ndarray, alignment: np.ndarray) -> float:
    """Polarization: modularity of the split into the US and China camps, in [-0.5, 1).

    Near its maximum when ties run within the two camps and not across them (a bipolar
    structure, Waltz 1979); near zero when ties cross the camps as often as chance would
    have them (a networked structure, the paper's §4 and §7).
    """
    return modularity(ties, camp_sides(alignment))


def communities(ties: np.ndarray, seed: int = 0, resolution: float = 1.0) -> np.ndarray:
    """Communities of the level-weighted tie network (Louvain, seeded: deterministic).

    Returns a label per state (states without ties are singletons), labels ordered by
    each community's smallest member index.
    """
    import networkx as nx

    n = ties.shape[0]
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    a, b = np.nonzero(np.triu(ties, 1))
    graph.add_weighted_edges_from(
        (int(i), int(j), float(ties[i, j])) for i, j in zip(a, b, strict=True)
    )
    found = nx.community.louvain_communities(
        graph, weight="weight", resolution=resolution, seed=seed
    )
    labels = np.empty(n, dtype=np.int64)
    for k, members in enumerate(sorted(found, key=min)):
        labels[list(members)] = k
    return labels


def bloc_table(
    ties: np.ndarray, labels: np.ndarray, capability: np.ndarray, codes: list[str] | tuple[str, ...]
) -> pd.DataFrame:
    """One row per bloc of two or more members: members, size, capability share, cohesion.

    Cohesion is the mean level of the ties between the bloc's members, over all their
    pairs, divided by 5 (1 = every pair a treaty alliance).
    """
    rows = []
    total_cap = capability.sum()
    for label in np.unique(labels):
        idx = np.flatnonzero(labels == label)
        if len(idx) < 2:
            continue
        sub = ties[np.ix_(idx, idx)].astype(float)
        pairs = len(idx) * (len(idx) - 1) / 2
        rows.append(
            {
                "bloc": int(label),
                "size": len(idx),
                "capability_share": float(capability[idx].sum() / total_cap),
                "cohesion": float(np.triu(sub, 1).sum() / pairs / MAX_LEVEL),
                "members": ", ".join(sorted(codes[i] for i in idx)),
            }
        )
    cols = ["bloc", "size", "capability_share", "cohesion", "members"]
    return (
        pd.DataFrame(rows, columns=cols)
        .sort_values("capability_share", ascending=False)
        .reset_index(drop=True)
    )


def canonical_labels(labels: np.ndarray) -> np.ndarray:
    """Relabel a partition by the index of each group's first member (a canonical form)."""
    _, inverse = np.unique(labels, return_inverse=True)
    first = np.full(inverse.max() + 1 if len(inverse) else 0, len(labels))
    np.minimum.at(first, inverse, np.arange(len(labels)))
    return first[inverse]


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two label vectors describe the same partition (labels may differ)."""
    return a.shape == b.shape and np.array_equal(canonical_labels(a), canonical_labels(b))


def stable_since(labels_by_step: list[np.ndarray], steps: list[int] | None = None) -> int:
    """The step from which the bloc partition no longer changes (its last change + 1).

    Args:
        labels_by_step: The partition at each recorded step, in order.
        steps: The step numbers (default 0, 1, ...).

    Returns:
        The first step of the final, unchanged stretch (the first step when it never changed).
    """
    steps = list(range(len(labels_by_step))) if steps is None else steps
    since = steps[0]
    for k in range(1, len(labels_by_step)):
        if not same_partition(labels_by_step[k], labels_by_step[k - 1]):
            since = steps[k]
    return since


def coalition_measures(
    ties_table: pd.DataFrame,
    states_table: pd.DataFrame,
    capability: pd.Series,
    level: int = STRONG,
    seed: int = 0,
) -> pd.DataFrame:
    """Coalition measures recomputed from saved tables, one row per step (and replicate).

    Args:
        ties_table: ``ties.parquet`` (step, a, b, level; optional replicate).
        states_table: ``states.parquet`` (step, iso3, alignment; optional replicate).
        capability: Capability by ISO3 code.
        level: Minimum level binding a bloc.
        seed: Seed of the community detection.

    Returns:
        Columns step (, replicate), n_blocs, largest_bloc_share, n_communities,
        community_modularity, polarization, networked structure measures, churn and
        ``stable_since`` (the same value on every row of a replicate).
    """
    replicated = "replicate" in states_table.columns
    reps = sorted(states_table["replicate"].unique()) if replicated else [None]
    rows: list[dict[str, object]] = []
    for rep in reps:
        states = states_table if rep is None else states_table[states_table["replicate"] == rep]
        ties_sub = ties_table if rep is None else ties_table[ties_table["replicate"] == rep]
        codes = list(dict.fromkeys(states["iso3"]))
        cap = capability.reindex(codes).to_numpy(float)
        partitions: list[np.ndarray] = []
        steps: list[int] = []
        block: list[dict[str, object]] = []
        prev: np.ndarray | None = None
        for step in sorted(int(x) for x in states["step"].unique()):
            st = states[states["step"] == step]
            m = ties_matrix(ties_sub, codes, step)
            align = st.set_index("iso3")["alignment"].reindex(codes).to_numpy(float)
            labels = bloc_labels(m, level)
            comm = communities(m, seed=seed)
            n_blocs, share = bloc_summary(labels, cap)
            churn = 0 if prev is None else int(np.count_nonzero(np.triu(m.astype(int) - prev, 1)))
            row: dict[str, object] = {} if rep is None else {"replicate": rep}
            row.update(
                step=step,
                n_blocs=n_blocs,
                largest_bloc_share=share,
                n_communities=int(sum(np.bincount(comm) >= 2)),
                community_modularity=modularity(m, comm),
                polarization=polarization(m, align),
                churn=churn,
            )
            block.append(row)
            partitions.append(labels)
            steps.append(step)
            prev = m.astype(int)
        since = stable_since(partitions, steps)
        for row in block:
            row["stable_since"] = since
        rows.extend(block)
    return pd.DataFrame(rows)
