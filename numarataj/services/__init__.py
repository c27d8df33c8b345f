"""Numarataj services: the domain logic behind views and commands, one job per module."""
