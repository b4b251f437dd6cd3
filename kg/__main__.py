"""`python -m kg` runs the command line, as the `kg` script does."""

from .cli import main

main()
