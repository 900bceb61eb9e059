"""The competency framework, stories and "who is strong at this": open to everyone."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError
from saleshelm.development import selectors, services
from saleshelm.development.forms import FrameworkLoadForm, StoryForm
from saleshelm.development.frameworks import framework_load
from saleshelm.development.models import StoryKind
from saleshelm.development.permissions import STORY_WRITERS, can_edit_framework
from saleshelm.development.views.common import LEADER_ROLES, page

PER_PAGE = 20
WRITER_ROLES = frozenset(str(r) for r in STORY_WRITERS)


@page
def competency_framework(request):
    actor = request.membership
    groups = selectors.framework(actor=actor)
    return render(
        request,
        "development/competencies.html",
        {
            "groups": groups,
            "can_edit": can_edit_framework(actor=actor),
            "load_form": FrameworkLoadForm(),
            "empty": not any(g.competencies.all() for g in groups),
        },
    )


@page
def competency_detail(request, pk: int):
    actor = request.membership
    competency = selectors.access_competency(actor=actor, id=pk)
    return render(
        request,
        "development/competency.html",
        {
            "competency": competency,
            "levels": list(enumerate(competency.levels, start=1)),
            "experts": selectors.strong_at_competency(actor=actor, competency_id=competency.pk),
            "stories": list(selectors.story_list(actor=actor, competency_id=competency.pk)[:5]),
        },
    )


@page(roles=LEADER_ROLES, post_only=True)
def framework_load_view(request):
    form = FrameworkLoadForm(request.POST)
    if form.is_valid():
        try:
            result = framework_load(
                actor=request.membership,
                framework=form.cleaned_data["framework"],
                language=form.cleaned_data["language"],
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Framework loaded: %(new)s new competencies, %(levels)s expected levels set.")
                % {"new": result.competencies_created, "levels": result.expected_levels},
            )
    return redirect("development:competencies")


@page
def story_list(request):
    actor = request.membership
    kind = request.GET.get("kind") or ""
    if kind not in StoryKind.values:
        kind = ""
    search = (request.GET.get("q") or "").strip()[:100]
    competency_id = request.GET.get("competency", "")
    items = selectors.story_list(
        actor=actor,
        kind=kind or None,
        search=search or None,
        competency_id=int(competency_id) if competency_id.isdigit() else None,
    )
    page_obj = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "development/stories.html",
        {
            "page_obj": page_obj,
            "items": page_obj.object_list,
            "kind": kind,
            "q": search,
            "kinds": StoryKind.choices,
            "can_write": actor.role in WRITER_ROLES,
        },
    )


@page
def story_detail(request, pk: int):
    story = selectors.access_story(actor=request.membership, id=pk)
    return render(request, "development/story.html", {"story": story})


@page(roles=WRITER_ROLES)
def story_create(request):
    actor = request.membership
    initial = {"kind": request.GET.get("kind") or StoryKind.WIN}
    form = StoryForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            story = services.story_create(
                actor=actor,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                opportunity=data["opportunity"],
                segment=data["segment"],
                industry=data["industry"],
                competencies=list(data["competencies"]),
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Thank you for sharing."))
            return redirect("development:story", pk=story.pk)
    return render(request, "development/story_form.html", {"form": form})


@page
def experts(request):
    """Who is strong at this: by competency (assessments) and by industry (win rate)."""
    actor = request.membership
    competencies = list(selectors.competency_list(actor=actor))
    chosen = request.GET.get("competency", "")
    competency = None
    if chosen.isdigit():
        competency = selectors.access_competency(actor=actor, id=int(chosen))
    industry = (request.GET.get("industry") or "").strip()[:100]
    return render(
        request,
        "development/experts.html",
        {
            "competencies": competencies,
            "competency": competency,
            "by_competency": selectors.strong_at_competency(
                actor=actor, competency_id=competency.pk
            )
            if competency
            else [],
            "industries": selectors.industries(actor=actor),
            "industry": industry,
            "by_industry": selectors.best_win_rates(actor=actor, industry=industry or None),
        },
    )
