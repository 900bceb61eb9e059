from django.urls import path

from saleshelm.crm.views import activities, deals, orders, records

app_name = "crm"
urlpatterns = [
    path("sales/board/", deals.pipeline_board, name="board"),
    path("sales/board/setup/", deals.pipeline_setup, name="pipeline_setup"),
    path("sales/opportunities/", deals.opportunity_list, name="opportunities"),
    path("sales/opportunities/new/", deals.opportunity_create, name="opportunity_new"),
    path("sales/opportunities/<int:pk>/", deals.opportunity_detail, name="opportunity"),
    path("sales/opportunities/<int:pk>/edit/", deals.opportunity_edit, name="opportunity_edit"),
    path("sales/opportunities/<int:pk>/move/", deals.opportunity_move, name="opportunity_move"),
    path("sales/accounts/", records.account_list, name="accounts"),
    path("sales/accounts/new/", records.account_create, name="account_new"),
    path("sales/accounts/<int:pk>/", records.account_detail, name="account"),
    path("sales/accounts/<int:pk>/edit/", records.account_edit, name="account_edit"),
    path("sales/contacts/", records.contact_list, name="contacts"),
    path("sales/contacts/new/", records.contact_create, name="contact_new"),
    path("sales/contacts/<int:pk>/", records.contact_detail, name="contact"),
    path("sales/contacts/<int:pk>/edit/", records.contact_edit, name="contact_edit"),
    path("sales/leads/", records.lead_list, name="leads"),
    path("sales/leads/new/", records.lead_create, name="lead_new"),
    path("sales/leads/<int:pk>/", records.lead_detail, name="lead"),
    path("sales/leads/<int:pk>/edit/", records.lead_edit, name="lead_edit"),
    path("sales/leads/<int:pk>/convert/", records.lead_convert, name="lead_convert"),
    path("sales/orders/", orders.order_list, name="orders"),
    path("sales/orders/<int:pk>/", orders.order_detail, name="order"),
    path("sales/orders/<int:pk>/cancel-line/", orders.order_line_cancel, name="order_line_cancel"),
    path("sales/orders/<int:pk>/return-line/", orders.order_line_return, name="order_line_return"),
    path("sales/products/", orders.product_list, name="products"),
    path("sales/products/new/", orders.product_create, name="product_new"),
    path("sales/products/<int:pk>/", orders.product_detail, name="product"),
    path("sales/products/<int:pk>/edit/", orders.product_edit, name="product_edit"),
    path("sales/activities/", activities.activity_list, name="activities"),
    path("sales/activities/add/", activities.activity_quick_add, name="activity_add"),
    path("sales/activities/<int:pk>/", activities.activity_detail, name="activity"),
]
