"""Cross-cutting response headers."""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page the app renders.

    Workbook pages, exports and forms carry a jurisdiction's answers or a CSRF token; a shared
    computer's browser cache or a proxy must not keep them. Static files never reach this
    middleware (WhiteNoise answers them earlier, with long-lived caching).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response
