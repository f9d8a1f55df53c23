#!/usr/bin/env bash
# The Debian packages, installed as an admin would, in a fresh Debian 12 root:
#   tests/package/install_test.sh DEB_DIR BUILD_DIR
# DEB_DIR holds operator_*.deb and operator-sdk_*.deb (scripts/package);
# BUILD_DIR is a build of this tree with tools/tikv-sim. Needs root
# (debootstrap, chroot, mounts) and this machine's Debian mirror; run by
# `scripts/test --package`. Each step prints `ok` or fails the test with
# what it saw. tikv-sim and Prometheus run outside the root, on loopback,
# which the root shares.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 DEB_DIR BUILD_DIR" >&2; exit 2; }
debs=$(realpath "$1")
build=$(realpath "$2")
src=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "package test: needs root (debootstrap and chroot)" >&2; exit 2; }
host_deb=$(ls "$debs"/operator_*.deb | head -n 1)
sdk_deb=$(ls "$debs"/operator-sdk_*.deb | head -n 1)
sim=$build/tools/tikv-sim/tikv-sim
[ -x "$sim" ] || { echo "package test: no tikv-sim in $build" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/operator-package-test.XXXXXX")
root=$work/root
pids=()
cleanup() {
  local code=$?
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for m in dev/pts dev proc; do umount -l "$root/$m" 2>/dev/null || true; done
  if [ $code -ne 0 ]; then echo "package test: FAILED (kept $work)" >&2; else rm -rf "$work"; fi
  exit $code
}
trap cleanup EXIT
trap 'echo "package test: line $LINENO failed (exit $?)" >&2' ERR
step() { printf '%-76s ' "$*"; }
ok() { echo ok; }
fail() {
  echo FAIL
  echo "  $*" >&2
  exit 1
}
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
# As the service's user, with the service's environment file, in its state folder.
as_service() {
  in_root runuser -u operator -- sh -c "set -a; . /etc/operator/operator.env; set +a; cd /var/lib/operator; $1"
}

# ---- a fresh Debian 12 -----------------------------------------------------
mirror=${OPERATOR_DEBIAN_MIRROR:-}
# This machine's own mirror; either file may be missing (hence || true).
[ -n "$mirror" ] || mirror=$(sed -n 's/^URIs: *\(http[^ ]*\/debian\)\/*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
command -v debootstrap >/dev/null || { echo "package test: debootstrap is missing (scripts/setup --package)" >&2; exit 2; }
step "debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  fail "debootstrap failed: $(tail -n 3 "$work/debootstrap.log")"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
ok

# ---- install -----------------------------------------------------------------
mkdir -p "$root/tmp/debs"
cp "$host_deb" "$sdk_deb" "$root/tmp/debs/"
step "apt-get install ./$(basename "$host_deb")"
in_root apt-get update -q >"$work/apt.log" 2>&1 || fail "apt-get update: $(tail -n 3 "$work/apt.log")"
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -q --no-install-recommends \
  "/tmp/debs/$(basename "$host_deb")" >"$work/install.log" 2>&1 ||
  fail "apt-get install: $(tail -n 5 "$work/install.log")"
grep -q "operator is installed and not running" "$work/install.log" ||
  fail "postinst did not say how to start the service: $(tail -n 5 "$work/install.log")"
ok

step "operator-host --version"
version=$(in_root operator-host --version) || fail "exit $?: $version"
[[ $version == *"$(dpkg-deb -f "$host_deb" Version)"* ]] || fail "printed: $version"
ok

step "the user operator, /var/lib/operator 0700, operator.env 0640 root:operator"
in_root getent passwd operator >/dev/null || fail "no user operator"
[ "$(in_root stat -c '%a %U' /var/lib/operator)" = "700 operator" ] ||
  fail "/var/lib/operator is $(in_root stat -c '%a %U' /var/lib/operator)"
[ "$(in_root stat -c '%a %U %G' /etc/operator/operator.env)" = "640 root operator" ] ||
  fail "operator.env is $(in_root stat -c '%a %U %G' /etc/operator/operator.env)"
dpkg-deb -I "$host_deb" conffiles | grep -qx /etc/operator/operator.yaml || fail "operator.yaml is not a conffile"
[[ $(dpkg-deb -f "$host_deb" Recommends) == *libsoci-postgresql4.0* ]] ||
  fail "the package does not recommend SOCI's PostgreSQL backend"
ok

step "nothing started or enabled by the package"
[ ! -e "$root/etc/systemd/system/multi-user.target.wants/operator.service" ] || fail "the unit is enabled"
ok

# A server runs the unit with systemd, and reads its Documentation= with man.
step "systemd-analyze verify operator.service (systemd and man-db installed)"
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -q --no-install-recommends systemd man-db \
  >>"$work/install.log" 2>&1 || fail "apt-get install systemd man-db: $(tail -n 5 "$work/install.log")"
out=$(in_root systemd-analyze verify /lib/systemd/system/operator.service 2>&1) || fail "$out"
[ -z "$out" ] || fail "$out"
ok
step "systemd-analyze security operator.service: 2.0 or better"
out=$(in_root systemd-analyze security --offline=yes /lib/systemd/system/operator.service 2>&1 |
  sed -n 's/.*Overall exposure level for operator.service: \([0-9.]*\).*/\1/p')
[ -n "$out" ] && awk -v s="$out" 'BEGIN { exit !(s <= 2.0) }' || fail "exposure ${out:-unknown}"
ok

# ---- against a cluster ---------------------------------------------------------
"$sim" --stores 3 --listen 127.0.0.1:0 --seed 7 >"$work/sim.log" 2>&1 &
pids+=($!)
disown  # killed at the end without a "Killed" line
wait_until() { # wait_until SECONDS COMMAND...
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}
step "tikv-sim and Prometheus outside the root"
wait_until 30 grep -q listening "$work/sim.log" || fail "tikv-sim: $(cat "$work/sim.log")"
sim_port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$work/sim.log" | head -n 1)
prom_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
  echo $((10000 + RANDOM % 20000)))
cat >"$work/prometheus.yml" <<EOF
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: tikv
    honor_labels: true
    static_configs: [{targets: ['127.0.0.1:$sim_port']}]
  - job_name: pd
    honor_labels: true
    metrics_path: /pd/metrics
    static_configs: [{targets: ['127.0.0.1:$sim_port']}]
EOF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$work/prometheus.log" 2>&1 &
pids+=($!)
disown
# The reference config's latency check uses rate(...[1m]): two scrapes of
# every store; the PD checks the same of every PD member.
prom_has_stores() {
  curl -fsS "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode \
    'query=count(count by (instance) (rate(tikv_grpc_msg_duration_seconds_count[1m]))) >= 3
      and on () count(rate(etcd_disk_wal_fsync_duration_seconds_count[1m])) >= 3' |
    grep -q '"value"'
}
wait_until 90 prom_has_stores || fail "Prometheus has no rates: $(tail -n 5 "$work/prometheus.log")"
ok

printf 'PD_ENDPOINT=http://127.0.0.1:%s\nPROMETHEUS_URL=http://127.0.0.1:%s\n' "$sim_port" "$prom_port" \
  >>"$root/etc/operator/operator.env"
step "config check --config /etc/operator/operator.yaml, as the unit does"
out=$(as_service "operator-host config check --config /etc/operator/operator.yaml" 2>&1) || fail "$out"
ok
step "--once with the installed config: a healthy cluster is OK"
out=$(as_service "operator-host --once --config /etc/operator/operator.yaml" 2>&1) || fail "exit $?: $out"
ok
step "--once after store 2 goes Down: CRITICAL and a ticket"
curl -fsS -X POST -d '{"state_name": "Down"}' "http://127.0.0.1:$sim_port/sim/stores/2" >/dev/null
code=0
out=$(as_service "operator-host --once --config /etc/operator/operator.yaml" 2>&1) || code=$?
[ $code = 2 ] || fail "exit $code: $out"
out=$(as_service "operator-host tickets list --config /etc/operator/operator.yaml --json") || fail "$out"
[[ $(tr -d ' \n' <<<"$out") == *'"check":"store_up","subject":"2"'* ]] || fail "tickets: $out"
ok
step "sudo operator-host tickets list, without --config: the service's tickets"
out=$(in_root operator-host tickets list --json) || fail "$out"
[[ $(tr -d ' \n' <<<"$out") == *'"check":"store_up","subject":"2"'* ]] || fail "tickets: $out"
ok

step "the exec pack as the service: a script's lines, a missing program refused"
cat >"$root/tmp/exec.yaml" <<'YAML'
database: /var/lib/operator/exec-test.db
targets:
  - name: script
    pack: exec
    command: [/bin/sh, -c, 'echo "{\"subject\": \"a\", \"message\": \"a is off\"}"']
    mode: lines
YAML
chmod 0644 "$root/tmp/exec.yaml"
code=0
out=$(as_service "operator-host --once --config /tmp/exec.yaml" 2>&1) || code=$?
[ $code = 1 ] && grep -q "VIOLATION script/status: a: a is off" <<<"$out" || fail "exit $code: $out"
sed -i 's#/bin/sh, -c#/usr/lib/nagios/plugins/check_nothing#' "$root/tmp/exec.yaml"
code=0
out=$(as_service "operator-host config check --config /tmp/exec.yaml" 2>&1) || code=$?
[ $code = 1 ] && grep -q "command: cannot run '/usr/lib/nagios/plugins/check_nothing'" <<<"$out" ||
  fail "exit $code: $out"
ok

# ---- a third party's pack against the SDK package ---------------------------------
step "operator-sdk: the example pack built out of tree, installed, listed"
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -q --no-install-recommends \
  "/tmp/debs/$(basename "$sdk_deb")" g++ make >>"$work/install.log" 2>&1 ||
  fail "apt-get install operator-sdk: $(tail -n 5 "$work/install.log")"
cp -r "$src/plugins/example" "$root/tmp/my-pack"
sed -i 's/operator_add_pack(example /operator_add_pack(my_pack /; s/install(TARGETS example /install(TARGETS my_pack /' \
  "$root/tmp/my-pack/CMakeLists.txt"
sed -i 's/PackBuilder<NoTarget>("example"/PackBuilder<NoTarget>("my_pack"/' "$root/tmp/my-pack/example_pack.cpp"
out=$(in_root sh -c 'cmake -S /tmp/my-pack -B /tmp/my-pack/build && cmake --build /tmp/my-pack/build && cmake --install /tmp/my-pack/build' 2>&1) ||
  fail "$(tail -n 10 <<<"$out")"
out=$(in_root operator-host plugins list 2>&1) || fail "$out"
grep -q "my_pack 1.0.0 .*/usr/lib/operator/packs/my_pack.so" <<<"$out" || fail "$out"
ok
step "operator-sdk: the C example pack built out of tree (-Werror), listed"
cp -r "$src/plugins/example-c" "$root/tmp/my-c-pack"
out=$(in_root sh -c 'cmake -S /tmp/my-c-pack -B /tmp/my-c-pack/build && cmake --build /tmp/my-c-pack/build' 2>&1) ||
  fail "$(tail -n 10 <<<"$out")"
out=$(in_root operator-host plugins list --plugin-dir /tmp/my-c-pack/build 2>&1) || fail "$out"
grep -q "tcp 1.0.0 .*/tmp/my-c-pack/build/tcp.so" <<<"$out" || fail "$out"
ok

step "every path in the docs' layout table is installed (both packages)"
table=$(sed -n 's/^| [^|]* | `\([^`]*\)` | `[^`]*` |$/\1/p' "$root/usr/share/doc/operator/operations.md")
[ -n "$table" ] || fail "no layout table in /usr/share/doc/operator/operations.md"
for path in $table; do
  case $path in /var/*) continue ;; esac # made at the first start
  [ -e "$root$path" ] || fail "the docs name $path; the package has no such file"
done
ok

# ---- removal -------------------------------------------------------------------
step "apt-get purge operator: the state folder and the user go"
DEBIAN_FRONTEND=noninteractive in_root apt-get purge -y -q operator operator-sdk >>"$work/install.log" 2>&1 ||
  fail "$(tail -n 5 "$work/install.log")"
[ ! -e "$root/var/lib/operator" ] || fail "/var/lib/operator is still there"
! in_root getent passwd operator >/dev/null || fail "the user operator is still there"
ok
echo "package test: passed"
