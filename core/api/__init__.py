"""What every API endpoint shares: errors, pagination, throttles, permissions, CSV and
conditional responses. Each app's endpoints live in its own ``api.py``; the router that
puts them under /api/v1/ is ``access_portal/api_urls.py``."""
