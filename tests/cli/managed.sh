# managed.sh: what the tests of a plant-managed station share; source it
# after lib.sh, do not run it.
#
# A plant-managed station ([sync] url set) refuses local roster edits
# (docs/CLI.md), so a sync test that needs new events at the station makes
# them as the station's own work does: an RV visit, played by `haulgate
# simulate` (the scenario language, docs/SCENARIOS.md) at a fixed time.
#
# Provides:
#   RV_EVENTS          how many events one rv_visit logs: 4 (rv_visit, the
#                      gate unlocked, the gate locked, rv_done)
#   rv_visit INI NAME  one RV visit at the station of INI, NAME the visitor
#                      (so two visits' events differ); its status simulate's
# shellcheck shell=bash
# shellcheck disable=SC2034  # RV_EVENTS is for the scripts that source this

RV_EVENTS=4

rv_visit() {
	printf '%s\n' "clock 2026-11-23T11:00:00" "press rv" "expect screen rv_signin" \
		"type \"$2\"" "press focus_rv_plate" "type 7ABC123" "press focus_rv_state" \
		"type CO" "press next" "press accept" "press declare_yes" \
		"expect screen rv_dump" "press done" "expect screen rv_done" \
		"press ok" "expect screen start" >"$T_BASE/rv_visit.scn" &&
	"$HG" --config "$1" simulate --script "$T_BASE/rv_visit.scn" >/dev/null 2>&1
}
