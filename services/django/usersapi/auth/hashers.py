"""Django's Argon2 hasher with argon2-cffi's own defaults (RFC 9106 low-memory profile).

Django's defaults (8 lanes, 100 MiB) cost ~0.7 s per login on a 2-core host; argon2-cffi's
are the library's recommended parameters and keep argon2id.
"""

from __future__ import annotations

from argon2.profiles import RFC_9106_LOW_MEMORY
from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = RFC_9106_LOW_MEMORY.time_cost
    memory_cost = RFC_9106_LOW_MEMORY.memory_cost
    parallelism = RFC_9106_LOW_MEMORY.parallelism
