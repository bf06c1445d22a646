"""gunicorn settings of the deployed web process (Dockerfile, docker-compose, `make run`,
`bench_load`). Each can be overridden from the environment.

Workers × threads were chosen with `python manage.py bench_load` (README, "Load benchmark").
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# One process more than the cores, two threads each. The GIL holds a process to one core, and a
# process's threads queue for it; with one process per core the cores sat a quarter idle at
# saturation while requests waited for the GIL. Measured on 2 cores, quiet (README, "Workers ×
# threads"): 3 × 2 gave 82 req/s, 3 × 4 77, 4 × 2 73, 4 × 4 73, 2 × 4 64.
workers = int(os.environ.get("GUNICORN_WORKERS", str((os.cpu_count() or 2) + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread" if threads > 1 else "sync"
# A worker is replaced after this many requests (plus jitter), so a slow leak cannot grow forever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# No keep-alive: the proxy (Caddy) keeps the browsers' connections; to gunicorn each request comes
# on a connection of its own and goes to whichever worker accepts first. A kept-alive connection
# stays with the worker that accepted it, so one worker can queue requests behind its GIL while
# another sits idle. At saturation, 3 × 2 on two cores: 81 and 81 req/s without keep-alive;
# 73 and 85 with 5 s, and 60 in a full run where the cores were only 79 % busy.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
