"""The preview endpoint the script asks when "Preview" is pressed (without the script,
the button submits the form itself and the form's own view shows the preview)."""

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from threads import writing_aids


@require_POST
def markup_preview(request):
    """``body`` as it will render once saved: ``{"html": ...}``, the same HTML the page
    shows after a plain "Preview" submit; 400 with ``{"error": ...}`` when too long."""
    body = request.POST.get("body", "")
    error = writing_aids.preview_error(body)
    if error and body.strip():
        return JsonResponse({"error": error}, status=400)
    return JsonResponse({"html": writing_aids.preview_body_html(body)})
