from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from focalpoints.permissions import can_use_admin
from ideas_lab.urls import inbound_urlpatterns
from portal_lib.exports import FORMAT_PATTERN
from rabat_portal import views
from rabat_portal.sitemaps import SITEMAPS

admin.site.site_header = _("Rabat Process: Secretariat")
admin.site.site_title = _("Rabat Process portal")
admin.site.index_title = _("Records of the Dialogue")
# The admin's login is allauth's: the same rate limits, two-factor step and password reset.
admin.site.login = secure_admin_login(admin.site.login)
handler400 = "rabat_portal.views.bad_request"


def admin_has_permission(request):
    # Staff are sent to the second factor by a middleware; the admin refuses on its own too,
    # so that none of its pages depends on that middleware alone.
    return can_use_admin(request.user)


admin.site.has_permission = admin_has_permission
handler403 = "rabat_portal.views.permission_denied"
handler404 = "rabat_portal.views.page_not_found"
handler500 = "rabat_portal.views.server_error"

urlpatterns = [
    # The admin's addresses of records whose app changed (bookmarks, links in old e-mails).
    *(
        re_path(
            rf"^admin/(?P<old>{old})/(?P<model>{'|'.join(models)})/(?P<rest>.*)$",
            views.moved_admin_page,
        )
        for old, models in views.MOVED_ADMIN_PAGES.items()
    ),
    # The Secretariat's work list, among the admin's pages (and in its language, as they are).
    path("admin/content-to-complete/", views.content_to_complete, name="content-to-complete"),
    path("admin/", admin.site.urls),
    # Outside the language prefix: the load balancer asks without a language or a cookie.
    path("health/", views.health, name="health"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap_index, {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    *inbound_urlpatterns,
    # The open-data API: one address per record whatever the language (``?lang=fr``).
    path("api/v1/", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("partners/", views.partner_list, name="partner-list"),
    re_path(
        rf"^partners/export\.(?P<file_format>{FORMAT_PATTERN})$",
        views.partner_list,
        name="partner-list-export",
    ),
    path("partners/<slug:slug>/", views.partner_detail, name="partner-detail"),
    path("search/", views.search, name="search"),
    path("private/", views.dashboard, name="dashboard"),
    path("accounts/", include("allauth.urls")),
    path("", include("focalpoints.urls")),
    path("", include("consultations.urls")),
    path("", include("actionplan.urls")),
    path("", include("meetings.urls")),
    path("", include("labelling.urls")),
    path("", include("ideas_lab.urls")),
    path("", include("digests.urls")),
    path("", include("stocktaking.urls")),
)
