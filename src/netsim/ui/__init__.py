"""Room ``ui``: the lecture in the browser (``netsim ui``), above every other room.

A local web app (Panel on a Bokeh server) in which a lecturer picks or uploads a scenario,
sets the keys that matter in a lecture with widgets, and runs the model live month by month
(:meth:`netsim.model.simulation.Simulation.advance`), with charts that grow as month rows
come in, a compare mode (two variants on the same world and seed) and exports (run folder,
scenario YAML, chart PNGs). :mod:`~netsim.ui.settings` and :mod:`~netsim.ui.live` hold the
logic and need no web library; :mod:`~netsim.ui.app` and :mod:`~netsim.ui.charts` import
Panel and Bokeh (the ``ui`` extra: ``pip install 'netsim[ui]'``) only when the app starts.
"""
