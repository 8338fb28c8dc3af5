"""Settings for the test suite: the real settings, with test mode on and a cheaper Argon2."""

import os

os.environ.setdefault("TANU_TESTING", "1")

from tanu.settings import *  # noqa: F403

PASSWORD_HASHERS = ["tanu.lib.testing.FastArgon2PasswordHasher"]
# Most tests exercise roles without a second factor; the MFA tests switch it on explicitly.
TANU_REQUIRE_MFA = False
