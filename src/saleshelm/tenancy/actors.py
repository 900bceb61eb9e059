"""Who is acting. Every service and selector takes an actor: a Membership, or the system
(the CLI, the scheduler) acting inside one organisation with admin rights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from saleshelm.tenancy.roles import Role

if TYPE_CHECKING:
    from saleshelm.tenancy.models import Membership, Organisation


@dataclass(frozen=True)
class SystemActor:
    organisation: Organisation
    label: str = "system"
    role: str = Role.ADMIN
    pk: None = None
    user: None = None

    @property
    def organisation_id(self) -> int:
        return self.organisation.pk

    @property
    def email(self) -> str:
        return self.label

    @property
    def name(self) -> str:
        return self.label


Actor = Union["Membership", SystemActor]
