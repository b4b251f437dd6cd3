"""`python -m kg` runs the command line, as the `kg` script does."""

from kg.cli.commands import main

main()
