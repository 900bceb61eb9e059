"""Pages of motivation (SPEC §7): pay (statements, plans, deal-time feedback), kudos, badges,
contests, commitments and pulse."""

from django.urls import path, re_path

from saleshelm.incentives import views as pay
from saleshelm.incentives import views_motivation as v
from saleshelm.incentives import views_pay_desk as desk

app_name = "motivation"
urlpatterns = [
    path("motivation/pay/", pay.pay, name="pay"),
    path("motivation/pay/statements/<int:pk>/", pay.statement, name="statement"),
    path("motivation/pay/plans/", pay.plans, name="plans"),
    path("motivation/pay/plans/new/", pay.plan_create, name="plan_create"),
    path("motivation/pay/plans/<int:pk>/", pay.plan_edit, name="plan_edit"),
    path(
        "motivation/pay/opportunities/<int:pk>/earnings/",
        pay.deal_earnings,
        name="deal_earnings",
    ),
    path("motivation/pay/runs/", desk.runs, name="runs"),
    path("motivation/pay/runs/new/", desk.run_create, name="run_create"),
    path("motivation/pay/runs/<int:pk>/", desk.run, name="run"),
    re_path(
        r"^motivation/pay/runs/(?P<pk>[0-9]+)/(?P<action>calculate|approve|lock)/$",
        desk.run_action,
        name="run_action",
    ),
    path("motivation/pay/runs/<int:pk>/unlock/", desk.run_unlock, name="run_unlock"),
    path("motivation/pay/runs/<int:pk>/payroll/", desk.run_payroll, name="run_payroll"),
    path("motivation/pay/lines/<int:pk>/dispute/", desk.line_dispute, name="line_dispute"),
    path("motivation/pay/disputes/", desk.disputes, name="disputes"),
    path("motivation/pay/disputes/<int:pk>/", desk.dispute, name="dispute"),
    path("motivation/kudos/", v.kudos, name="kudos"),
    path("motivation/kudos/give/", v.kudos_give, name="kudos_give"),
    path("motivation/kudos/<int:pk>/withdraw/", v.kudos_withdraw, name="kudos_withdraw"),
    path("motivation/notices/", v.notices, name="notices"),
    path("motivation/notices/read/", v.notices_read, name="notices_read"),
    path("motivation/members/<int:pk>/", v.member, name="member"),
    path("motivation/badges/", v.badges, name="badges"),
    path("motivation/badges/new/", v.badge_create, name="badge_create"),
    path("motivation/badges/<int:pk>/", v.badge, name="badge"),
    path("motivation/badges/<int:pk>/edit/", v.badge_edit, name="badge_edit"),
    path("motivation/badges/<int:pk>/award/", v.badge_award, name="badge_award"),
    path("motivation/awards/<int:pk>/revoke/", v.award_revoke, name="award_revoke"),
    path("motivation/contests/", v.contests, name="contests"),
    path("motivation/contests/new/", v.contest_create, name="contest_create"),
    path("motivation/contests/<int:pk>/", v.contest, name="contest"),
    path("motivation/contests/<int:pk>/standings/", v.contest_standings, name="contest_standings"),
    path("motivation/contests/<int:pk>/edit/", v.contest_edit, name="contest_edit"),
    path("motivation/contests/<int:pk>/cancel/", v.contest_cancel, name="contest_cancel"),
    path("motivation/commitments/", v.commitments, name="commitments"),
    path("motivation/commitments/team/", v.commitments_team, name="commitments_team"),
    path(
        "motivation/commitments/members/<int:pk>/",
        v.member_commitments,
        name="member_commitments",
    ),
    path(
        "motivation/commitments/members/<int:pk>/new/",
        v.commitment_create,
        name="commitment_create",
    ),
    path("motivation/commitments/<int:pk>/", v.commitment, name="commitment"),
    path("motivation/commitments/<int:pk>/edit/", v.commitment_edit, name="commitment_edit"),
    path("motivation/commitments/<int:pk>/status/", v.commitment_status, name="commitment_status"),
    path(
        "motivation/commitments/<int:pk>/renegotiate/",
        v.commitment_renegotiate,
        name="commitment_renegotiate",
    ),
    path("motivation/pulse/", v.pulse, name="pulse"),
    path("motivation/pulse/new/", v.pulse_create, name="pulse_create"),
    path("motivation/pulse/<int:pk>/answer/", v.pulse_answer, name="pulse_answer"),
    path("motivation/pulse/<int:pk>/results/", v.pulse_results, name="pulse_results"),
    path("motivation/pulse/<int:pk>/close/", v.pulse_close, name="pulse_close"),
]
