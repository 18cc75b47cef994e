#!/usr/bin/env bash
# unit-security.sh: what `systemd-analyze security` says of each unit in
# systemd/, as the Markdown docs/DEPLOY.md holds between its markers: the
# overall exposure and every setting it counts against the unit (the ones it
# counts for are left out).  tests/cli/test_systemd_units.sh checks that the
# docs say what this prints; after changing a unit, run
#   scripts/unit-security.sh --update
# to rewrite that part of docs/DEPLOY.md.
set -eu
cd "$(dirname "$0")/.."

report() {
	local u
	for u in systemd/*.service; do
		printf '### %s\n\n```\n' "$(basename "$u")"
		# a UTF-8 locale, so the marks are the same everywhere; the face
		# after the level (an emoji, or ":-)" in the C locale) left out
		LC_ALL=C.UTF-8 systemd-analyze security --offline=true --no-pager "$u" 2>/dev/null |
			grep -E '^(✗|→)' |
			sed -E 's/[[:space:]]+$//; s/ {2,}/  /g; s/(: [0-9.]+ (OK|MEDIUM|EXPOSED|UNSAFE|DANGEROUS)) .*$/\1/'
		printf '```\n\n'
	done
}

if [ "${1:-}" = --update ]; then
	tmp=$(mktemp)
	report >"$tmp"
	awk -v f="$tmp" '
		/<!-- unit-security: begin -->/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
		/<!-- unit-security: end -->/ { skip = 0 }
		!skip' docs/DEPLOY.md >"$tmp.doc"
	mv "$tmp.doc" docs/DEPLOY.md
	rm -f "$tmp"
else
	report
fi
