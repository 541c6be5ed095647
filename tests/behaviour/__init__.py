"""Behaviour of the users API, one module per area of the design."""
