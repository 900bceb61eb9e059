"""Words that mean different things in different apps carry a context (pgettext), so the
Vietnamese of one app does not overwrite another's: Django merges every app's catalogue into
one, and the first app in INSTALLED_APPS wins a plain msgid."""

import pytest
from django.utils import translation

from saleshelm.development.forms import FeedbackRequestForm
from saleshelm.development.models.coaching import PlanStatus
from saleshelm.incentives.forms_motivation import AwardForm
from saleshelm.incentives.models.runs import LineKind
from saleshelm.people.models import MemberProfile


@pytest.mark.parametrize(
    ("label", "vietnamese"),
    [
        (lambda: LineKind.OVERRIDE.label, "Hoa hồng quản lý"),  # not performance's "Điều chỉnh"
        (lambda: AwardForm.base_fields["member"].label, "Trao cho"),  # not crm's "Đến"
        (lambda: PlanStatus.ACTIVE.label, "Đang thực hiện"),
        (lambda: FeedbackRequestForm.base_fields["due_date"].label, "Trước ngày"),
        (lambda: MemberProfile._meta.get_field("title").verbose_name, "chức danh"),
    ],
)
def test_a_word_with_a_context_keeps_its_own_vietnamese(label, vietnamese):
    with translation.override("vi"):
        assert str(label()).lower() == vietnamese.lower()
