#!/usr/bin/env bash
# The services the tests use as real ones: Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432. Started when it is down and
# this machine has it (the command is the machine's own); otherwise a clear failure, never a skip.
set -euo pipefail
redis_up() { exec 3<>/dev/tcp/127.0.0.1/6379 2>/dev/null && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG; }
if ! redis_up; then
  if command -v redis-server >/dev/null; then
    echo "Redis is not running: starting it."
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 1 50); do redis_up && break; sleep 0.1; done
  fi
  redis_up || { echo "The tests need Redis on 127.0.0.1:6379 and it is not running: start it with" \
    "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" --appendonly no" >&2; exit 1; }
fi

# PostgreSQL on 127.0.0.1:5432 (trust auth, database test): the Postgres storage and cluster tests.
pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && { ! command -v pg_isready >/dev/null || pg_isready -q -h 127.0.0.1 -p 5432 -U postgres -d test; }; }
if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1; then
    echo "PostgreSQL is not running: starting it."
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 50); do pg_up && break; sleep 0.2; done
  fi
  pg_up || { echo "The tests need PostgreSQL on 127.0.0.1:5432 (trust auth, database test, user postgres) and it is not running: start it with" \
    "pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2; exit 1; }
fi
