#!/bin/sh
# Subscribes the IngestSisFile blob trigger to blob-created events of sis-inbox (Event Grid source; the only blob
# trigger source Flex Consumption supports). Needs the deployed app's blobs_extension system key, hence post-deploy.
set -eu
group="${AZURE_RESOURCE_GROUP:?run through azd}"
app="${AZURE_FUNCTION_APP_NAME:?run through azd}"
topic="${AZURE_EVENT_GRID_SYSTEM_TOPIC:?run through azd}"
key=$(az functionapp keys list -g "$group" -n "$app" --query "systemKeys.blobs_extension" -o tsv)
endpoint="https://${app}.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.IngestSisFile&code=${key}"
az eventgrid system-topic event-subscription create \
  --name sis-inbox-ingest \
  --resource-group "$group" \
  --system-topic-name "$topic" \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with /blobServices/default/containers/sis-inbox/ \
  --output none
echo "Event Grid subscription sis-inbox-ingest points at $app"
