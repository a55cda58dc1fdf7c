"""What the API, the bot and the domain packages share: closed sets, log masking, the USCC check.

It imports nothing else of zonedesk, so every other package may import it.
"""
