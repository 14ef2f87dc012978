from django.urls import path

from campaigns import invoice_views, payee_views, review_views, roster_views, views
from campaigns.contracts import views as contract_views
from campaigns.payouts import ledger_views as payout_views
from campaigns.signing import views as signing_views

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path(
        "creators/<int:creator_id>/history/", views.creator_history, name="campaign_creator_history"
    ),
    path("<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("<int:campaign_id>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:campaign_id>/kpis/", views.campaign_kpis, name="campaign_kpis"),
    path("<int:campaign_id>/budget/", views.campaign_budget, name="campaign_budget"),
    path("<int:campaign_id>/audience/", views.campaign_audience, name="campaign_audience"),
    path("<int:campaign_id>/brief/", views.campaign_brief, name="campaign_brief"),
    path("<int:campaign_id>/timeline/", views.campaign_timeline, name="campaign_timeline"),
    path("<int:campaign_id>/assets/", views.campaign_assets, name="campaign_assets"),
    path("<int:campaign_id>/roster/", roster_views.roster, name="campaign_roster"),
    path("<int:campaign_id>/roster/add/", roster_views.roster_add, name="roster_add"),
    path(
        "<int:campaign_id>/roster/candidates/",
        roster_views.roster_candidates,
        name="roster_candidates",
    ),
    path("<int:campaign_id>/roster/bulk/", roster_views.roster_bulk, name="roster_bulk"),
    path("brief-files/<int:asset_id>/", views.brief_asset_download, name="brief_asset_download"),
    path(
        "collaborations/<int:collaboration_id>/",
        roster_views.collaboration_detail,
        name="collaboration_detail",
    ),
    path(
        "collaborations/<int:collaboration_id>/payee/",
        payee_views.payee_detail,
        name="payee_detail",
    ),
    path(
        "collaborations/<int:collaboration_id>/payee/edit/",
        payee_views.payee_edit,
        name="payee_edit",
    ),
    path(
        "collaborations/<int:collaboration_id>/payee/reveal/",
        payee_views.payee_reveal,
        name="payee_reveal",
    ),
    path(
        "collaborations/<int:collaboration_id>/payee/nhi-proof/",
        payee_views.payee_nhi_proof,
        name="payee_nhi_proof",
    ),
    path(
        "collaborations/<int:collaboration_id>/installments/<int:installment_id>/invoice/",
        invoice_views.installment_invoice,
        name="installment_invoice",
    ),
    path(
        "collaborations/<int:collaboration_id>/edit/",
        roster_views.collaboration_edit,
        name="collaboration_edit",
    ),
    path(
        "collaborations/<int:collaboration_id>/move/",
        roster_views.collaboration_move,
        name="collaboration_move",
    ),
    path(
        "collaborations/<int:collaboration_id>/deliverables/new/",
        roster_views.deliverable_create,
        name="deliverable_create",
    ),
    path(
        "collaborations/<int:collaboration_id>/shipments/new/",
        roster_views.shipment_create,
        name="shipment_create",
    ),
    path(
        "collaborations/<int:collaboration_id>/received/",
        roster_views.product_received,
        name="collaboration_received",
    ),
    path(
        "collaborations/<int:collaboration_id>/portal/",
        roster_views.portal_link_create,
        name="portal_link_create",
    ),
    path(
        "collaborations/<int:collaboration_id>/portal/revoke/",
        roster_views.portal_link_revoke,
        name="portal_link_revoke",
    ),
    path(
        "collaborations/<int:collaboration_id>/payouts/",
        payout_views.collaboration_payouts,
        name="collaboration_payouts",
    ),
    path(
        "collaborations/<int:collaboration_id>/payouts/plan/",
        payout_views.installments_plan,
        name="installments_plan",
    ),
    path(
        "collaborations/<int:collaboration_id>/installments/new/",
        payout_views.installment_create,
        name="installment_create",
    ),
    path(
        "collaborations/<int:collaboration_id>/installments/<int:installment_id>/edit/",
        payout_views.installment_edit,
        name="installment_edit",
    ),
    path(
        "collaborations/<int:collaboration_id>/installments/<int:installment_id>/delete/",
        payout_views.installment_delete,
        name="installment_delete",
    ),
    path(
        "collaborations/<int:collaboration_id>/installments/<int:installment_id>/move/",
        payout_views.installment_move,
        name="installment_move",
    ),
    path(
        "collaborations/<int:collaboration_id>/contract/",
        contract_views.collaboration_contract,
        name="collaboration_contract",
    ),
    path(
        "collaborations/<int:collaboration_id>/contract.pdf",
        contract_views.collaboration_contract_pdf,
        name="collaboration_contract_pdf",
    ),
    path(
        "collaborations/<int:collaboration_id>/contract/issue/",
        signing_views.contract_issue,
        name="signing_contract_issue",
    ),
    path(
        "collaborations/<int:collaboration_id>/documents/<int:document_id>/",
        signing_views.document_detail,
        name="signing_document",
    ),
    path(
        "collaborations/<int:collaboration_id>/documents/<int:document_id>/sign/",
        signing_views.document_sign_brand,
        name="signing_document_sign",
    ),
    path(
        "collaborations/<int:collaboration_id>/documents/<int:document_id>/original.pdf",
        signing_views.document_pdf,
        name="signing_document_pdf",
    ),
    path(
        "collaborations/<int:collaboration_id>/documents/<int:document_id>/signed.pdf",
        signing_views.document_signed_pdf,
        name="signing_document_signed_pdf",
    ),
    path(
        "deliverables/<int:deliverable_id>/", roster_views.deliverable_edit, name="deliverable_edit"
    ),
    path(
        "deliverables/<int:deliverable_id>/post/",
        roster_views.deliverable_post,
        name="deliverable_post",
    ),
    path(
        "deliverables/<int:deliverable_id>/drafts/new/",
        review_views.draft_create,
        name="draft_create",
    ),
    path("shipments/<int:shipment_id>/", roster_views.shipment_edit, name="shipment_edit"),
    path("drafts/<int:draft_id>/", review_views.draft_detail, name="draft_detail"),
    path("drafts/<int:draft_id>/review/", review_views.draft_review, name="draft_review"),
    path("media/<int:media_id>/", review_views.draft_media, name="draft_media"),
]
