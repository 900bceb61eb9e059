"""Menu entries of the import and export pages (see ``saleshelm.web.navigation``)."""

from django.utils.translation import gettext_lazy as _

from saleshelm.imports.permissions import JOB_READERS
from saleshelm.web.navigation import register

register(
    key="imports.imports",
    section="sales",
    label=_("Import"),
    url_name="imports:index",
    roles=JOB_READERS,
    order=80,
    active_for=("imports:upload", "imports:job", "imports:mapping", "imports:preview"),
)
register(
    key="imports.export", section="sales", label=_("Export"), url_name="imports:export", order=90
)
