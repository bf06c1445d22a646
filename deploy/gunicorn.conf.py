"""gunicorn settings of the deployed web process (Dockerfile, docker-compose, `make run`,
`bench_load`). Each can be overridden from the environment.

Workers × threads were chosen with `python manage.py bench_load` (README, "Load benchmark").
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# One process per core runs Python on every core (the GIL holds a process to one); threads let a
# process serve other requests while one waits on PostgreSQL. Measured on 2 cores (README): 2 × 4
# gave the most requests per second and half the memory of 4 × 2 or 8 × 1.
workers = int(os.environ.get("GUNICORN_WORKERS", str(os.cpu_count() or 2)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
# A worker is replaced after this many requests (plus jitter), so a slow leak cannot grow forever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
