#!/usr/bin/env bash
# Write Kent's Mosquitto config: scripts/mosquitto-conf.sh STATE_DIR [PORT]
# The broker keeps its persistence (persistent sessions and the QoS-1 readings queued for the
# ingest worker) in STATE_DIR, owned by the `mosquitto` user that the broker drops to after
# starting as root, so it can save its queue on shutdown (and every autosave_interval) and read
# it back after a restart. STATE_DIR belongs outside /tmp (default /var/lib/kent-mosquitto):
# /tmp is emptied at boot. Prints the config's path.
set -euo pipefail
DIR=${1:?usage: mosquitto-conf.sh STATE_DIR [PORT]}
PORT=${2:-1883}
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO mkdir -p "$DIR"
$SUDO tee "$DIR/mosquitto.conf" >/dev/null <<CONF
# Kent's broker (written by scripts/mosquitto-conf.sh)
listener $PORT 127.0.0.1
allow_anonymous true
user mosquitto
persistence true
persistence_location $DIR/
autosave_interval 30
max_queued_messages 0
CONF
$SUDO chown -R mosquitto:mosquitto "$DIR"
$SUDO chmod 750 "$DIR"
$SUDO chmod 644 "$DIR/mosquitto.conf"
echo "$DIR/mosquitto.conf"
