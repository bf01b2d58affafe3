"""Room ``mechanisms``: the world's living parts, each one module plugged into the engine.

What it holds: mechanisms of the labour market beyond search and separation, one module per
concept (firms that enter, exit and carry a moving brand; public posts and the screening of
applicants by their public record; ties that grow and fade; viral job campaigns). Each is a
class built from the scenario, the market's services
(:class:`netsim.market.services.MarketServices`) and the engine's hooks
(:mod:`netsim.engine.hooks`), with its own random stream; it may add columns, summary numbers
and tables to a run's outputs (:class:`netsim.engine.loop.MechanismOutputs`). Switched off
(the default), a mechanism is not attached and a run is unchanged.

What it may import: the rooms below it (``engine``, ``scenario``, ``world``, ``output``,
``market``; of the market only its services, state codes and ledger); never ``platform``,
``model`` or anything above.
"""
