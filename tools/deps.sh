#!/bin/sh
# Installs the Debian packages named on the command line that are not installed yet.
# As root it runs apt-get; otherwise it prints the command to run and fails.
missing=""
for p in "$@"; do
  case " $missing " in *" $p "*) continue ;; esac
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
  echo "sheaf: missing Debian packages:$missing" >&2
  echo "run as root:  apt-get update && $cmd" >&2
  exit 1
fi
echo "sheaf: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && $cmd
