"""The benchmark harness behind bin/bench: it starts the backends, HAProxy, nginx and Portcullis,
checks that every proxy enforces the same rules, runs each chosen scenario against every target,
and reports a table, a JSON file and an SVG chart. Figures are reported, never judged here.

  system     processes (own process groups, CPU pinning), ports, CPU accounting, packages
  servers    the backends and the proxies, their configurations
  load       wrk, h2load and the Kafka producer, read into one result type
  run        a run: targets, correctness checks, warm-up and timed runs, results per scenario
  scenarios  one function per scenario, by name
  steering   the transparent-datapath scenario (root)
  report     table, JSON, SVG
"""
