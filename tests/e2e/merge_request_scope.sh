#!/usr/bin/env bash
# Merge-request mode through the real binary: `list` with --changed-files, and
# with a real git repository (--changed-since, --merge-request-scope from the
# CI variables of GitLab and GitHub). No staging: list only plans.
source "$(dirname "$0")/lib/common.sh"
suite=$CHAOSGATE_SOURCE_DIR/examples/shop-suite.yaml
# The CI context comes only from what each check sets.
clean_env=(env -u GITLAB_CI -u GITHUB_ACTIONS -u JENKINS_URL -u CI_MERGE_REQUEST_DIFF_BASE_SHA)

# selected_ids: the ids `list --format json` selected (in $scratch/out), sorted, comma-joined.
selected_ids() {
  python3 -c 'import json,sys; print(",".join(sorted(e["id"] for e in json.load(open(sys.argv[1]))["experiments"])))' "$scratch/out"
}
expect_ids() {
  local got
  got=$(selected_ids)
  if [[ $got == "$1" ]]; then ok "$2"; else fail "$2: selected $got, wanted $1"; fi
}
cart_and_always=cart-survives-redis-pause,checkout-survives-cpu-hog,error-rate-holds-during-instance-freeze

# --changed-files: a touched service selects its experiments and the `always` one.
printf 'services/cart/redis.cpp\r\n./services/cart/pool.h\n\n' > "$scratch/cart.txt"
expect_exit 0 "list --changed-files (cart)" -- "$CHAOSGATE" list "$suite" --changed-files "$scratch/cart.txt"
expect_output out "3 of 9 experiments selected" "cart's promoted experiments plus the always one"
expect_output out "Merge-request scope: touched services: cart (2 changed files)" "list says which services were touched"
expect_output out "service storefront not touched by the change" "the others say why they stay out"
expect_exit 0 "list --changed-files --format json" -- "$CHAOSGATE" list "$suite" --changed-files "$scratch/cart.txt" --format json
expect_ids "$cart_and_always" "exactly cart's promoted experiments and the always one"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["changeScope"]; assert s["touchedServices"]==["cart"] and s["changedFiles"]==2, s' \
  "$scratch/out" && ok "JSON carries the change scope" || fail "JSON change scope"

printf 'deploy/nginx/shop.conf\nservices/cart/redis.cpp\n' > "$scratch/two.txt"
expect_exit 0 "list: two services" -- "$CHAOSGATE" list "$suite" --changed-files - < "$scratch/two.txt"
expect_output out "touched services: storefront, cart (2 changed files)" "several services, read from stdin"

# A docs-only change touches no service: only the always experiment, or nothing.
printf 'README.md\ndocs/merge-requests.md\ndocs/img/flow.png\n' > "$scratch/docs.txt"
expect_exit 0 "list: docs-only change" -- "$CHAOSGATE" list "$suite" --changed-files "$scratch/docs.txt"
expect_output out "1 of 9 experiments selected" "docs-only: only the always experiment"
expect_output out "Merge-request scope: no service touched by 3 changed files" "docs-only: the message says so"
sed '/^    always: true$/d' "$suite" > "$scratch/no-always.yaml"
expect_exit 0 "list: docs-only change, no always experiment" -- "$CHAOSGATE" list "$scratch/no-always.yaml" --changed-files "$scratch/docs.txt"
expect_output out "0 of 9 experiments selected" "docs-only without always: nothing selected"
expect_output out "no service touched by 3 changed files" "nothing selected, and why"
# run: a change that touches no service runs nothing (no staging needed) and
# passes, with the note in summary.md.
expect_exit 0 "run: docs-only change, nothing to run, the gate passes" -- "${clean_env[@]}" "$CHAOSGATE" run \
  --suite "$scratch/no-always.yaml" --changed-files "$scratch/docs.txt" --out "$scratch/run-docs" --state-dir "$scratch/state"
grep -q "no service touched by 3 changed files: nothing to run, the gate passes" "$scratch/run-docs/summary.md" \
  && ok "run: summary.md says why nothing ran" || fail "run: summary.md: $(head -12 "$scratch/run-docs/summary.md")"

# Mistakes are usage errors that name what is wrong.
expect_exit 2 "missing --changed-files file" -- "$CHAOSGATE" list "$suite" --changed-files "$scratch/no-such-list.txt"
expect_output err "no-such-list.txt" "the error names the file"
expect_exit 2 "--changed-files is a directory" -- "$CHAOSGATE" list "$suite" --changed-files "$scratch"
expect_output err "is a directory" "a directory is refused with a reason"
expect_exit 2 "--changed-files with --changed-since" -- "$CHAOSGATE" list "$suite" --changed-files "$scratch/cart.txt" --changed-since main
expect_output err "excludes" "conflicting scope options are refused"

# A real repository: main, then a feature branch (cart + docs), and a docs-only branch.
repo=$scratch/repo
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com \
  GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
g() { git -C "$repo" "$@" > /dev/null; }
mkdir -p "$repo/services/cart" "$repo/docs"
echo v1 > "$repo/services/cart/redis.cpp" && echo doc > "$repo/docs/guide.md"
g init -q -b main && g add -A && g commit -q -m base
g checkout -q -b feature
echo v2 > "$repo/services/cart/redis.cpp" && echo more >> "$repo/docs/guide.md"
g commit -q -am "cart change"
g checkout -q -b docs-only main
echo typo >> "$repo/docs/guide.md" && g commit -q -am "docs"
g checkout -q main && echo later > "$repo/later.txt" && g add -A && g commit -q -m "main moves on"

g checkout -q feature
expect_exit 0 "list --changed-since main" -- "${clean_env[@]}" -C "$repo" "$CHAOSGATE" list "$suite" --changed-since main --format json
expect_ids "$cart_and_always" "git: the feature's cart change selects cart and always (not main's later commit)"
expect_exit 0 "GitLab merge request" -- "${clean_env[@]}" -C "$repo" GITLAB_CI=true CI_MERGE_REQUEST_IID=7 \
  CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main "$CHAOSGATE" list "$suite" --merge-request-scope --format json
expect_ids "$cart_and_always" "GitLab: target branch from CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
# GitLab's own merge base wins over computing one: here HEAD itself, so nothing changed.
base=$(git -C "$repo" rev-parse HEAD)
expect_exit 0 "GitLab merge request with a diff base" -- "${clean_env[@]}" -C "$repo" GITLAB_CI=true CI_MERGE_REQUEST_IID=7 \
  CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main CI_MERGE_REQUEST_DIFF_BASE_SHA="$base" "$CHAOSGATE" list "$suite" --merge-request-scope
expect_output out "no service touched by 0 changed files" "GitLab: CI_MERGE_REQUEST_DIFF_BASE_SHA is the base"

g checkout -q docs-only
expect_exit 0 "GitHub pull request, docs only" -- "${clean_env[@]}" -C "$repo" GITHUB_ACTIONS=true GITHUB_BASE_REF=main \
  "$CHAOSGATE" list "$suite" --merge-request-scope
expect_output out "1 of 9 experiments selected" "GitHub: docs-only branch selects only the always experiment"
expect_output out "Merge-request scope: no service touched by 1 changed file" "GitHub: and says why"
expect_exit 0 "not a merge request" -- "${clean_env[@]}" -C "$repo" "$CHAOSGATE" list "$suite" --merge-request-scope
expect_output out "6 of 9 experiments selected" "outside a merge request everything promoted is selected"
expect_exit 2 "unknown --changed-since ref" -- "${clean_env[@]}" -C "$repo" "$CHAOSGATE" list "$suite" --changed-since no-such-branch
expect_output err "git -C . merge-base HEAD no-such-branch failed" "a git failure names the command"
expect_exit 2 "--merge-request-scope outside a repository" -- "${clean_env[@]}" -C "$scratch" GITHUB_ACTIONS=true GITHUB_BASE_REF=main \
  "$CHAOSGATE" list "$suite" --merge-request-scope
expect_output err "not a git repository" "git's own message is passed on"

finish
