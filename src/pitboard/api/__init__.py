"""The JSON API under /api/v1/ (django-ninja): thin routes over the services."""
