#!/bin/sh
# Container entry point: wait for the database; the web role prepares the installation the way
# `make run` does (migrations, then `bootstrap_embedded`: the first admin and default team, the
# shipped playbook library); then run the given role.
set -e
role="${1:-web}"
[ $# -gt 0 ] && shift

python manage.py wait_for_database --timeout "${DATABASE_WAIT_SECONDS:-60}"
if [ "$role" = "web" ] || [ "$role" = "web-dev" ]; then
  if [ "${MIGRATE_ON_START:-true}" = "true" ]; then
    python manage.py migrate --noinput
  fi
  if [ "${PREPARE_ON_START:-true}" = "true" ]; then
    # Idempotent: creates the first admin only while none exists (a generated password is
    # printed here once), then syncs the library. No demo gateway: no simulator runs here.
    python manage.py bootstrap_embedded --no-demo-gateway
  fi
fi

case "$role" in
  web) exec daphne -b 0.0.0.0 -p 8000 toolkit_project.asgi:application "$@" ;;
  web-dev) exec python manage.py runserver 0.0.0.0:8000 "$@" ;;
  worker) exec celery -A toolkit_project worker -Q executions,default --loglevel INFO "$@" ;;
  beat) exec celery -A toolkit_project beat --pidfile= --loglevel INFO "$@" ;;
  simulator) exec python manage.py run_gateway_simulator --host 0.0.0.0 --port 8088 "$@" ;;
  manage) exec python manage.py "$@" ;;
  *) exec "$role" "$@" ;;
esac
