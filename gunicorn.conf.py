"""How gunicorn serves the portal: read by `gunicorn` from the folder it starts in (the
repository's root in `make run`, the image's /app in Docker), so every way of starting the
portal serves it alike. Each setting can be changed through the environment.

Measured on 2 CPUs (docs/performance.md, "Load"): threaded workers, one process per CPU with
4 threads each, overlap the time a request waits for PostgreSQL and Redis and hold less
memory than (2 x CPUs) + 1 sync processes. Kept-alive connections wait 5 s for the next
request: with gunicorn's default of 2 s, a busy worker could close a connection that already
held the client's next request.
"""

import multiprocessing
import os

worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
