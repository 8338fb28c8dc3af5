"""Helpers used only by the test suite."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with small costs, so that tests that sign in stay fast."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
