#!/bin/sh
# samples/usmtkit-pending.service: its ExecStart line, run as systemd would
# (binary and USMTKIT_STORES substituted), carries out a real pending list;
# systemd-analyze accepts the unit where systemd is installed.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"
unit="$UK_ROOT/samples/usmtkit-pending.service"

exec_line=$(sed -n 's/^ExecStart=//p' "$unit")
case "$exec_line" in
	/usr/local/bin/usmt-purge\ --run-pending\ *\$USMTKIT_STORES) ;;
	*) die "unexpected ExecStart: $exec_line" ;;
esac
grep -qx 'Type=oneshot' "$unit" || die "not a oneshot unit"
grep -qx 'SuccessExitStatus=10' "$unit" || die "exit 10 (still pending) must not fail the unit"

ps_init "$T/m"
ps_linked Users/alice/a.txt "alpha"
ps_linked Users/alice/locked.txt "locked"
ps_verify
expect_rc 0 verify
locked="$SF/Users/alice/locked.txt"
trap 'rc=$?; chattr -i "$locked" 2>/dev/null || true
	if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi; exit $rc' EXIT
chattr +i "$locked"
uk_tool purge "$S"
expect_rc 10 "purge leaves a pending file"
chattr -i "$locked"

USMTKIT_STORES="$S"
args=$(echo "$exec_line" | sed "s|^/usr/local/bin/usmt-purge ||; s|/var/log/|$T/|;
	s|\\\$USMTKIT_STORES|$USMTKIT_STORES|")
uk_tool purge $args
expect_rc 0 "the unit's command line"
[ ! -e "$S" ] || die "store still there"
grep -q 'component="usmt-purge"' "$T/usmtkit-pending.log" || die "no CMTrace log written"

if command -v systemd-analyze >/dev/null 2>&1; then
	sed "s|/usr/local/bin/usmt-purge|$UK_BIN/usmt-purge$UK_EXE|" "$unit" >"$T/usmtkit-pending.service"
	systemd-analyze verify "$T/usmtkit-pending.service" || die "systemd-analyze rejects the unit"
else
	note "systemd-analyze not installed: unit syntax not checked by systemd"
fi
