"""aligner: pair, split and align Italian-English news dispatches.

The library takes and returns in-memory values; files are read in
:mod:`aligner.load` and written in :mod:`aligner.write`. The command-line
application lives in the separate ``cli`` package.
"""

__version__ = "0.1.0"
