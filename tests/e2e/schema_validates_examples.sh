#!/usr/bin/env bash
# `chaosgate schema` checked by a third party (Ajv, JSON Schema 2020-12, strict
# mode): every good suite we ship validates, and every broken example whose
# fault is structural is rejected. Needs node/npm (installed by scripts/install-deps).
source "$(dirname "$0")/lib/common.sh"

export AJV_DIR=/tmp/chaosgate-npm/ajv
if [[ ! -d $AJV_DIR/node_modules/ajv || ! -d $AJV_DIR/node_modules/yaml ]]; then
  mkdir -p "$AJV_DIR"
  npm install --prefix "$AJV_DIR" --no-audit --no-fund --silent ajv@8 yaml@2 > "$scratch/npm.log" 2>&1 \
    || { cat "$scratch/npm.log"; fail "npm install ajv yaml"; finish; exit; }
fi

expect_exit 0 "schema" -- "$CHAOSGATE" schema
cp "$scratch/out" "$scratch/schema.json"

examples=$CHAOSGATE_SOURCE_DIR/examples
good=("$examples/shop-suite.yaml" "$examples/kubernetes-suite.yaml" "$CHAOSGATE_SOURCE_DIR"/tests/e2e/suites/*.yaml)
# Broken files the schema can tell: all but syntax errors (the parser's job)
# and semantic ones (references, rollbacks, variables: the loader's job).
structural=()
for file in "$examples"/broken/*; do
  case $(basename "$file") in syntax-* | semantic-*) ;; *) structural+=("$file") ;; esac
done

node "$CHAOSGATE_SOURCE_DIR/tests/e2e/lib/validate_schema.mjs" "$scratch/schema.json" \
  "${good[@]}" "${structural[@]}" > "$scratch/ajv" 2>&1 || { cat "$scratch/ajv"; fail "ajv ran"; finish; exit; }

for file in "${good[@]}"; do
  # The loader agrees: a suite the schema accepts is one chaosgate accepts
  # (its variables set to a placeholder URL; the schema sees them unexpanded).
  variables=$(grep -o '\${[A-Z_]*}' "$file" | sort -u | sed 's/^\${\(.*\)}$/\1=http:\/\/127.0.0.1:9/')
  env $variables "$CHAOSGATE" validate "$file" > /dev/null 2>&1 && ok "chaosgate accepts $(basename "$file")" \
    || fail "chaosgate rejects $(basename "$file")"
  grep -qxF "$file: valid" "$scratch/ajv" && ok "schema accepts $(basename "$file")" \
    || { fail "schema rejects $(basename "$file")"; grep -F "$file" "$scratch/ajv"; }
done
for file in "${structural[@]}"; do
  "$CHAOSGATE" validate "$file" > /dev/null 2>&1; code=$?
  [[ $code -eq 2 ]] && ok "chaosgate rejects $(basename "$file")" || fail "chaosgate exit $code on $(basename "$file")"
  grep -qF "$file: invalid" "$scratch/ajv" && ok "schema rejects $(basename "$file")" \
    || { fail "schema accepts $(basename "$file")"; grep -F "$file" "$scratch/ajv"; }
done
[[ ${#structural[@]} -ge 6 ]] && ok "${#structural[@]} structural broken examples checked" || fail "too few broken examples"
finish
