"""``python -m netsim``: the same as the ``netsim`` command."""

from netsim.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
