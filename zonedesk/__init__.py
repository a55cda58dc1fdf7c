"""zonedesk: the command line, the composition root of the packages."""
