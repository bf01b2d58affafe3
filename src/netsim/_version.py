"""The installed version of netsim, for modules that must not import the package root.

Importing ``netsim`` itself from inside the package would close an import cycle (the root
imports the API, which imports the rest), so modules read the version from here.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("netsim")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"
