# Sourced by the bench/recording-*.sh scripts: the node of bench/lib/node.sh (NODE_ARGS and TOPOLOGY_EDIT as there),
# and a public session to record.
command -v ffmpeg >/dev/null || { echo "ffmpeg is not installed" >&2; exit 2; }
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"

# A public session, approved, with the chair and members given; prints "SESSION RECORDING".
public_session() { # TITLE CHAIR [MEMBER...]
  local title=$1 chair=$2; shift 2
  local members=""
  (( $# )) && members=$(printf '"%s",' "$@")
  local created; created=$(api POST /api/sessions "{\"title\":\"$title\",\"kind\":\"emergency\",\"chairVenueId\":\"$chair\",\"venueIds\":[${members%,}],\"autoBackup\":{\"enabled\":false},\"public\":true}")
  local id; id=$(json 'd["id"]' <<<"$created")
  api POST "/api/sessions/$id/publish" '{"approved":true}' >/dev/null
  echo "$id $(json 'd["recordingId"]' <<<"$created")"
}
