"""The labour market of one run: its state plus one mixin per concept.

==================================  ===================================================
module                              concept
==================================  ===================================================
:mod:`netsim.market.state`          workers, companies, vacancies; employ / unemploy
:mod:`netsim.market.workers`        per-worker competing-risks timers and their events
:mod:`netsim.market.vacancies`      open, post, expire, close; the growth process
:mod:`netsim.market.hiring`         applications, offers and the hire itself
:mod:`netsim.market.search`         channel: open-market search
:mod:`netsim.market.word_of_mouth`  channel: word of mouth
:mod:`netsim.market.internal`       channel: internal pool of large companies
:mod:`netsim.market.separations`    quits, dismissals, probation, exit and re-entry
:mod:`netsim.market.ties`           colleague ties
:mod:`netsim.market.gigs`           freelancers, projects and gigs
:mod:`netsim.market.lifecycle`      firms enter and close; brands and policies change
==================================  ===================================================

The mixins share the state's attributes (plain lists, read on every event), so splitting
the market by concept costs nothing per event. Mechanisms never use these attributes: they
subscribe to :attr:`LabourMarket.hooks` and act through :meth:`LabourMarket.services`.
"""

from __future__ import annotations

from netsim.engine.timers import starting
from netsim.market.gigs import Gigs
from netsim.market.hiring import Hiring
from netsim.market.internal import InternalPool
from netsim.market.lifecycle import FirmLifecycle
from netsim.market.search import OpenMarketSearch
from netsim.market.separations import Separations
from netsim.market.services import MarketServices
from netsim.market.state import MarketState
from netsim.market.ties import ColleagueTies
from netsim.market.vacancies import Vacancies
from netsim.market.word_of_mouth import WordOfMouth
from netsim.market.workers import WorkerEvents


class LabourMarket(
    MarketState,
    WorkerEvents,
    Vacancies,
    Hiring,
    OpenMarketSearch,
    WordOfMouth,
    InternalPool,
    Separations,
    ColleagueTies,
    Gigs,
    FirmLifecycle,
):
    """Workers, companies and vacancies of one run, with every hiring channel and separation.

    Build it from a scenario and a :class:`~netsim.world.build.World`, let mechanisms
    subscribe to :attr:`hooks`, then call :meth:`populate`; its SimPy processes are
    :meth:`processes`.
    """

    def services(self) -> MarketServices:
        """The facade through which mechanisms query and act on this market."""
        return MarketServices(self)

    def processes(self) -> list:
        """The market's aggregate SimPy processes, in order: vacancy growth, colleague ties,
        and project demand (only with freelancing on)."""
        procs = [self._growth_process(), starting(self._start_colleague_ties)]
        if self.freelancers:
            procs.append(starting(self._start_projects))
        return procs
