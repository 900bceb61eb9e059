from django.contrib import admin
from django.urls import include, path

from saleshelm.api.urls import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("saleshelm.people.urls")),
    path("", include("saleshelm.development.urls")),
    path("", include("saleshelm.crm.urls")),
    path("", include("saleshelm.direction.urls")),
    path("", include("saleshelm.imports.urls")),
    path("", include("saleshelm.performance.urls")),
    path("", include("saleshelm.incentives.urls_motivation")),
    path("", include("saleshelm.web.urls")),
]
