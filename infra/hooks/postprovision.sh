#!/bin/sh
# Seeds the subject-id secret (32 random bytes, Base64) in Key Vault once; never rotates it (subject ids depend on it).
set -eu
vault="${AZURE_KEY_VAULT_NAME:?run through azd}"
if az keyvault secret show --vault-name "$vault" --name subject-id-secret --query id -o tsv >/dev/null 2>&1; then
  echo "subject-id-secret already present in $vault"
else
  openssl rand -base64 32 | tr -d '\n' > "${TMPDIR:-/tmp}/subject-id-secret.$$"
  az keyvault secret set --vault-name "$vault" --name subject-id-secret --file "${TMPDIR:-/tmp}/subject-id-secret.$$" --query id -o tsv >/dev/null
  rm -f "${TMPDIR:-/tmp}/subject-id-secret.$$"
  echo "subject-id-secret created in $vault"
fi
