"""Build ``europe_1936.yaml``: Axelrod & Bennett's (1993) 17-state validation case.

Source of the model and of the choice of states, sizes and propensity components:
R. Axelrod and D. S. Bennett, "A Landscape Theory of Aggregation", British Journal
of Political Science 23(2), 1993, 211-233. The paper builds each pair's propensity
from ethnic conflict, religion, border disputes, type of government and history of
war. We do NOT have the paper's own pair codings: every component below is coded
from the written rules in RULES and the per-state / per-pair historical facts in this
file, and combined by a fixed sum. The rules were written before the first run and
were not changed after seeing the result.

Re-run (from the repository root; writes the YAML next to this script, and with
``--markdown`` also prints the per-pair table used in docs/landscape.md, with
``--ablation`` the leave-one-component-out sensitivity table)::

    .venv/bin/python scenarios/landscape/build_europe_1936.py [--markdown]
    PYTHONPATH=src .venv/bin/python scenarios/landscape/build_europe_1936.py --ablation
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Iterable
from pathlib import Path

# Correlates of War composite capability shares, 1938 (as given for this case).
SIZE = {
    "Britain": 0.077787,
    "Czechoslovakia": 0.013048,
    "Denmark": 0.001991,
    "Estonia": 0.000611,
    "Finland": 0.001926,
    "France": 0.045569,
    "Germany": 0.154222,
    "Greece": 0.003725,
    "Hungary": 0.004694,
    "Italy": 0.031849,
    "Latvia": 0.001261,
    "Lithuania": 0.001132,
    "Poland": 0.019573,
    "Portugal": 0.002674,
    "Romania": 0.008126,
    "USSR": 0.164359,
    "Yugoslavia": 0.006346,
}

# Predominant (plurality) religion of the population; USSR coded by its official
# state atheism, not by the Orthodox plurality of believers (debatable).
RELIGION = {
    "Britain": "Protestant",
    "Czechoslovakia": "Catholic",
    "Denmark": "Protestant",
    "Estonia": "Protestant",
    "Finland": "Protestant",
    "France": "Catholic",
    "Germany": "Protestant",  # c. 63% Protestant, 33% Catholic (1933 census)
    "Greece": "Orthodox",
    "Hungary": "Catholic",
    "Italy": "Catholic",
    "Latvia": "Protestant",  # Lutheran plurality c. 55%
    "Lithuania": "Catholic",
    "Poland": "Catholic",
    "Portugal": "Catholic",
    "Romania": "Orthodox",
    "USSR": "state atheist",
    "Yugoslavia": "Orthodox",  # plurality c. 49% (1931 census), Catholic c. 38%
}

# Regime class at the end of 1936. D = democracy (government answerable to a
# parliament chosen in competitive multi-party elections with secret ballot);
# A = fascist or authoritarian right (dictatorship, single party, parties banned or
# open-ballot managed elections); C = communist.
REGIME = {
    "Britain": ("D", "parliamentary democracy"),
    "Czechoslovakia": ("D", "parliamentary democracy (Benes president from 1935)"),
    "Denmark": ("D", "parliamentary democracy"),
    "Estonia": ("A", "Pats authoritarian rule since the 1934 coup, parties banned"),
    "Finland": ("D", "parliamentary democracy"),
    "France": ("D", "parliamentary democracy (Popular Front government 1936)"),
    "Germany": ("A", "National Socialist dictatorship"),
    "Greece": ("A", "Metaxas dictatorship from 4 August 1936"),
    "Hungary": ("A", "Horthy regency, open ballot in rural districts (debatable)"),
    "Italy": ("A", "Fascist dictatorship"),
    "Latvia": ("A", "Ulmanis authoritarian rule since the 1934 coup"),
    "Lithuania": ("A", "Smetona authoritarian rule since 1926, parties banned 1936"),
    "Poland": ("A", "Sanacja regime, April 1935 constitution, managed 1935 election"),
    "Portugal": ("A", "Salazar's Estado Novo, single party"),
    "Romania": (
        "D",
        "constitutional monarchy, secret-ballot elections; "
        "Carol II's dictatorship only from 1938 (debatable)",
    ),
    "USSR": ("C", "communist one-party state"),
    "Yugoslavia": ("A", "royal dictatorship 1929, 1931 constitution with open ballot"),
}

RULES = """\
Components, each coded for every one of the 136 pairs (reference date: end of 1936):
  E ethnic conflict  -1 if a compact minority of one state's nationality lived in the
                     other state (in territory adjoining or claimed by the kin state)
                     and either had an organised movement for autonomy or border
                     revision in 1936, or its treatment had been officially protested
                     by the kin state since 1919; else 0.
  R religion         +1 if both have the same predominant religion (Catholic,
                     Protestant, Orthodox; the USSR is coded state-atheist); else 0.
  B border dispute   -1 if in 1936 either government officially claimed territory
                     held by the other or refused to recognise their common border;
                     else 0.
  G government       +1 if both are in the same regime class (D democracy, A fascist or
                     authoritarian right, C communist); -1 if the classes differ.
  W history of war   -1 if the two states (or the predecessor named: USSR <- Russia,
                     Yugoslavia <- Serbia, Hungary <- the Hungarian half of
                     Austria-Hungary) were formally at war with each other or their
                     regular forces fought each other in sustained combat between
                     1 Aug 1914 and 1936; states independent only from 1917-18 count
                     from their independence; else 0.
  propensity p = E + R + B + G + W   (integer in [-4, 2]; scale neutral 0)"""

# Pairs with E = -1 and the historical basis.
ETHNIC = {
    ("Czechoslovakia", "Germany"): "Sudeten Germans; Henlein's Sudeten German Party, 1935",
    ("Czechoslovakia", "Hungary"): "Magyars of southern Slovakia; Hungarian revisionism",
    ("Czechoslovakia", "Poland"): "Poles of Teschen/Zaolzie; Polish protests 1934-36",
    ("Germany", "Poland"): "Germans of Pomerelia and Upper Silesia; League petitions",
    ("Germany", "Lithuania"): "Memel Germans; 1934-35 Kaunas trial, German protests",
    ("Denmark", "Germany"): "German minority of North Schleswig demanding border "
    "revision (debatable: not German state policy)",
    ("Hungary", "Romania"): "Magyars of Transylvania",
    ("Hungary", "Yugoslavia"): "Magyars of Vojvodina",
    ("Lithuania", "Poland"): "Vilnius region: Lithuanians under Polish rule",
    ("Poland", "USSR"): "Ukrainians/Belarusians of eastern Poland; Soviet-backed "
    "West Ukrainian and West Belarusian communist parties",
    ("Romania", "USSR"): "Bessarabia; Moldavian ASSR set up in 1924 as irredenta",
    ("Italy", "Yugoslavia"): "Slovenes and Croats of the Julian March, Italianisation",
    ("Greece", "Italy"): "Dodecanese Greeks under Italian rule, Italianisation "
    "(debatable: no official Greek claim)",
    ("Finland", "USSR"): "East Karelia; Finland took it to the League 1921-23; "
    "Ingrian deportations 1935-36 (debatable)",
}

# Pairs with B = -1.
BORDER = {
    ("Czechoslovakia", "Hungary"): "Hungary's official Trianon revisionism",
    ("Hungary", "Romania"): "Hungary's official Trianon revisionism (Transylvania)",
    ("Hungary", "Yugoslavia"): "Hungary's official Trianon revisionism (Vojvodina)",
    ("Lithuania", "Poland"): "Vilnius: no relations and no recognised border until 1938",
    ("Romania", "USSR"): "USSR never recognised Romania's 1918 union with Bessarabia",
    ("Germany", "Poland"): "Germany never recognised the border (no 'Eastern Locarno'; "
    "the 1934 declaration deferred the question)",
}

_WWI = "First World War, formal state of war"
# Pairs with W = -1.
WAR = {
    **{
        tuple(sorted((c, x))): _WWI
        for c in ("Germany", "Hungary")
        for x in (
            "Britain",
            "France",
            "Greece",
            "Italy",
            "Portugal",
            "Romania",
            "USSR",
            "Yugoslavia",
        )
    },
    ("Czechoslovakia", "Hungary"): "Hungarian-Czechoslovak war 1919",
    ("Czechoslovakia", "Poland"): "Polish-Czechoslovak war over Teschen, January 1919",
    ("Poland", "USSR"): "Polish-Soviet war 1919-21 (Riga 1921)",
    ("Lithuania", "Poland"): "Polish-Lithuanian war 1920",
    ("Estonia", "USSR"): "Estonian War of Independence 1918-20 (Tartu 1920)",
    ("Latvia", "USSR"): "Latvian War of Independence 1918-20 (Riga 1920)",
    ("Lithuania", "USSR"): "Lithuanian-Soviet war 1918-19 (Moscow treaty 1920)",
    ("Finland", "USSR"): "Finnish-Soviet fighting 1918-20 (Tartu 1920)",
    ("Romania", "USSR"): "Romanian-Soviet fighting in Bessarabia 1918-19 (debatable)",
    ("Britain", "USSR"): "Allied intervention: North Russia and Baltic 1918-20 (debatable)",
    ("France", "USSR"): "Allied intervention: Odessa and Black Sea 1918-19 (debatable)",
    ("Greece", "USSR"): "Greek corps at Kherson and Odessa 1919 (debatable)",
    ("Czechoslovakia", "USSR"): "Czechoslovak Legion vs Red Army 1918-20 (debatable)",
    ("Estonia", "Germany"): "Landeswehr war 1919, German units at Cesis (debatable)",
    ("Germany", "Latvia"): "Landeswehr war and Bermondt affair 1919 (debatable)",
    ("Germany", "Poland"): "Greater Poland uprising 1918-19 vs German forces (debatable)",
}

# The wartime alignment as Axelrod & Bennett scored it (recalled; see the YAML notes).
ALLIES = [
    "Britain",
    "Czechoslovakia",
    "Denmark",
    "France",
    "Greece",
    "Poland",
    "Portugal",
    "USSR",
    "Yugoslavia",
]
AXIS = ["Estonia", "Finland", "Germany", "Hungary", "Italy", "Latvia", "Lithuania", "Romania"]

NAMES = list(SIZE)


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if NAMES.index(a) < NAMES.index(b) else (b, a)


def components(a: str, b: str) -> dict[str, int]:
    """The five component codes of one pair, by the rules in RULES."""

    def has(table: Iterable[tuple[str, ...]]) -> bool:
        return tuple(sorted((a, b))) in {tuple(sorted(k)) for k in table}

    return {
        "E": -1 if has(ETHNIC) else 0,
        "R": 1 if RELIGION[a] == RELIGION[b] and RELIGION[a] != "state atheist" else 0,
        "B": -1 if has(BORDER) else 0,
        "G": 1 if REGIME[a][0] == REGIME[b][0] else -1,
        "W": -1 if has(WAR) else 0,
    }


def _basis(a: str, b: str) -> str:
    parts = []
    for tag, table in (("E", ETHNIC), ("B", BORDER), ("W", WAR)):
        for k, text in table.items():
            if set(k) == {a, b}:
                parts.append(f"{tag}: {text}")
    return "; ".join(parts)


def pairs() -> list[tuple[str, str, dict[str, int]]]:
    """All 136 unordered pairs with their components, in actor order."""
    return [(a, b, components(a, b)) for a, b in itertools.combinations(NAMES, 2)]


def _check() -> None:
    for table in (ETHNIC, BORDER, WAR):
        for a, b in table:
            assert a in SIZE and b in SIZE and a != b, (a, b)


def yaml_text() -> str:
    """The case file, with the rules and codings as comments."""
    out = [
        "# GENERATED by scenarios/landscape/build_europe_1936.py -- edit that script, then",
        "#   .venv/bin/python scenarios/landscape/build_europe_1936.py",
        "# Axelrod & Bennett (1993), 'A Landscape Theory of Aggregation', BJPolS 23(2):",
        "# the 17 European states of their Second World War test. Sizes: COW capability",
        "# shares 1938. Propensities are OUR coding of the paper's components (the paper's",
        "# own pair codings are not reproduced here); the combining rule is a plain sum.",
        "#",
        *(f"# {line}" for line in RULES.splitlines()),
        "#",
        "# Per-state codings (religion; regime class and basis):",
        *(f"#   {n:<15}{RELIGION[n]:<15}{REGIME[n][0]}  {REGIME[n][1]}" for n in NAMES),
        "# Each propensity row is followed by its components; bases: docs/landscape.md.",
        "kind: landscape",
        "name: europe_1936",
        "description: >-",
        "  Alignment of 17 European states before the Second World War (Axelrod and",
        "  Bennett 1993 validation case), propensities coded from ethnic conflict,",
        "  religion, border disputes, type of government and history of war, 1936.",
        "sources:",
        "  - Axelrod and Bennett, A Landscape Theory of Aggregation, BJPolS 23(2), 1993",
        "  - Correlates of War National Material Capabilities (composite index), 1938",
        "  - 'Codings: scenarios/landscape/build_europe_1936.py and docs/landscape.md'",
        "scale: {neutral: 0}",
        "actors:",
        *(f"  - {{name: {n}, size: {SIZE[n]}}}" for n in NAMES),
        "propensities:",
    ]
    for a, b, c in pairs():
        p = sum(c.values())
        codes = " ".join(f"{k}{v:+d}" for k, v in c.items())
        out.append(f"  - [{a}, {b}, {p}]".ljust(40) + f"# {codes}")
    out += [
        "# Observed wartime alignment as Axelrod & Bennett scored it (recalled, not",
        "# re-read from the paper). Debatable: Czechoslovakia (dismembered 1939, Slovakia",
        "# fought with the Axis), Denmark (occupied 1940, never a belligerent), Portugal",
        "# (neutral; Azores bases to Britain 1943), Estonia/Latvia/Lithuania (annexed by",
        "# the USSR 1940; scored Axis), Finland (co-belligerent 1941-44), Romania and",
        "# Italy (changed sides 1944/1943), Yugoslavia (joined the Tripartite Pact in",
        "# March 1941 before the coup), USSR (Nazi-Soviet pact 1939-41).",
        "observed:",
        f"  - [{', '.join(ALLIES)}]",
        f"  - [{', '.join(AXIS)}]",
    ]
    return "\n".join(out) + "\n"


def markdown_table() -> str:
    """The per-pair table (components, propensity, historical basis) in Markdown."""
    rows = [
        "| # | pair | E | R | B | G | W | p | basis of E, B, W |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for k, (a, b, c) in enumerate(pairs(), start=1):
        v = " | ".join(f"{c[x]:+d}" if c[x] else "0" for x in "ERBGW")
        rows.append(f"| {k} | {a} - {b} | {v} | {sum(c.values()):+d} | {_basis(a, b)} |")
    return "\n".join(rows)


def ablation() -> str:
    """Leave-one-component-out sensitivity (Markdown), NOT used for the case file.

    For the full sum and for each component dropped in turn, solve exactly and report
    the minima (energy, basin, the smaller side) and the best minimum's misplaced
    states. Needs the indopacsim package (``PYTHONPATH=src``).
    """
    import numpy as np

    from indopacsim.landscape.core import Landscape
    from indopacsim.landscape.exact import solve_exact

    rows = [
        "| propensity | minima: energy, basin, smaller side | best misplaces |",
        "|---|---|---|",
    ]
    for drop in ["none", *"ERBGW"]:
        idx = {n: i for i, n in enumerate(NAMES)}
        p = np.zeros((len(NAMES), len(NAMES)))
        for a, b, c in pairs():
            p[idx[a], idx[b]] = p[idx[b], idx[a]] = sum(v for k, v in c.items() if k != drop)
        res = solve_exact(Landscape(tuple(NAMES), np.array(list(SIZE.values())), p))
        mins = []
        for r in range(len(res.energies)):
            m = res.minimum(r)
            small = min(m.sides, key=len)
            mins.append(f"{m.energy:.4f}, {m.basin:.1%}, {{{', '.join(small)}}}")
        miss = res.misplaced_actors([ALLIES, AXIS])
        label = "E+R+B+G+W (case file)" if drop == "none" else f"without {drop}"
        rows.append(f"| {label} | {'<br>'.join(mins)} | {len(miss)}: {', '.join(miss)} |")
    return "\n".join(rows)


def main() -> None:
    """Write the YAML next to this script; optionally print the Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the pair table")
    parser.add_argument(
        "--ablation", action="store_true", help="print the leave-one-out table (needs src/)"
    )
    args = parser.parse_args()
    _check()
    target = Path(__file__).with_name("europe_1936.yaml")
    target.write_text(yaml_text(), encoding="utf-8")
    print(f"wrote {target}")
    if args.markdown:
        print(markdown_table())
    if args.ablation:
        print(ablation())


if __name__ == "__main__":
    main()
