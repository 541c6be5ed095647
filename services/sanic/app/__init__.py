"""The users API on Sanic."""
