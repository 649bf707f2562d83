"""`python -m cockpit.cli`."""

from cockpit.cli import main

main()
