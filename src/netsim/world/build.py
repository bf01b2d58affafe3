"""The world of one run: its workers, companies and social network, built from a scenario."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netsim.scenario.schema import Scenario
from netsim.world.graphs import GRAPH_GENERATORS, PeopleAttributes
from netsim.world.network import SocialNetwork
from netsim.world.population import Companies, Workers, draw_companies, draw_workers

#: Generators whose ties come from a file (their tie origin is 'file', not 'initial').
FILE_GENERATORS = ("edge_list", "graphml")


@dataclass(eq=False)
class World:
    """What the market runs on: static worker and company attributes and the social network.

    The network changes during a run (ties form); the attribute arrays do not.
    """

    workers: Workers
    companies: Companies
    net: SocialNetwork
    region: np.ndarray  #: int32 per worker, the generator's 'region' node attribute or -1


def build_world(
    scenario: Scenario, population: np.random.Generator, graph: np.random.Generator
) -> World:
    """Draw workers and companies from ``population`` and the initial graph from ``graph``.

    The ``population`` stream is used again afterwards (by the market to fill positions),
    so the order of its draws here is part of a run's identity.
    """
    workers = draw_workers(scenario, population)
    companies = draw_companies(scenario, population)
    g = scenario.graph
    cls = GRAPH_GENERATORS.get(g.generator)
    params = cls.Params.model_validate(g.params)
    people = PeopleAttributes(
        n=workers.n, skill=workers.skill, vital=workers.vital, degree_weight=workers.degree_weight
    )
    if not cls.uses_degree_weight and np.unique(workers.degree_weight).size > 1:
        raise ValueError(
            f"graph generator {g.generator!r} cannot honour "
            "population.vital_forces.degree_multiplier != 1; set it to 1"
        )
    origin = "file" if g.generator in FILE_GENERATORS else "initial"
    start = -float(scenario.burn_in_months)  # the ties exist from the start of the burn-in
    generator = cls()
    # Generators that draw ties as arrays skip the NetworkX graph (a minute at 1M workers).
    edges = generator.build_edges(people, params, graph)
    if edges is not None:
        net = SocialNetwork.from_edges(
            workers.n,
            edges.u,
            edges.v,
            strength=g.initial_tie_strength,
            origin=origin,
            time_months=start,
        )
        regions = np.full(workers.n, -1) if edges.region is None else edges.region
        return World(workers, companies, net, np.asarray(regions, dtype=np.int32))
    nx_graph = generator.build(people, params, graph)
    net = SocialNetwork.from_networkx(
        nx_graph, strength=g.initial_tie_strength, origin=origin, time_months=start
    )
    regions = [nx_graph.nodes[i].get("region", -1) for i in range(workers.n)]
    return World(workers, companies, net, np.asarray(regions, dtype=np.int32))
