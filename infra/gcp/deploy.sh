#!/usr/bin/env bash
# Deploys both function families to Google Cloud Functions (2nd gen), each function with a
# service account of its own that holds only the roles it needs.
#
#   ./mvnw -q package -DskipTests -pl image-resizer/image-resizer-gcp,chat-notifier/chat-notifier-gcp -am
#   PROJECT=my-project BUCKET=my-project-uploads REGION=europe-west1 infra/gcp/deploy.sh
#
# Needs: the Google Cloud CLI signed in as someone who may create service accounts, grant roles
# and deploy functions; the bucket, a Firestore database (native mode) and Firebase
# Authentication in the project. What it deploys (README, "On Google Cloud"):
#   resizeImage       Cloud Storage object finalized / deleted events of BUCKET, CloudEvents
#   postMessage       HTTPS, open to the internet: it verifies Firebase Authentication ID tokens itself
#   messageHistory    HTTPS, likewise
#   broadcastMessage  Firestore document created under rooms/{room}/messages/{message}
# infra/gcp's tests check this file offline: entry points, filters, roles, environment variables.
set -euo pipefail

: "${PROJECT:?set PROJECT to the Google Cloud project}"
: "${BUCKET:?set BUCKET to the bucket uploads go to}"
REGION=${REGION:-europe-west1}
# Where the Firestore database is: its triggers live there.
FIRESTORE_LOCATION=${FIRESTORE_LOCATION:-nam5}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STAGING=$(mktemp -d)
trap 'rm -rf "$STAGING"' EXIT

# gcloud deploys a folder: give each family one that holds its packaged jar only.
mkdir -p "$STAGING/image-resizer" "$STAGING/chat-notifier"
cp "$ROOT"/image-resizer/image-resizer-gcp/target/image-resizer-gcp-*-gcp.jar "$STAGING/image-resizer/"
cp "$ROOT"/chat-notifier/chat-notifier-gcp/target/chat-notifier-gcp-*-gcp.jar "$STAGING/chat-notifier/"

PROJECT_NUMBER=$(gcloud projects describe "$PROJECT" --format='value(projectNumber)')

# One service account per function.
for account in skyfold-resize-image skyfold-post-message skyfold-message-history skyfold-broadcast-message; do
	gcloud iam service-accounts describe "$account@$PROJECT.iam.gserviceaccount.com" --project="$PROJECT" >/dev/null 2>&1 ||
		gcloud iam service-accounts create "$account" --project="$PROJECT" --display-name="Skyfold $account"
done

# resizeImage reads uploads/ and writes and removes thumbnails under resized/, nothing else.
gcloud storage buckets add-iam-policy-binding "gs://$BUCKET" \
	--member="serviceAccount:skyfold-resize-image@$PROJECT.iam.gserviceaccount.com" \
	--role=roles/storage.objectViewer \
	--condition="expression=resource.name.startsWith('projects/_/buckets/$BUCKET/objects/uploads/'),title=skyfold-uploads"
gcloud storage buckets add-iam-policy-binding "gs://$BUCKET" \
	--member="serviceAccount:skyfold-resize-image@$PROJECT.iam.gserviceaccount.com" \
	--role=roles/storage.objectUser \
	--condition="expression=resource.name.startsWith('projects/_/buckets/$BUCKET/objects/resized/'),title=skyfold-thumbnails"
# The events of the bucket reach Eventarc through Cloud Storage's own service agent.
gcloud projects add-iam-policy-binding "$PROJECT" \
	--member="serviceAccount:service-$PROJECT_NUMBER@gs-project-accounts.iam.gserviceaccount.com" \
	--role=roles/pubsub.publisher --condition=None
# The chat's functions read and write Firestore; only broadcastMessage sends through FCM.
gcloud projects add-iam-policy-binding "$PROJECT" \
	--member="serviceAccount:skyfold-post-message@$PROJECT.iam.gserviceaccount.com" \
	--role=roles/datastore.user --condition=None
gcloud projects add-iam-policy-binding "$PROJECT" \
	--member="serviceAccount:skyfold-message-history@$PROJECT.iam.gserviceaccount.com" \
	--role=roles/datastore.viewer --condition=None
gcloud projects add-iam-policy-binding "$PROJECT" \
	--member="serviceAccount:skyfold-broadcast-message@$PROJECT.iam.gserviceaccount.com" \
	--role=roles/firebasecloudmessaging.admin --condition=None
# Eventarc invokes the event functions as their own service accounts.
gcloud projects add-iam-policy-binding "$PROJECT" \
	--member="serviceAccount:skyfold-resize-image@$PROJECT.iam.gserviceaccount.com" \
	--role=roles/eventarc.eventReceiver --condition=None
gcloud projects add-iam-policy-binding "$PROJECT" \
	--member="serviceAccount:skyfold-broadcast-message@$PROJECT.iam.gserviceaccount.com" \
	--role=roles/eventarc.eventReceiver --condition=None

gcloud functions deploy resizeImage --gen2 --project="$PROJECT" --region="$REGION" \
	--runtime=java17 --source="$STAGING/image-resizer" \
	--entry-point=dev.skyfold.gcp.functions.CloudEventsEntryPoint \
	--trigger-event-filters=type=google.cloud.storage.object.v1.finalized \
	--trigger-event-filters=bucket="$BUCKET" \
	--trigger-service-account="skyfold-resize-image@$PROJECT.iam.gserviceaccount.com" \
	--service-account="skyfold-resize-image@$PROJECT.iam.gserviceaccount.com" \
	--retry --memory=1Gi --cpu=1 --timeout=120s --max-instances=20 --concurrency=1 \
	--set-env-vars=MAIN_CLASS=dev.skyfold.imageresizer.gcp.ImageResizerGcpApplication,SPRING_CLOUD_FUNCTION_DEFINITION=resizeImage,GOOGLE_CLOUD_PROJECT="$PROJECT",JAVA_TOOL_OPTIONS=-XX:+UseSerialGC

gcloud functions deploy resizeImageDeleted --gen2 --project="$PROJECT" --region="$REGION" \
	--runtime=java17 --source="$STAGING/image-resizer" \
	--entry-point=dev.skyfold.gcp.functions.CloudEventsEntryPoint \
	--trigger-event-filters=type=google.cloud.storage.object.v1.deleted \
	--trigger-event-filters=bucket="$BUCKET" \
	--trigger-service-account="skyfold-resize-image@$PROJECT.iam.gserviceaccount.com" \
	--service-account="skyfold-resize-image@$PROJECT.iam.gserviceaccount.com" \
	--retry --memory=512Mi --cpu=1 --timeout=60s --max-instances=10 \
	--set-env-vars=MAIN_CLASS=dev.skyfold.imageresizer.gcp.ImageResizerGcpApplication,SPRING_CLOUD_FUNCTION_DEFINITION=resizeImage,GOOGLE_CLOUD_PROJECT="$PROJECT",JAVA_TOOL_OPTIONS=-XX:+UseSerialGC

gcloud functions deploy postMessage --gen2 --project="$PROJECT" --region="$REGION" \
	--runtime=java17 --source="$STAGING/chat-notifier" \
	--entry-point=dev.skyfold.gcp.functions.HttpEntryPoint \
	--trigger-http --allow-unauthenticated \
	--service-account="skyfold-post-message@$PROJECT.iam.gserviceaccount.com" \
	--memory=512Mi --cpu=1 --timeout=30s --max-instances=20 --concurrency=40 \
	--set-env-vars=MAIN_CLASS=dev.skyfold.chat.gcp.ChatGcpApplication,SPRING_CLOUD_FUNCTION_DEFINITION=postMessage,GOOGLE_CLOUD_PROJECT="$PROJECT",SKYFOLD_CHAT_GCP_FIRESTORE_PROJECT_ID="$PROJECT",JAVA_TOOL_OPTIONS=-XX:+UseSerialGC

gcloud functions deploy messageHistory --gen2 --project="$PROJECT" --region="$REGION" \
	--runtime=java17 --source="$STAGING/chat-notifier" \
	--entry-point=dev.skyfold.gcp.functions.HttpEntryPoint \
	--trigger-http --allow-unauthenticated \
	--service-account="skyfold-message-history@$PROJECT.iam.gserviceaccount.com" \
	--memory=512Mi --cpu=1 --timeout=30s --max-instances=20 --concurrency=40 \
	--set-env-vars=MAIN_CLASS=dev.skyfold.chat.gcp.ChatGcpApplication,SPRING_CLOUD_FUNCTION_DEFINITION=messageHistory,GOOGLE_CLOUD_PROJECT="$PROJECT",SKYFOLD_CHAT_GCP_FIRESTORE_PROJECT_ID="$PROJECT",JAVA_TOOL_OPTIONS=-XX:+UseSerialGC

# broadcastMessage runs on Firestore's document-created events, which Eventarc sends as JSON when
# the trigger says so (protobuf otherwise): an HTTP-triggered function behind an Eventarc trigger.
gcloud functions deploy broadcastMessage --gen2 --project="$PROJECT" --region="$REGION" \
	--runtime=java17 --source="$STAGING/chat-notifier" \
	--entry-point=dev.skyfold.gcp.functions.CloudEventsEntryPoint \
	--trigger-http --no-allow-unauthenticated \
	--service-account="skyfold-broadcast-message@$PROJECT.iam.gserviceaccount.com" \
	--memory=512Mi --cpu=1 --timeout=60s --max-instances=10 \
	--set-env-vars=MAIN_CLASS=dev.skyfold.chat.gcp.ChatGcpApplication,SPRING_CLOUD_FUNCTION_DEFINITION=broadcastMessage,GOOGLE_CLOUD_PROJECT="$PROJECT",SKYFOLD_CHAT_GCP_FIRESTORE_PROJECT_ID="$PROJECT",SKYFOLD_CHAT_FCM_ENABLED=true,SKYFOLD_CHAT_FCM_PROJECT_ID="$PROJECT",JAVA_TOOL_OPTIONS=-XX:+UseSerialGC
gcloud functions add-invoker-policy-binding broadcastMessage --project="$PROJECT" --region="$REGION" \
	--member="serviceAccount:skyfold-broadcast-message@$PROJECT.iam.gserviceaccount.com"
gcloud eventarc triggers describe skyfold-broadcast-message --project="$PROJECT" --location="$FIRESTORE_LOCATION" >/dev/null 2>&1 ||
	gcloud eventarc triggers create skyfold-broadcast-message --project="$PROJECT" --location="$FIRESTORE_LOCATION" \
		--destination-run-service=broadcastmessage --destination-run-region="$REGION" \
		--event-filters=type=google.cloud.firestore.document.v1.created \
		--event-filters=database='(default)' \
		--event-filters-path-pattern=document='rooms/{room}/messages/{message}' \
		--event-data-content-type=application/json \
		--service-account="skyfold-broadcast-message@$PROJECT.iam.gserviceaccount.com"
