#!/usr/bin/env bash
# Start the loopback services the connector tests talk to, when they are not running.
# PostgreSQL and MariaDB are the exchange databases (前置库); Mosquitto is the MQTT broker.
set -uo pipefail
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { for _ in $(seq 1 60); do up "$1" && return 0; sleep 0.5; done; echo "service on port $1 did not start" >&2; return 1; }
status=0
if ! up 5432; then
  echo "starting PostgreSQL"; pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  wait_for 5432 || status=1
fi
if ! up 3306; then
  echo "starting MariaDB"; start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql || true
  wait_for 3306 || status=1
fi
if ! up 1883; then
  echo "starting Mosquitto"; mosquitto -d -c /etc/mosquitto/mosquitto.conf || true
  wait_for 1883 || status=1
fi
exit $status
