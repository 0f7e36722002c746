import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.settings")
application = get_wsgi_application()

# Build the API's table of declared query parameters (from the OpenAPI schema, 1-4 s) while the
# worker starts, not during its first API request.
from setu.core.api_params import warm_up  # noqa: E402

warm_up()
