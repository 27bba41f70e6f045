"""gunicorn settings for the benchmarks: no access log (it would cost more than some pages),
no warm-up hook (the benchmarks warm the workers with load, as real traffic would)."""

accesslog = None
loglevel = "warning"
timeout = 120
