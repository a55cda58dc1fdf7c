"""`python -m zonedesk`."""

from zonedesk.cli import main

main()
