from django.urls import path

from campaigns import portal_payments, portal_views
from campaigns.signing import portal as signing_portal

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
    path(
        "contract/<int:document_id>/sign/",
        portal_views.portal_contract_sign,
        name="portal_contract_sign",
    ),
    path(
        "documents/<int:document_id>.pdf",
        signing_portal.portal_document_pdf,
        name="portal_document_pdf",
    ),
    path(
        "documents/<int:document_id>-signed.pdf",
        signing_portal.portal_document_signed_pdf,
        name="portal_document_signed_pdf",
    ),
    path("receipts/<int:installment_id>/", signing_portal.portal_receipt, name="portal_receipt"),
]
