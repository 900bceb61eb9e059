"""A person's data: export and erasure (SPEC §11.11). See ``services`` for the rules and
``registry`` for how each app plugs in its part."""

from saleshelm.people.privacy.registry import (
    PrivacyProvider,
    privacy_providers,
    register_privacy_provider,
    unregister_privacy_provider,
)
from saleshelm.people.privacy.services import (
    ERASED_DOMAIN,
    EXPORT_FORMAT,
    Erasure,
    is_erased,
    member_erase,
    member_export,
    placeholder_email,
)

__all__ = [
    "ERASED_DOMAIN",
    "EXPORT_FORMAT",
    "Erasure",
    "PrivacyProvider",
    "is_erased",
    "member_erase",
    "member_export",
    "placeholder_email",
    "privacy_providers",
    "register_privacy_provider",
    "unregister_privacy_provider",
]
