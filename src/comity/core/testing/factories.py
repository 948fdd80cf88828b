"""factory_boy factories for core records, and a helper to make users with clearances."""

from __future__ import annotations

import factory

from comity.core import services
from comity.core.models import User

#: The password every factory-made user has (test accounts only).
TEST_PASSWORD = "a-long-test-password"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    nationality = "NLD"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)


def make_user(nation: str = "NLD", clearance: str | None = None, *, policy: str = "NATO", **kwargs: object) -> User:
    """A saved user of ``nation`` holding ``clearance`` (e.g. "SECRET") in ``policy``."""
    user = UserFactory(nationality=nation, **kwargs)
    user.save()
    if clearance:
        services.user_set_clearance(acting_user=None, user=user, policy=policy, level=clearance)
    return user
