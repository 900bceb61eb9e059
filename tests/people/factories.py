import factory

from saleshelm.people.models import RoleProfile, Team, Territory
from tests.tenancy.factories import OrganisationFactory


class _TreeFactory(factory.django.DjangoModelFactory):
    """Builds tree nodes with correct materialised paths (as the services would)."""

    organisation = factory.SubFactory(OrganisationFactory)
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.path = "/pending/"
        obj.save()
        parent = obj.parent
        obj.path = f"{parent.path if parent else '/'}{obj.pk}/"
        obj.depth = parent.depth + 1 if parent else 0
        obj.save(update_fields=["path", "depth"])
        return obj


class TeamFactory(_TreeFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    manager = None


class TerritoryFactory(_TreeFactory):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Territory {n}")


class RoleProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleProfile

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Account Executive {n}")
    key_tasks = factory.LazyFunction(lambda: ["Prospect new accounts", "Close deals"])
    kpis = factory.LazyFunction(lambda: [{"name": "Revenue", "metric": "revenue", "measure": ""}])
