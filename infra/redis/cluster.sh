#!/usr/bin/env bash
# Local six-node Redis Cluster (3 masters + 3 replicas) as in the seed guide.
#   infra/redis/cluster.sh up      start nodes on BASE_PORT..BASE_PORT+5 and create the cluster
#   infra/redis/cluster.sh health  cluster_state, slots assigned/ok, known nodes (what /readyz checks)
#   infra/redis/cluster.sh down    stop the nodes (data stays under infra/redis/data/)
# BASE_PORT defaults to 7000; REDIS_PASSWORD to the configs' requirepass.
set -euo pipefail
cd "$(dirname "$0")"
BASE_PORT=${BASE_PORT:-7000}
PASSWORD=${REDIS_PASSWORD:-change-me}
PORTS=$(seq "$BASE_PORT" $((BASE_PORT + 5)))
export REDISCLI_AUTH="$PASSWORD"

up() {
  for port in $PORTS; do
    mkdir -p "data/$port"
    # The node-700x.conf files hold the settings; ports and paths follow BASE_PORT.
    redis-server "node-$((7000 + port - BASE_PORT)).conf" --port "$port" --dir "data/$port" \
      --cluster-config-file "nodes-$port.conf" --requirepass "$PASSWORD" --masterauth "$PASSWORD" \
      --daemonize yes --pidfile "$PWD/data/$port/redis.pid" --logfile "$PWD/data/$port/redis.log"
  done
  for port in $PORTS; do
    until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
  done
  if [ "$(redis-cli -p "$BASE_PORT" cluster info | grep -c 'cluster_state:ok')" = 0 ]; then
    echo "Creating the cluster (3 masters, 1 replica each)"
    redis-cli --cluster create $(for port in $PORTS; do printf '127.0.0.1:%s ' "$port"; done) \
      --cluster-replicas 1 --cluster-yes >/dev/null
  fi
  until health >/dev/null 2>&1; do sleep 0.2; done
  health
  echo "Next: REDIS_CLUSTER=true REDIS_CLUSTER_NODES=$(for port in $PORTS; do printf '127.0.0.1:%s,' "$port"; done | sed 's/,$//') REDIS_PASSWORD=… npm start"
}

health() {
  local info state assigned ok known
  info=$(redis-cli -p "$BASE_PORT" cluster info)
  state=$(echo "$info" | sed -n 's/^cluster_state:\([a-z]*\).*/\1/p')
  assigned=$(echo "$info" | sed -n 's/^cluster_slots_assigned:\([0-9]*\).*/\1/p')
  ok=$(echo "$info" | sed -n 's/^cluster_slots_ok:\([0-9]*\).*/\1/p')
  known=$(echo "$info" | sed -n 's/^cluster_known_nodes:\([0-9]*\).*/\1/p')
  echo "cluster_state=$state slots_assigned=$assigned slots_ok=$ok known_nodes=$known"
  [ "$state" = ok ] && [ "$assigned" = 16384 ] && [ "$ok" = 16384 ] && [ "$known" -ge 6 ]
}

down() {
  for port in $PORTS; do
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  done
  echo "Stopped. Data is kept under infra/redis/data/ (remove it to start afresh)."
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  health) health ;;
  *) echo "usage: $0 up|down|health" >&2; exit 64 ;;
esac
