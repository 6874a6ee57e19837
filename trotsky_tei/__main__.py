"""`python -m trotsky_tei` runs the command line."""

from .cli import main

main()
