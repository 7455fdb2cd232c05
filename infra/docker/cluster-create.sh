#!/bin/sh
# One-shot service of compose.cluster.yml: joins redis-7000 … redis-7005 into a
# cluster of 3 masters with 1 replica each, unless they already form one, then
# waits until every slot is served and every replica has synced (a replica
# that has not finished its first sync cannot be promoted on failover).
# REDISCLI_AUTH holds the password.
set -eu
PORTS="7000 7001 7002 7003 7004 7005"

state() { redis-cli -h redis-7000 -p 7000 cluster info | sed -n 's/^cluster_state:\([a-z]*\).*/\1/p'; }

if [ "$(state)" = ok ]; then
  echo "cluster already created"
else
  nodes=""
  for port in $PORTS; do
    # Resolved here: `redis-cli --cluster create` joins nodes by address.
    ip=$(getent hosts "redis-$port" | cut -d' ' -f1)
    nodes="$nodes $ip:$port"
  done
  echo "creating the cluster:$nodes"
  # shellcheck disable=SC2086 # one argument per node
  redis-cli --cluster create $nodes --cluster-replicas 1 --cluster-yes
fi

until [ "$(state)" = ok ]; do sleep 1; done
for port in $PORTS; do
  if redis-cli -h "redis-$port" -p "$port" info replication | grep -q '^role:slave'; then
    until redis-cli -h "redis-$port" -p "$port" info replication | grep -q '^master_link_status:up'; do sleep 1; done
  fi
done
redis-cli -h redis-7000 -p 7000 cluster info | grep -E '^cluster_(state|slots_assigned|slots_ok|known_nodes):'
