def navigation(request):
    return {"membership": getattr(request, "membership", None)}
