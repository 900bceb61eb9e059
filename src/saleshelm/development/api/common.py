"""Schema pieces shared by the development API."""

from ninja import Schema


class MemberRef(Schema):
    id: int
    name: str
    email: str

    @staticmethod
    def resolve_name(m) -> str:
        return m.user.get_full_name()

    @staticmethod
    def resolve_email(m) -> str:
        return m.user.email


class CompetencyRef(Schema):
    id: int
    name: str


class DealRef(Schema):
    id: int
    name: str


def member_or_none(actor, id_):
    from saleshelm.people.selectors import access_member

    return None if id_ is None else access_member(actor=actor, id=id_)


def competency_or_none(actor, id_):
    from saleshelm.development.selectors import access_competency

    return None if id_ is None else access_competency(actor=actor, id=id_)


def opportunity_or_none(actor, id_):
    from saleshelm.crm.selectors import access_opportunity

    return None if id_ is None else access_opportunity(actor=actor, id=id_)


def activity_or_none(actor, id_):
    from saleshelm.crm.selectors import access_activity

    return None if id_ is None else access_activity(actor=actor, id=id_)
