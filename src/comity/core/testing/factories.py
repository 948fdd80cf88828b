"""factory_boy factories for core records, and a helper to make users with clearances."""

from __future__ import annotations

import factory

from comity.core import services
from comity.core.models import User
from comity.core.roles import role_grant

#: The password every factory-made user has (test accounts only).
TEST_PASSWORD = "a-long-test-password"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    nationality = "NLD"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)


def make_user(
    nation: str = "NLD",
    clearance: str | None = None,
    *,
    policy: str = "NATO",
    roles: tuple[str, ...] = (),
    **kwargs: object,
) -> User:
    """A saved user of ``nation`` holding ``clearance`` (e.g. "SECRET") in ``policy``.

    ``roles`` are ``"editor"`` (within the user's nation) or ``"programme_manager:NATO"``.
    """
    user = UserFactory(nationality=nation, **kwargs)
    user.save()
    if clearance:
        services.user_set_clearance(acting_user=None, user=user, policy=policy, level=clearance)
    for held in roles:
        role, _, scope = held.partition(":")
        role_grant(acting_user=None, user=user, role=role, scope=scope or nation)
    return user
