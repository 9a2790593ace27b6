"""The units directives go to (sở, ban, ngành, quận, phường) as an event-sourced registry."""
