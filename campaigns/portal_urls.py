from django.urls import path

from campaigns import portal_payments, portal_views

urlpatterns = [
    path("", portal_views.portal_home, name="portal_home"),
    path("received/", portal_views.portal_received, name="portal_received"),
    path("payment/", portal_views.portal_payee, name="portal_payee"),
    path(
        "deliverables/<int:deliverable_id>/draft/", portal_views.portal_draft, name="portal_draft"
    ),
    path("deliverables/<int:deliverable_id>/post/", portal_views.portal_post, name="portal_post"),
    path(
        "deliverables/<int:deliverable_id>/insights/",
        portal_views.portal_insights,
        name="portal_insights",
    ),
    path("files/<int:media_id>/", portal_views.portal_media, name="portal_media"),
    path("brief/<int:asset_id>/", portal_views.portal_brief_asset, name="portal_brief_asset"),
    path("payments/", portal_payments.portal_payments, name="portal_payments"),
    path(
        "payments/<int:installment_id>/request/",
        portal_payments.portal_payment_request,
        name="portal_payment_request",
    ),
    path(
        "payments/<int:installment_id>/invoice/",
        portal_payments.portal_invoice,
        name="portal_invoice",
    ),
]

# replaced by the signing branch (its real receipt page keeps this name and path)
urlpatterns.append(
    path(
        "receipts/<int:installment_id>/",
        portal_payments.portal_receipt_standin,
        name="portal_receipt",
    )
)
