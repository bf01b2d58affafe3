"""Viral job campaigns: a budget buys seeds, the job ad spreads as an independent cascade.

Times in months, money in currency units; scenario keys under ``campaigns``
(:mod:`netsim.scenario.campaigns_schema`).

**Ideas.** Campaign ideas arrive as one aggregate Poisson process: a company of size class
``k`` has ideas at rate ``campaigns.<k>.idea_rate_per_month``, so the total rate is the sum
over companies and each arrival picks a class by its share of the rate and a company of the
class uniformly (no per-company timers). Each idea has a quality ``q``, lognormal with mean 1
(``quality_sigma``). The class's launch policy (:func:`launches`) decides: launch only if
``q >= min_quality`` and (if ``needs_open_vacancy``) the company has a vacancy open on the
market. The budget is lognormal around the class's median (``budget``, ``budget_sigma``).

**Seeds.** ``seeds = ceil(a * ((budget - production_cost) / 1000)^b)`` with
``a = seeds_per_1000`` and ``0 < b = seed_elasticity <= 1`` (:func:`seed_count`; no seeds
if the budget does not cover the production cost): monotone in the budget and concave above
the production cost (each extra seed costs more, as audiences saturate). The production cost
(creative, landing page) is what makes a small budget inefficient. Seeds are drawn
uniformly among all workers (an untargeted media buy); a seed out of the market is a wasted
impression.

**Spread.** An independent cascade (Kempe, Kleinberg & Tardos 2003) over the social graph as
it is at launch (:func:`independent_cascade`): every reached person gets one chance to pass
the ad to each contact not yet reached, with probability ``min(1, share_probability * q)``.
Everyone in the market passes it on, employed or seeking (sharing costs nothing); people out
of the market neither see nor share it. The spread is instantaneous: one breadth-first pass
at launch (a campaign's weeks are short against the model's months), so the reach is known at
once and the campaign needs no timers.

**Applications.** In the order reached, a reached seeker applies with probability
``1 - (1 - apply_probability)^brand`` and a reached employed person likewise with
``apply_probability_employed`` (``brand`` is the company's brand strength at launch, median
1 for SMEs at the start: a known employer's ad draws more applicants, a firm without a brand
draws none)
to one of the company's open vacancies (one asking for their skill if there is one, else the
first), through the ``campaign`` channel; the market's usual fit and wage rules decide, so an
employed person is hired only if the offer beats their pay by the switch premium.
Applications stop when the company has no open vacancy left.

**Money.** The budget goes from the company to ``("outside", 0)`` in the ledger
(``campaign_spend``). A campaign *pays* if its cost per hire (budget / hires) is below the
platform's ``fee_per_hire``, the price of the alternative paid channel.

Outputs: the ``campaigns`` table (one row per campaign), monthly columns ``campaigns``,
``campaign_reach``, ``campaign_spend`` (and ``hires_campaign`` through the channel), company
columns and summary numbers by size class. The mechanism draws only from the run's
``campaigns`` stream.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from operator import getitem

import numpy as np
import pandas as pd

from netsim.engine.hooks import Hooks, MonthEnd, VacancyClosed
from netsim.engine.rng import FastStream
from netsim.market.ledger import OUTSIDE
from netsim.market.services import MarketServices
from netsim.scenario.campaigns_schema import CampaignClass
from netsim.scenario.schema import Scenario

#: Size classes in the order of the world's codes (0 = SME, 1 = large).
CLASSES = ("sme", "large")


def expected_seeds(budget: float, a: float, b: float, production: float = 0.0) -> float:
    """The real-valued seed curve ``a * ((budget - production) / 1000)^b`` (currency).

    Zero for a budget at or below the ``production`` cost, concave above it (``b <= 1``).
    """
    media = budget - production
    return a * (media / 1000.0) ** b if media > 0.0 else 0.0


def seed_count(budget: float, a: float, b: float, cap: int, production: float = 0.0) -> int:
    """Seeds a ``budget`` buys: ``ceil(expected_seeds(...))``, at most ``cap`` (see there)."""
    return min(cap, math.ceil(expected_seeds(budget, a, b, production) - 1e-12))


def bernoulli_successes(size: int, p: float, gen: np.random.Generator) -> np.ndarray:
    """Positions of the successes among ``size`` independent trials of probability ``p``.

    Drawn as geometric gaps between successes (``~p * size`` draws, not ``size``): the same
    law as one uniform per trial.
    """
    if p >= 1.0:
        return np.arange(size)
    if size <= 0 or p <= 0.0:
        return np.empty(0, dtype=np.int64)
    expect = size * p
    # A gap past the end means no more successes; clipping it keeps the sums in range when
    # p is tiny (a geometric draw can then be near the int64 limit).
    gaps = np.minimum(gen.geometric(p, int(expect + 4.0 * math.sqrt(expect) + 8.0)), size + 1)
    pos = gaps.cumsum() - 1
    while pos[-1] < size:  # rare: more successes than drawn for; draw on
        more = np.minimum(gen.geometric(p, int(expect / 4.0) + 8), size + 1)
        pos = np.concatenate([pos, more.cumsum() + pos[-1]])
    return pos[: pos.searchsorted(size)]


#: Flat adjacency ``(start, stop, indices, changed)``, ``changed`` a boolean per person: see
#: :meth:`netsim.world.network.SocialNetwork.adjacency_arrays`.
AdjacencyArrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def independent_cascade(
    seeds: Iterable[int],
    adjacency: Sequence[Sequence[int]],
    p: float,
    gen: np.random.Generator,
    active: Callable[[np.ndarray], np.ndarray] | None = None,
    arrays: AdjacencyArrays | None = None,
) -> list[int]:
    """The people an independent cascade from ``seeds`` reaches, in breadth-first order.

    ``adjacency[u]`` lists person ``u``'s contacts (people are ints >= 0). Each reached person
    tries once, with probability ``p``, to pass to each contact not yet reached; only active
    people can be reached, seeds included. ``active(ids)`` maps an integer array of people to
    a boolean array (None: everyone is active). Draws come from ``gen``. ``arrays``, if
    given, holds the same contact lists as flat arrays (all but those of the people it
    marks changed), which are read instead of the lists.

    The cascade runs a level at a time over arrays: the edges out of the current frontier
    are numbered, the successful trials among them drawn at once
    (:func:`bernoulli_successes`), and the people hit who are not yet reached (and are
    active) form the next level, in the order of their first hit. The order the trials run
    in does not change the distribution of the reached set (it is the set reachable over the
    edges whose trial succeeds: the live-edge form of Kempe, Kleinberg & Tardos 2003), so
    this equals the one-person-at-a-time cascade in law, at a fraction of its cost in Python
    (a campaign reaches ~10,000 of 100,000 people).
    """
    return cascade_reach(seeds, adjacency, p, gen, active, arrays).tolist()


def cascade_reach(
    seeds: Iterable[int],
    adjacency: Sequence[Sequence[int]],
    p: float,
    gen: np.random.Generator,
    active: Callable[[np.ndarray], np.ndarray] | None = None,
    arrays: AdjacencyArrays | None = None,
) -> np.ndarray:
    """:func:`independent_cascade` as an integer array (for callers that go on over arrays)."""
    frontier = np.fromiter(dict.fromkeys(seeds), dtype=np.int64)  # distinct, in given order
    if active is not None and frontier.size:
        frontier = frontier[active(frontier)]
    if p <= 0.0 or frontier.size == 0:
        return frontier
    size = len(arrays[0]) if arrays is not None else int(frontier.max()) + 1
    seen = np.zeros(size, dtype=bool)
    seen[frontier] = True
    reached = [frontier]
    while frontier.size:
        degree, contact = _edges_out(frontier, adjacency, arrays)
        ends = degree.cumsum()
        won = bernoulli_successes(int(ends[-1]), p, gen)
        if won.size == 0:
            break
        owner = ends.searchsorted(won, side="right")
        hits = contact(owner, won - (ends[owner] - degree[owner]))
        if hits.max() >= seen.size:
            seen = np.concatenate([seen, np.zeros(int(hits.max()) + 1 - seen.size, dtype=bool)])
        hits = hits[~seen[hits]]
        frontier = _first_hits(hits)
        if active is not None and frontier.size:
            frontier = frontier[active(frontier)]
        seen[frontier] = True
        reached.append(frontier)
    return np.concatenate(reached)


#: Up to this many hits, the first hit of each person is found with a dict, not a sort.
_SMALL_HITS = 128


def _first_hits(hits: np.ndarray) -> np.ndarray:
    """The distinct people among ``hits``, in the order of their first hit.

    A hash table, not a sort (``np.unique`` then a sort of the first positions costs 4-8
    times as much on the large levels of a campaign): a dict for a few hits, else
    :func:`pandas.unique`, which keeps the order of appearance.
    """
    if hits.size <= _SMALL_HITS:
        return np.fromiter(dict.fromkeys(hits.tolist()), dtype=np.int64)
    return pd.unique(hits)


def _edges_out(
    frontier: np.ndarray, adjacency: Sequence[Sequence[int]], arrays: AdjacencyArrays | None
) -> tuple[np.ndarray, Callable[[np.ndarray, np.ndarray], np.ndarray]]:
    """The frontier's degrees, and ``contact(k, j)``: the ``j``-th contact of its ``k``-th person.

    People are taken in a fixed order: those read from the flat arrays first, then those
    read from their lists.
    """
    if arrays is None:
        listed, n_flat = frontier, 0
    else:
        starts, stops, indices, changed = arrays
        moved = changed[frontier]
        flat, listed = frontier[~moved], frontier[moved]
        n_flat = flat.size
        start = starts[flat]
        flat_degree = stops[flat] - start
    lists = list(map(adjacency.__getitem__, listed.tolist()))
    list_degree = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    degree = list_degree if arrays is None else np.concatenate([flat_degree, list_degree])

    def contact(k: np.ndarray, j: np.ndarray) -> np.ndarray:
        out = np.empty(k.size, dtype=np.int64)
        in_flat = k < n_flat
        if n_flat:
            out[in_flat] = indices[start[k[in_flat]] + j[in_flat]]
        rest = ~in_flat
        if rest.any():
            lk, lj = (k[rest] - n_flat).tolist(), j[rest].tolist()
            out[rest] = np.fromiter(map(getitem, map(lists.__getitem__, lk), lj), np.int64, len(lk))
        return out

    return degree, contact


def launches(policy: CampaignClass, quality: float, open_vacancies: int) -> bool:
    """Whether a company of a class with ``policy`` launches an idea of ``quality``."""
    if quality < policy.min_quality:
        return False
    return open_vacancies > 0 or not policy.needs_open_vacancy


class Campaigns:
    """Viral job campaigns attached to one labour market (see the module docstring)."""

    def __init__(
        self, scenario: Scenario, market: MarketServices, hooks: Hooks, gen: np.random.Generator
    ) -> None:
        self.cfg = cfg = scenario.campaigns
        self.fee = scenario.platform.fee_per_hire
        self.market = market
        self.gen = gen
        self.rand = FastStream(gen)
        self.policies = (cfg.sme, cfg.large)
        size = np.asarray(market.world.companies.size_class)
        self.members = [np.flatnonzero(size == k).tolist() for k in range(len(CLASSES))]
        self.rates = [
            pol.idea_rate_per_month * len(mem)
            for pol, mem in zip(self.policies, self.members, strict=True)
        ]
        # Open market vacancies per company, with positions for O(1) removal.
        self.open: dict[int, list[int]] = {}
        self.pos: dict[int, int] = {}
        self.rows: dict[str, list] = {k: [] for k in _COLUMNS}
        self.month = dict.fromkeys(("campaigns", "campaign_reach", "campaign_spend"), 0)
        self.month["campaign_spend"] = 0.0
        self.hires_all = 0
        self.hires_campaign = 0
        hooks.vacancy_posted.append(self._on_posted)
        hooks.vacancy_closed.append(self._on_closed)
        hooks.month_end.append(self._on_month_end)

    # ------------------------------------------------------------------ vacancies
    def _on_posted(self, v: int) -> None:
        c = self.market.vacancy_company(v)
        lst = self.open.get(c)
        if lst is None:
            lst = self.open[c] = []
        self.pos[v] = len(lst)
        lst.append(v)

    def _on_closed(self, ev: VacancyClosed) -> None:
        p = self.pos.pop(ev.vacancy, None)
        if p is None:  # an internal vacancy, never on the market
            return
        lst = self.open[ev.company]
        last = lst.pop()
        if last != ev.vacancy:
            lst[p] = last
            self.pos[last] = p

    # ------------------------------------------------------------------ ideas
    def start(self) -> None:
        """Nothing to set up at time 0 (ideas come from :meth:`processes`)."""

    def processes(self) -> list:
        """The aggregate Poisson process of campaign ideas."""
        return [self._ideas()]

    def _ideas(self):
        total = sum(self.rates)
        if total <= 0.0:
            return
        m, rand = self.market, self.rand
        sigma = self.cfg.quality_sigma
        while True:
            yield m.timeout(rand.exponential(total))
            m.count_event()
            k = 0 if rand.random() * total < self.rates[0] else 1
            c = rand.choice(self.members[k])
            if not m.company_alive(c):
                continue  # a dormant slot or a closed firm: ideas come per firm in business
            quality = math.exp(sigma * rand.normal() - 0.5 * sigma * sigma)
            pol = self.policies[k]
            if launches(pol, quality, len(self.open.get(c, ()))):
                budget = pol.budget * math.exp(pol.budget_sigma * rand.normal())
                self.launch(c, k, budget, quality)

    # ------------------------------------------------------------------ one campaign
    def launch(self, c: int, size_class: int, budget: float, quality: float) -> dict:
        """Run one campaign of company ``c`` now; returns its row of the campaigns table."""
        m, cfg = self.market, self.cfg
        t = m.now
        m.ledger.pay(t, ("company", c), OUTSIDE, budget, "campaign_spend")
        n = m.n_workers
        k = seed_count(budget, cfg.seeds_per_1000, cfg.seed_elasticity, n, cfg.production_cost)
        seeds = self.gen.choice(n, size=k, replace=False).tolist() if k else []
        codes, out = m.state_codes(), m.OUT

        def in_market(ids: np.ndarray) -> np.ndarray:
            return codes[ids] != out

        net = m.network
        reached = cascade_reach(
            seeds,
            net.neighbours,
            min(1.0, cfg.share_probability * quality),
            self.gen,
            in_market,
            net.adjacency_arrays(),
        )
        seekers, applications, hires = self._apply_all(c, reached)
        row = {
            "company": c,
            "size_class": CLASSES[size_class],
            "time_months": t,
            "budget": budget,
            "seeds": k,
            "quality": quality,
            "reach": len(reached),
            "seekers_reached": seekers,
            "applications": applications,
            "hires": hires,
            "cost_per_hire": budget / hires if hires else math.inf,
        }
        for key, val in row.items():
            self.rows[key].append(val)
        mo = self.month
        mo["campaigns"] += 1
        mo["campaign_reach"] += len(reached)
        mo["campaign_spend"] += budget
        return row

    def _apply_all(self, c: int, reached: np.ndarray) -> tuple[int, int, int]:
        """Let the reached people apply to company ``c``; (seekers reached, applications, hires).

        Who would apply is drawn at once over arrays (one uniform per person reached, from
        the campaigns stream); they then apply in the order reached while ``c`` has a
        vacancy open. The same law as a draw per person in a loop, but only the applicants
        cost Python work: a campaign reaches thousands of people, a few dozen apply.
        """
        m, cfg = self.market, self.cfg
        skills = m.skills
        seeking = m.state_codes()[reached] == m.SEEKING
        seekers = int(np.count_nonzero(seeking))
        open_c = self.open.get(c, [])
        if not open_c:
            return seekers, 0, 0
        brand = m.brand(c)  # today's brand: it moves when firms live (§7.18)
        p_seeker = 1.0 - (1.0 - cfg.apply_probability) ** brand
        p_employed = 1.0 - (1.0 - cfg.apply_probability_employed) ** brand
        chance = np.where(seeking, p_seeker, p_employed)
        applications = hires = 0
        for j in np.flatnonzero(self.gen.random(len(reached)) < chance).tolist():
            i = int(reached[j])
            if m.employer(i) == c:
                continue
            applications += 1
            v = next((v for v in open_c if m.vacancy_skill(v) == skills[i]), open_c[0])
            hires += m.apply(i, v, "campaign")
            if not open_c:  # the last vacancy filled: nobody else applies
                break
        return seekers, applications, hires

    # ------------------------------------------------------------------ outputs
    def _on_month_end(self, ev: MonthEnd) -> None:
        if ev.month > 0:  # the summary's hire shares count months 1..horizon
            self.hires_all += ev.row.get("hires", 0)
            self.hires_campaign += ev.row.get("hires_campaign", 0)
        ev.row.update(self.month)
        self.month = {"campaigns": 0, "campaign_reach": 0, "campaign_spend": 0.0}

    def table(self) -> pd.DataFrame:
        """One row per campaign (see :data:`_COLUMNS`)."""
        df = pd.DataFrame({k: pd.Series(v, dtype=_COLUMNS[k]) for k, v in self.rows.items()})
        df["size_class"] = pd.Categorical(df["size_class"], categories=list(CLASSES))
        return df

    def tables(self) -> dict:
        """The ``campaigns`` table."""
        return {"campaigns": self.table()}

    def company_columns(self) -> dict:
        """Campaigns launched, spend (currency) and campaign hires per company."""
        n = self.market.n_companies
        df = self.table()
        out = {}
        for name, col, how in (
            ("campaigns", "budget", "size"),
            ("campaign_spend", "budget", "sum"),
            ("campaign_hires", "hires", "sum"),
        ):
            agg = df.groupby("company")[col].agg(how) if len(df) else pd.Series(dtype=float)
            arr = np.zeros(n, dtype=np.float64 if how == "sum" and col == "budget" else np.int64)
            arr[agg.index.to_numpy(dtype=np.int64)] = agg.to_numpy()
            out[name] = arr
        return out

    def summary(self, t_months: float) -> dict:
        """Headline numbers: hire share of the channel, and per size class counts and costs.

        ``campaign_cost_per_hire_<class>`` is total spend / total hires (inf without hires);
        ``campaign_paid_share_<class>`` the share of campaigns whose cost per hire was below
        the platform's fee per hire.
        """
        df = self.table()
        out: dict = {
            "hire_share_campaign": (
                self.hires_campaign / self.hires_all if self.hires_all else 0.0
            ),
            "campaigns": len(df),
            "campaign_spend": float(df["budget"].sum()),
        }
        for k in CLASSES:
            d = df[df["size_class"] == k]
            spend, hires = float(d["budget"].sum()), int(d["hires"].sum())
            out[f"campaigns_{k}"] = len(d)
            out[f"campaign_hires_{k}"] = hires
            out[f"campaign_reach_mean_{k}"] = float(d["reach"].mean()) if len(d) else math.nan
            out[f"campaign_cost_per_hire_{k}"] = spend / hires if hires else math.nan
            out[f"campaign_paid_share_{k}"] = (
                float((d["cost_per_hire"] < self.fee).mean()) if len(d) else math.nan
            )
        return out


#: Columns of the campaigns table and their dtypes (money in currency, time in months).
_COLUMNS = {
    "company": "int64",
    "size_class": "object",
    "time_months": "float64",
    "budget": "float64",
    "seeds": "int64",
    "quality": "float64",
    "reach": "int64",
    "seekers_reached": "int64",
    "applications": "int64",
    "hires": "int64",
    "cost_per_hire": "float64",
}
