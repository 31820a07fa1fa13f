"""The ``aligner`` command-line application (typer); a thin layer over the library."""
